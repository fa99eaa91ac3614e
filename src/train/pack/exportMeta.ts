// Metadata every export file carries (docs/ecosystem.md §3 ModelSpec 1.0.1 and kohya ss_* keys; docs/ecosystem-io.md
// "Export metadata that tells the truth"): the architecture claimed only when the shapes say so, the base model's
// hash, the trained tokens and the DisenDiff settings. Pure string maps, no I/O.
import { tokenStem } from './kohya';
import type { ConceptPack } from './types';

export type ExportOptions = {
  /** file stem of the K/V file and modelspec.title, e.g. "studio_catdog" */
  title: string;
  /** modelspec.resolution, e.g. "512x512" */
  resolution: string;
};

/** SD 1.x-shaped: every token row and every K/V delta's input width is CLIP ViT-L's 768 (SD 1.x cross-attention). */
export function isSd1Shaped(pack: ConceptPack): boolean {
  return pack.concepts.every((c) => c.embedding.length === 768) && pack.deltas.every((d) => d.shape.length === 2 && d.shape[1] === 768);
}

/** The modelspec architecture prefix: SD 1.x only when the shapes say so, else a name no SD 1.x tool claims. */
function architecture(pack: ConceptPack): string {
  return isSd1Shaped(pack) ? 'stable-diffusion-v1' : `disenstudio-custom-${tokenStem(pack.metadata.baseModel.name) || 'model'}`;
}

/** metadata key → value for files that are not for SD 1.x tools (empty for SD 1.x-shaped packs). */
export function notForSd1(pack: ConceptPack): Record<string, string> {
  return isSd1Shaped(pack) ? {} : { 'disenstudio.compatibility': `not for SD 1.x tools: trained on "${pack.metadata.baseModel.name}", whose widths are not SD 1.x's; it loads only in DisenStudio with that base model` };
}

/** kohya's ss_base_model_version: "sd_v1" only for SD 1.x-shaped packs. */
export function baseModelVersion(pack: ConceptPack): string {
  return isSd1Shaped(pack) ? 'sd_v1' : 'unknown';
}

/** metadata key → value: what the file was trained on and how (base-model hash, tokens, DisenDiff settings). */
export function provenance(pack: ConceptPack): Record<string, string> {
  return {
    'disenstudio.base_model': pack.metadata.baseModel.name,
    'disenstudio.base_model_hash': pack.metadata.baseModel.hash,
    'disenstudio.tokens': JSON.stringify(pack.concepts.map((c) => ({ token: c.token, classWord: c.classWord }))),
    'disenstudio.settings': JSON.stringify(pack.metadata.settings),
  };
}

/** ModelSpec 1.0.1 block (metadata key → value) for a file of kind `arch` ("lora", "textual-inversion", …). */
export function modelspec(arch: string, title: string, o: ExportOptions, pack: ConceptPack, extra: Record<string, string>): Record<string, string> {
  return {
    'modelspec.sai_model_spec': '1.0.1',
    'modelspec.architecture': `${architecture(pack)}/${arch}`,
    'modelspec.implementation': 'diffusers',
    'modelspec.title': title,
    'modelspec.resolution': o.resolution,
    'modelspec.date': pack.metadata.createdAt,
    ...provenance(pack),
    ...extra,
  };
}
