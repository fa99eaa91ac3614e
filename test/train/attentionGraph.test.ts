// The in-graph attention maps (attention/graph.ts) against the CPU reference (postprocess.ts) in
// onnxruntime-node on fixed seeded probabilities, and the stop-gradient of L_bind: its gradient reaches the
// modifier token's attention column but not the class token's, while L_s&s does reach the class column.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { buildGradientGraph, encodeModel, GraphBuilder, op } from '../../src/onnx/index';
import type { Var } from '../../src/onnx/index';
import { calibrationGraph, gaussianKernel1d, meanSelectedMaps, meanTokenMap, normalizeMaps, processMap, reflectPad, squareMaps } from '../../src/train/index';
import type { ProbTensor } from '../../src/train/index';
import { closeness, f32, nodeOrt, runBuilder } from '../helpers/ort';

const [B, S, H, W] = [2, 6, 4, 4];
const N = H * W;
/** concept 0: modifier at 1, class at 2; concept 1: modifier at 3, class at 4 (batch 1 lacks concept 1) */
const POS = [[[1, 2], [3, 4]], [[1, 2], undefined]] as const;

function softmaxProbs(rng: Rng, heads: number): Float32Array {
  const d = new Float32Array(B * heads * N * S);
  for (let r = 0; r < B * heads * N; r++) {
    const e = Array.from({ length: S }, () => Math.exp(2 * rng.normal()));
    const z = e.reduce((a, v) => a + v, 0);
    e.forEach((v, s) => (d[r * S + s] = v / z));
  }
  return d;
}

function selection(): Float32Array {
  const sel = new Float32Array(B * S * 4);
  POS.forEach((concepts, b) => concepts.forEach((p, i) => {
    if (!p) return;
    sel[(b * S + p[0]) * 4 + i] = 1;
    sel[(b * S + p[1]) * 4 + 2 + i] = 1;
  }));
  return sel;
}

function mapsGraph(b: GraphBuilder): { maps: Var; probs: Var[] } {
  const probs = [b.input('p0', 'float32', [B, 2, N, S]), b.input('p1', 'float32', [B, 3, N, S])];
  const norm = normalizeMaps(meanSelectedMaps(probs, b.input('select', 'float32', [B, S, 4])), H, W, { eps: 1e-8, blur: true, sigma: 0.5, kernelSize: 3 });
  const maps = op.Concat([op.Slice(norm, [0], [2], [1]), squareMaps(op.Slice(norm, [2], [4], [1]))], 1);
  return { maps, probs };
}

const rng = new Rng(21);
const p0 = softmaxProbs(rng, 2);
const p1 = softmaxProbs(rng, 3);
const feeds = { p0: f32([B, 2, N, S], p0), p1: f32([B, 3, N, S], p1), select: f32([B, S, 4], selection()) };

describe('in-graph maps (mean → min–max → reflect blur → square class maps)', () => {
  it('equal the CPU reference for every present token map (2 layers with 2 and 3 heads)', async () => {
    const b = new GraphBuilder('maps');
    b.output(mapsGraph(b).maps, 'maps');
    const got = (await runBuilder(b, feeds)).maps?.data as Float32Array;
    const layers: ProbTensor[] = [{ data: p0, dims: [B, 2, N, S] }, { data: p1, dims: [B, 3, N, S] }];
    const o = { eps: 1e-8, blur: true, kernel1d: gaussianKernel1d(3, 0.5) };
    POS.forEach((concepts, bi) => concepts.forEach((p, i) => {
      if (!p) return;
      const mod = processMap(meanTokenMap(layers, bi, p[0]), H, W, { ...o, square: false });
      const cls = processMap(meanTokenMap(layers, bi, p[1]), H, W, { ...o, square: true });
      expect(closeness(got.subarray((bi * 4 + i) * N, (bi * 4 + i + 1) * N), mod, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
      expect(closeness(got.subarray((bi * 4 + 2 + i) * N, (bi * 4 + 3 + i) * N), cls, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    }));
    expect([...got.subarray((1 * 4 + 1) * N, (1 * 4 + 2) * N)].every((v) => v === 0)).toBe(true);
  });
  it('reflect-pads with Slice+Concat exactly like ONNX Pad mode=reflect', async () => {
    const b = new GraphBuilder('pad');
    const x = b.input('x', 'float32', [1, 1, 3, 4]);
    b.output(reflectPad(reflectPad(x, 1, 2), 1, 3), 'mine');
    b.output(op.Pad(x, [0, 0, 1, 1, 0, 0, 1, 1], { mode: 'reflect' }), 'onnx');
    const out = await runBuilder(b, { x: f32([1, 1, 3, 4], Array.from({ length: 12 }, (_, i) => i * i)) });
    expect([...(out.mine?.data as Float32Array)]).toEqual([...(out.onnx?.data as Float32Array)]);
  });
});

describe('stop-gradient of the class map in L_bind', () => {
  async function gradOfProbs(term: 'bind' | 'separate'): Promise<Float32Array> {
    const b = new GraphBuilder(`sg_${term}`);
    const { maps, probs } = mapsGraph(b);
    const present = b.constant(Float32Array.from([1, 1, 1, 0]), 'float32', [B, 2]);
    const cal = calibrationGraph(op.Slice(maps, [0], [2], [1]), op.Slice(maps, [2], [4], [1]), present, { bind: term === 'bind', separate: term === 'separate', smooth: 1 });
    b.output(cal[term] as Var, 'loss');
    const back = buildGradientGraph(b.graph, { loss: 'loss', wrt: [(probs[0] as Var).name] });
    const s = await nodeOrt().createSession(`sg_${term}`, encodeModel({ ...b.toModel(), graph: back.graph }));
    const out = await s.run(feeds);
    await s.dispose();
    return (out[back.grads.p0 as string] as { data: Float32Array }).data;
  }
  /** max |g| over the column of token s in batch element 0 */
  const column = (g: Float32Array, s: number): number => {
    let m = 0;
    for (let r = 0; r < 2 * N; r++) m = Math.max(m, Math.abs(g[r * S + s] as number));
    return m;
  };
  it('L_bind gives zero gradient to the class-token columns and a nonzero one to the modifier columns', async () => {
    const g = await gradOfProbs('bind');
    expect(column(g, 2)).toBe(0);
    expect(column(g, 4)).toBe(0);
    expect(column(g, 1)).toBeGreaterThan(1e-4);
    expect(column(g, 3)).toBeGreaterThan(1e-4);
  });
  it('L_s&s (no detach) reaches the class-token columns and not the modifier columns', async () => {
    const g = await gradOfProbs('separate');
    expect(column(g, 2)).toBeGreaterThan(1e-5);
    expect(column(g, 4)).toBeGreaterThan(1e-5);
    expect(column(g, 1)).toBe(0);
  });
});
