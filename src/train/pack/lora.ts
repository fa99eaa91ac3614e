// Concept-pack K/V updates trained as LoRA factors (DisenDiffConfig.kvLora, docs/lora-training.md): the pack keeps
// up [out, r], down [r, in] and α; ΔW = (α/r)·up·down (Hu et al. 2021, LoRA, eq. 3), merged with the same function
// the community-LoRA loader uses (src/diffusion/lora/lora.ts moduleDelta, kohya-ss networks/lora.py
// `LoRAModule.merge_to`). Export as a kohya LoRA file's tensors: "lora_unet_…_attn2_to_k.lora_down.weight",
// ".lora_up.weight", ".alpha" (kohya-ss networks/lora.py `LoRAModule` state-dict names), exact: the trained factors
// themselves, no SVD. Pure.
import { ConfigError } from '../../lib/errors';
import { moduleDelta } from '../../diffusion/index';
import type { SafeTensor } from '../../diffusion/index';
import { kohyaDiffKey } from './kohya';
import type { ConceptPack, PackDelta } from './types';

const DOWN = '.lora_down.weight';
const UP = '.lora_up.weight';

/** "….to_k.lora_down.weight" or "….to_k.lora_up.weight" → "….to_k.weight"; undefined for other names. */
export function weightOfFactor(name: string): string | undefined {
  for (const suffix of [DOWN, UP]) if (name.endsWith(suffix)) return `${name.slice(0, -suffix.length)}.weight`;
  return undefined;
}

/**
 * A pack delta from LoRA factors: `delta` = (α/r)·up·down in float32, `lora` the factors themselves.
 * @throws ConfigError when the factor shapes do not fit [out, in] and the rank
 */
export function loraPackDelta(name: string, shape: number[], up: Float32Array, down: Float32Array, alpha: number): PackDelta {
  const [out, inner] = shape as [number, number];
  const rank = down.length / inner;
  if (shape.length !== 2 || !Number.isInteger(rank) || rank < 1 || up.length !== out * rank) {
    throw new ConfigError(`LoRA delta "${name}": up has ${up.length} values and down ${down.length} for a [${shape.join(', ')}] weight; expected up [${out}, r] and down [r, ${inner}]`);
  }
  const f32 = (dims: number[], data: Float32Array): SafeTensor => ({ dtype: 'F32', shape: dims, data });
  const delta = moduleDelta({ part: 'unet', name, key: name, kind: 'lowrank', up: f32([out, rank], up), down: f32([rank, inner], down), alpha }, shape, 1, 'concept pack');
  return { name, shape: [...shape], delta, lora: { rank, alpha, up, down } };
}

/** kohya key stem of a state-dict weight: "lora_unet_down_blocks_0_…_attn2_to_k". */
function kohyaStem(name: string): string {
  return kohyaDiffKey(name).slice(0, -'.diff'.length);
}

/**
 * The tensors one pack delta contributes to the exported K/V file: a LoRA delta's factors and α under kohya names
 * (α a 0-d F32 tensor, as kohya writes it), a full delta as its LyCORIS ".diff".
 */
export function exportDeltaTensors(d: PackDelta): Record<string, SafeTensor> {
  if (!d.lora) return { [kohyaDiffKey(d.name)]: { dtype: 'F32', shape: d.shape, data: d.delta } };
  const stem = kohyaStem(d.name);
  const [out, inner] = d.shape as [number, number];
  return {
    [`${stem}.lora_down.weight`]: { dtype: 'F32', shape: [d.lora.rank, inner], data: d.lora.down },
    [`${stem}.lora_up.weight`]: { dtype: 'F32', shape: [out, d.lora.rank], data: d.lora.up },
    [`${stem}.alpha`]: { dtype: 'F32', shape: [], data: new Float32Array([d.lora.alpha]) },
  };
}

/** kohya training metadata of a pack whose every delta is LoRA (networks.lora, dim and alpha); {} otherwise. */
export function loraExportMetadata(pack: ConceptPack): Record<string, string> {
  const lora = pack.deltas.map((d) => d.lora);
  const first = lora[0];
  if (!first || lora.some((l) => !l)) return {};
  return { ss_network_module: 'networks.lora', ss_network_args: '{}', ss_network_dim: String(first.rank), ss_network_alpha: String(first.alpha) };
}
