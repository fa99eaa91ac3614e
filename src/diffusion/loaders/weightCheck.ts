// The weights check every loader runs before any graph with data is built: the parameter list the configs imply
// (names and shapes from the builders in 'shapes-only' mode, which allocates nothing) against the tensor list of the
// user's weights files. A missing weight, a weight of another size, or a weight the configs never use is an error
// naming a few of each, so no model is ever completed with random stand-ins or silently built smaller than its
// file. Configs are bounded first (configs.ts CONFIG_BOUNDS), so the shapes-only builds stay small. No I/O.
import { GraphError, ModelAssetError } from '../../lib/errors';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder } from '../../onnx/index';
import type { AutoencoderKLConfig, ClipTextConfig, ParamEntry, UNet2DConditionConfig } from '../../onnx/index';

export type ModelPart = 'unet' | 'text_encoder' | 'vae';
export type PartConfigs = { unet: UNet2DConditionConfig; textEncoder: ClipTextConfig; vae: AutoencoderKLConfig };

/** Tensors a weights file may carry that no builder asks for: transformers' position_ids buffer. */
const BUFFERS = /(^|\.)position_ids$/;

/** Runs a shapes-only build; a config the builders refuse becomes a ModelAssetError naming the config file. */
function built(file: string, f: () => ParamEntry[]): ParamEntry[] {
  try {
    return f();
  } catch (e) {
    if (e instanceof GraphError) throw new ModelAssetError(`${file} describes a network this studio cannot build: ${e.message}.`);
    throw e;
  }
}

/** Parameter lists the builders need per part for `configs` (names and shapes only). */
export function neededParams(configs: PartConfigs): Record<ModelPart, ParamEntry[]> {
  const lat = 2 ** (configs.unet.block_out_channels.length - 1);
  const img = 2 ** (configs.vae.block_out_channels.length - 1);
  return {
    unet: built('unet/config.json', () => buildUnet(configs.unet, { weights: 'shapes-only', batch: 1, height: lat, width: lat, seqLen: 1 }).params),
    text_encoder: built('text_encoder/config.json', () => buildClipText(configs.textEncoder, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params),
    vae: built('vae/config.json', () => [...buildVaeEncoder(configs.vae, { weights: 'shapes-only', batch: 1, height: img, width: img }).params, ...buildVaeDecoder(configs.vae, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params]),
  };
}

export type WeightsMismatch = { missing: string[]; mismatched: string[]; unused: string[]; total: number };

/** What is wrong between the needed params and the file's tensors (name → shape) of one part; empty lists when it fits. */
export function compareWeights(needed: readonly ParamEntry[], have: ReadonlyMap<string, readonly number[]>): WeightsMismatch {
  const count = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
  const out: WeightsMismatch = { missing: [], mismatched: [], unused: [], total: needed.length };
  const names = new Set<string>();
  for (const p of needed) {
    names.add(p.name);
    const shape = have.get(p.name);
    if (!shape) out.missing.push(p.name);
    else if (count(shape) !== count(p.shape)) out.mismatched.push(`"${p.name}" is [${shape.join(', ')}], needs [${p.shape.join(', ')}]`);
  }
  for (const name of have.keys()) if (!names.has(name) && !BUFFERS.test(name)) out.unused.push(name);
  return out;
}

const few = (xs: readonly string[], n = 3) => `${xs.slice(0, n).map((x) => (x.startsWith('"') ? x : `"${x}"`)).join(', ')}${xs.length > n ? `, … (${xs.length} in all)` : ''}`;

/** One sentence per kind of mismatch, or '' when the part fits. */
export function describeMismatch(part: string, m: WeightsMismatch): string {
  const parts: string[] = [];
  if (m.missing.length > 0) parts.push(`${m.missing.length} of the ${m.total} weights the ${part} config needs are missing (${few(m.missing)})`);
  if (m.mismatched.length > 0) parts.push(`${m.mismatched.length} have another size (${few(m.mismatched, 2)})`);
  if (m.unused.length > 0) parts.push(`${m.unused.length} weights in the file are never used by the config (${few(m.unused)})`);
  return parts.join('; ');
}

/**
 * Checks each part's weights file against its config before anything is built.
 * @param have part → (label of its weights file, tensor name → shape)
 * @throws ModelAssetError naming the file and a few missing, mis-sized and unused weights
 */
export function checkWeightsFit(configs: PartConfigs, have: Record<ModelPart, { label: string; shapes: ReadonlyMap<string, readonly number[]> }>): void {
  const needed = neededParams(configs);
  const problems: string[] = [];
  for (const part of ['unet', 'text_encoder', 'vae'] as const) {
    const text = describeMismatch(part.replace('_', ' '), compareWeights(needed[part], have[part].shapes));
    if (text) problems.push(`${have[part].label}: ${text}`);
  }
  if (problems.length > 0) throw new ModelAssetError(`The config.json files and the weights files do not belong together. ${problems.join('. ')}. Use the config.json that came with these weights.`);
}
