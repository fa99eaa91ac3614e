// Plain TypeScript (float64) reference optimizers with torch 1.13 semantics, the oracle of the optim tests.
// Test-only. Reference: torch/optim/adamw.py, adam.py, sgd.py (`_single_tensor_*`), torch.nn.utils.clip_grad_norm_.
import { encodeModel, modelOf } from '../../../src/onnx/index';
import type { Graph } from '../../../src/onnx/index';
import type { Feed, HostTensor, Runner } from '../../../src/runtime/types';
import { nodeOrt } from '../../helpers/ort';

export type AdamRef = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean };
export type RefState = { params: number[][]; m: number[][]; v: number[][]; step: number };

/** clip_grad_norm_: returns the clipped grads and the total norm before clipping. */
export function clipRef(grads: number[][], maxNorm: number | undefined): { grads: number[][]; norm: number } {
  const norm = Math.sqrt(grads.flat().reduce((s, g) => s + g * g, 0));
  if (maxNorm === undefined) return { grads, norm };
  const coef = Math.min(maxNorm / (norm + 1e-6), 1);
  return { grads: grads.map((g) => g.map((x) => x * coef)), norm };
}

/** One Adam/AdamW step in float64 (mutates and returns `s`). */
export function adamRefStep(s: RefState, grads: number[][], h: AdamRef): RefState {
  s.step += 1;
  const bc1 = 1 - h.beta1 ** s.step;
  const bc2 = 1 - h.beta2 ** s.step;
  s.params.forEach((p, k) => {
    const m = s.m[k] as number[];
    const v = s.v[k] as number[];
    const gk = grads[k] as number[];
    for (let i = 0; i < p.length; i++) {
      let g = gk[i] as number;
      if (h.decoupled) p[i] = (p[i] as number) * (1 - h.lr * h.weightDecay);
      else g += h.weightDecay * (p[i] as number);
      m[i] = h.beta1 * (m[i] as number) + (1 - h.beta1) * g;
      v[i] = h.beta2 * (v[i] as number) + (1 - h.beta2) * g * g;
      const denom = Math.sqrt(v[i] as number) / Math.sqrt(bc2) + h.eps;
      p[i] = (p[i] as number) - (h.lr / bc1) * ((m[i] as number) / denom);
    }
  });
  return s;
}

/** One SGD step (momentum buffers in `buf`, zero-initialised; dampening 0). */
export function sgdRefStep(params: number[][], buf: number[][], grads: number[][], o: { lr: number; momentum: number; nesterov: boolean; weightDecay: number }): void {
  params.forEach((p, k) => {
    const b = buf[k] as number[];
    for (let i = 0; i < p.length; i++) {
      const g = ((grads[k] as number[])[i] as number) + o.weightDecay * (p[i] as number);
      let d = g;
      if (o.momentum > 0) {
        b[i] = o.momentum * (b[i] as number) + g;
        d = o.nesterov ? g + o.momentum * (b[i] as number) : (b[i] as number);
      }
      p[i] = (p[i] as number) - o.lr * d;
    }
  });
}

/** Runs a bare graph once (onnxruntime-node unless `runner` is given); returns host outputs. */
export async function runGraph(graph: Graph, feeds: Record<string, Feed>, runner: Runner = nodeOrt()): Promise<Record<string, HostTensor>> {
  const model = modelOf(graph, { producerName: 'test' });
  const s = await runner.createSession(graph.name, encodeModel(model));
  try {
    return (await s.run(feeds)) as Record<string, HostTensor>;
  } finally {
    await s.dispose();
  }
}

/** Float32 scalar host tensor. */
export function scalarF32(x: number): HostTensor {
  return { dtype: 'float32', dims: [], data: Float32Array.of(x) };
}

/** Host values of output `name` as a plain array. */
export function values(out: Record<string, HostTensor>, name: string): number[] {
  const t = out[name];
  if (!t) throw new Error(`missing output ${name} (have ${Object.keys(out).join(', ')})`);
  return Array.from(t.data as Float32Array);
}
