// The K/V LoRA option of the training graph (DisenDiffConfig.kvLora; docs/lora-training.md): every trained attn2
// to_k/to_v weight W becomes W0 + (α/r)·up·down inside the graph (Hu et al. 2021, LoRA, eq. 3 with the α/r scale of
// §4.1), W0 a frozen initializer, down [r, in] and up [out, r] trainable graph inputs. Init as kohya-ss
// networks/lora.py `LoRAModule.__init__` and PEFT tuners/lora/layer.py `reset_lora_parameters` (init_lora_weights=True):
// down ~ kaiming_uniform(a = √5), i.e. U(−1/√in, 1/√in), seeded; up = 0, so step 0 is the frozen model.
// Deviation: released DisenDiff trains the full K/V matrices (docs/disendiff.md §2.9); this is opt-in.
// Pure graph construction.
import { ConfigError } from '../../lib/errors';
import { Rng } from '../../lib/random';
import type { Graph, Node } from '../../onnx/index';
import type { HostTensor } from '../../runtime/index';
import type { KvLoraConfig } from '../config';

/** One K/V weight learned as factors: the state-dict weight name, its [out, in] shape and its factors' input names. */
export type KvLoraFactor = { weight: string; shape: [number, number]; down: string; up: string };

/** Rank, α and the factors of a training graph built with kvLora. */
export type KvLoraPlan = { rank: number; alpha: number; factors: KvLoraFactor[] };

/** "….attn2.to_k.weight" → "….attn2.to_k.lora_down.weight" / "….lora_up.weight" (the kohya / diffusers factor suffixes). */
export function loraFactorNames(weight: string): { down: string; up: string } {
  const stem = weight.replace(/\.weight$/, '');
  return { down: `${stem}.lora_down.weight`, up: `${stem}.lora_up.weight` };
}

/** α/r, α defaulting to r. @throws ConfigError for a rank that is not a positive integer or α that is not finite */
export function loraScale(o: KvLoraConfig): { rank: number; alpha: number; scale: number } {
  if (!Number.isInteger(o.rank) || o.rank < 1) throw new ConfigError(`kvLora.rank must be a positive integer, got ${o.rank}`);
  const alpha = o.alpha ?? o.rank;
  if (!Number.isFinite(alpha) || alpha <= 0) throw new ConfigError(`kvLora.alpha must be a positive number, got ${o.alpha}`);
  return { rank: o.rank, alpha, scale: alpha / o.rank };
}

/**
 * Rewrites `graph` in place: each K/V input in `weights` stops being an input and is computed as
 * Add(W0, Mul(MatMul(up, down), α/r)) from the frozen initializer "<weight>/base" and two new inputs. The new nodes go
 * first, so the node list stays topologically ordered.
 * @param values the frozen base weight of a name and shape (the UNet's own weight source)
 * @throws ConfigError when the rank exceeds a weight's smaller side
 */
export function applyKvLora(graph: Graph, weights: readonly string[], o: KvLoraConfig, values: (name: string, shape: number[]) => Float32Array): KvLoraPlan {
  const { rank, alpha, scale } = loraScale(o);
  const scaleName = 'kv_lora/scale';
  const nodes: Node[] = [];
  const factors = weights.map((weight): KvLoraFactor => {
    const at = graph.inputs.findIndex((v) => v.name === weight);
    const vi = graph.inputs[at];
    if (!vi) throw new ConfigError(`kvLora: "${weight}" is not a graph input`);
    const [out, inner] = vi.shape as [number, number];
    if (rank > Math.min(out, inner)) throw new ConfigError(`kvLora.rank ${rank} exceeds the smaller side of "${weight}" [${out}, ${inner}]`);
    graph.inputs.splice(at, 1);
    const { down, up } = loraFactorNames(weight);
    graph.inputs.push({ name: down, dtype: 'float32', shape: [rank, inner] }, { name: up, dtype: 'float32', shape: [out, rank] });
    const base = `${weight}/base`;
    graph.initializers.push({ name: base, dtype: 'float32', dims: [out, inner], data: values(weight, [out, inner]) });
    const node = (opType: string, inputs: string[], output: string): Node => ({ name: `${weight}/lora/${opType}`, opType, domain: '', inputs, outputs: [output], attributes: {} });
    nodes.push(
      node('MatMul', [up, down], `${weight}/lora/product`),
      node('Mul', [`${weight}/lora/product`, scaleName], `${weight}/lora/scaled`),
      node('Add', [base, `${weight}/lora/scaled`], weight),
    );
    return { weight, shape: [out, inner], down, up };
  });
  graph.initializers.push({ name: scaleName, dtype: 'float32', dims: [], data: new Float32Array([scale]) });
  graph.nodes.unshift(...nodes);
  return { rank, alpha, factors };
}

/**
 * Initial factors: down ~ U(−1/√in, 1/√in) (kaiming_uniform with a = √5, as kohya and PEFT), one seeded stream over
 * the factors in plan order; up = 0.
 */
export function initialLoraFactors(plan: KvLoraPlan, seed: number): Record<string, HostTensor> {
  const rng = new Rng(seed ^ 0x10a4);
  const out: Record<string, HostTensor> = {};
  for (const f of plan.factors) {
    const [o, inner] = f.shape;
    const bound = 1 / Math.sqrt(inner);
    const down = new Float32Array(plan.rank * inner);
    for (let i = 0; i < down.length; i++) down[i] = (2 * rng.uniform() - 1) * bound;
    out[f.down] = { dtype: 'float32', dims: [plan.rank, inner], data: down };
    out[f.up] = { dtype: 'float32', dims: [o, plan.rank], data: new Float32Array(o * plan.rank) };
  }
  return out;
}
