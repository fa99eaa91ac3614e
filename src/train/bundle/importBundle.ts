// importBundleResult: the result.safetensors a bundle runner wrote (tools/bundle/run.{mjs,py}) → a ConceptPack via
// packFromParams, checked against bundle.json (param names and shapes, base model hash). Reads through a
// FileSource; never writes. Reference: manifest.ts (result.toPack), src/train/pack/fromParams.ts.
import { ModelAssetError } from '../../lib/errors';
import { Fields, parseJsonText } from '../../lib/schema';
import { readSafetensors, tensorToFloat32 } from '../../diffusion/index';
import { withPath } from '../../diffusion/index';
import type { FileSource } from '../../diffusion/index';
import type { WeightSource } from '../../onnx/index';
import type { HostTensor } from '../../runtime/index';
import { packFromParams } from '../pack/fromParams';
import type { ConceptPack } from '../pack/types';
import { BUNDLE_JSON, checkManifest } from './manifest';
import type { BundleManifest } from './manifest';

export type BundleBase = { name: string; hash: string; unet: WeightSource };

/** What a runner reports next to result.safetensors (losses.json). */
export type BundleRunReport = { appliedSteps: number; skippedSteps: number; losses: number[]; provider?: string };

export async function readManifest(bundle: FileSource): Promise<BundleManifest> {
  const text = new TextDecoder().decode(await bundle.read(BUNDLE_JSON));
  return checkManifest(parseJsonText(text, `${bundle.label}/${BUNDLE_JSON}`, (m) => new ModelAssetError(m)), bundle.label);
}

/** losses.json as a runner writes it; ModelAssetError naming the field otherwise. */
async function readRunReport(bundle: FileSource, m: BundleManifest): Promise<BundleRunReport> {
  const file = `${bundle.label}/${m.result.losses}`;
  const fail = (message: string) => new ModelAssetError(`${message}; run the bundle's runner again (run.mjs or run.py)`);
  const r = new Fields(file, fail).object(parseJsonText(new TextDecoder().decode(await bundle.read(m.result.losses)), file, fail), '(top level)');
  const f = new Fields(file, fail);
  f.int(r.appliedSteps, 'appliedSteps', 0, m.steps);
  f.int(r.skippedSteps, 'skippedSteps', 0, m.steps);
  f.list(r.losses, 'losses', m.steps);
  if (r.provider !== undefined) f.string(r.provider, 'provider', 32);
  return r as BundleRunReport;
}

/**
 * The trained params of a run bundle (name → float32 tensor), in manifest order.
 * @throws ModelAssetError when result.safetensors lacks a param or has another shape than state.safetensors
 */
export async function readBundleResult(bundle: FileSource, manifest: BundleManifest): Promise<Record<string, HostTensor>> {
  const resultBytes = await bundle.read(manifest.result.file);
  const stateBytes = await bundle.read(manifest.state);
  const { tensors } = withPath(`${bundle.label}/${manifest.result.file}`, () => readSafetensors(resultBytes));
  const initial = withPath(`${bundle.label}/${manifest.state}`, () => readSafetensors(stateBytes)).tensors;
  const out: Record<string, HostTensor> = {};
  for (const name of manifest.params) {
    const t = tensors[name];
    const shape = initial[name]?.shape ?? [];
    if (!t) throw new ModelAssetError(`${bundle.label}/${manifest.result.file} lacks param "${name}"; did the runner finish?`);
    if (t.shape.join(',') !== shape.join(',')) throw new ModelAssetError(`${bundle.label}: result "${name}" is [${t.shape}], the bundle started it as [${shape}]`);
    out[name] = { dtype: 'float32', dims: [...t.shape], data: tensorToFloat32(name, t) };
  }
  return out;
}

/**
 * The concept pack of a bundle that a runner has stepped.
 * @throws ModelAssetError when `base` is not the model the bundle was exported from, or the result is incomplete
 */
export async function importBundleResult(bundle: FileSource, base: BundleBase): Promise<ConceptPack> {
  const m = await readManifest(bundle);
  if (m.baseModel.hash !== base.hash) {
    throw new ModelAssetError(`${bundle.label} was exported from base model ${m.baseModel.name} (hash ${m.baseModel.hash.slice(0, 12)}…); --model gives hash ${base.hash.slice(0, 12)}…; pass the same model folder`);
  }
  const params = await readBundleResult(bundle, m);
  const report = await readRunReport(bundle, m);
  const settings = { ...m.settings, steps: report.appliedSteps, skippedSteps: report.skippedSteps, trainedBy: `bundle${report.provider ? ` (${report.provider})` : ''}` };
  return packFromParams({ params, baseUnet: base.unet, concepts: m.concepts, metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: m.baseModel, createdAt: new Date().toISOString(), settings } });
}
