// Turns trained parameters (TrainingSession.readParams: "extra_token_embeds" [n, hidden] and the K/V weights by
// state-dict name) into a concept pack: ΔW = W_trained − W_base per K/V matrix, one row per concept. Pure.
// Reference: docs/disendiff.md §2.9 (the released delta stores K/V and the modifier rows).
import { ConfigError } from '../../lib/errors';
import type { HostTensor } from '../../runtime/index';
import type { WeightSource } from '../../onnx/index';
import { loraPackDelta, weightOfFactor } from './lora';
import type { ConceptPack, PackDelta, PackMetadata } from './types';

/** Graph input holding the modifier rows (src/train/graphs/buildTrainGraph.ts). */
export const MODIFIER_ROWS = 'extra_token_embeds';

export type PackFromParamsOptions = {
  /** name → trained float32 tensor */
  params: Record<string, HostTensor>;
  /** base UNet weights (to subtract) */
  baseUnet: WeightSource;
  /** concepts in row order */
  concepts: readonly { token: string; classWord: string }[];
  metadata: PackMetadata;
  /** the run's DisenDiffConfig.kvLora when it trained K/V as LoRA factors (α, default r); the factors are found by name */
  kvLora?: { rank: number; alpha?: number };
};

/** The LoRA deltas of "….lora_down.weight" / "….lora_up.weight" params (graphs/kvLora.ts names), by weight name. */
function loraDeltas(params: Record<string, HostTensor>, names: string[], alpha: number | undefined): PackDelta[] {
  const weights = [...new Set(names.map(weightOfFactor).filter((w): w is string => w !== undefined))];
  return weights.map((w) => {
    const stem = w.slice(0, -'.weight'.length);
    const down = params[`${stem}.lora_down.weight`];
    const up = params[`${stem}.lora_up.weight`];
    if (!down || !up) throw new ConfigError(`packFromParams: "${w}" has ${down ? 'a down' : 'an up'} factor but no ${down ? 'up' : 'down'} factor`);
    const [rank, inner] = down.dims as [number, number];
    const out = up.dims[0] as number;
    return loraPackDelta(w, [out, inner], up.data as Float32Array, down.data as Float32Array, alpha ?? rank);
  });
}

/** The pack of a finished (or checkpointed) run; deltas sorted by name. */
export function packFromParams(o: PackFromParamsOptions): ConceptPack {
  const rows = o.params[MODIFIER_ROWS];
  if (!rows) throw new ConfigError(`packFromParams: no "${MODIFIER_ROWS}" among the trained params (${Object.keys(o.params).join(', ')})`);
  const [n, hidden] = rows.dims as [number, number];
  if (n !== o.concepts.length) throw new ConfigError(`packFromParams: ${n} modifier rows for ${o.concepts.length} concepts`);
  const data = rows.data as Float32Array;
  const concepts = o.concepts.map((c, i) => ({ token: c.token, classWord: c.classWord, embedding: data.slice(i * hidden, (i + 1) * hidden) }));
  const all = Object.keys(o.params).filter((k) => k !== MODIFIER_ROWS).sort();
  const names = all.filter((k) => weightOfFactor(k) === undefined);
  const full = names.map((name) => {
    const t = o.params[name] as HostTensor;
    const base = o.baseUnet.get(name, t.dims);
    if (!base) throw new ConfigError(`packFromParams: the base UNet has no weight "${name}" to subtract`);
    const w = t.data as Float32Array;
    const delta = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) delta[i] = (w[i] as number) - (base[i] as number);
    return { name, shape: [...t.dims], delta };
  });
  const deltas = [...full, ...loraDeltas(o.params, all.filter((k) => weightOfFactor(k) !== undefined), o.kvLora?.alpha)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { metadata: o.metadata, concepts, deltas };
}
