// Token grounding (src/train/losses/grounding.ts, TokenCompose) and its targets (src/train/base/grounding.ts): the
// caption words bound to objects, masks at attention resolution, the graph against the CPU reference, a planted map
// that scores 0, and the gradient against finite differences.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { GraphBuilder, op } from '../../src/onnx/index';
import { downsampleMask, GROUND_SLOTS, groundingFeeds, groundingSlots } from '../../src/train/base/grounding';
import { groundingLossGraph, groundingLossReference } from '../../src/train/losses/grounding';
import { checkGradCase } from '../helpers/finiteDiff';
import { f32, runBuilder } from '../helpers/ort';

const words = (caption: string): string[] => ['<|startoftext|>', ...caption.replace(/,/g, ' ,').split(' '), '<|endoftext|>'];

describe('grounding targets', () => {
  it('binds size, colour, pattern and shape words to their object and skips the background colour', () => {
    const slots = groundingSlots(words('a large red striped star, a small blue square and a large night heart on a grey background'));
    expect(slots.map((s) => `${s.position}:${s.word}:${s.object}:${s.kind}`)).toEqual([
      '2:large:0:size', '3:red:0:color', '4:striped:0:pattern', '5:star:0:shape',
      '8:small:1:size', '9:blue:1:color', '10:square:1:shape', '13:large:2:size', '15:heart:2:shape',
    ]);
  });
  it('area-averages masks onto the attention grid', () => {
    const m = new Uint8Array(16);
    m.set([255, 255, 255, 0], 0);
    expect([...downsampleMask(m, 4, 2)]).toEqual([0.5, 0.25, 0, 0]);
  });
  it('feeds one-hot selections, weights (pixel term on shape nouns only) and per-side masks', () => {
    const w = words('a large red star on a grey background');
    const mask = new Uint8Array(64 * 64).fill(255);
    const g = groundingFeeds([w, ['<|startoftext|>', '<|endoftext|>']], [[mask], []], 64, [16, 8], 12);
    expect(g.tokenWeight.slice(0, 4)).toEqual(Float32Array.from([1, 1, 1, 0]));
    expect(g.pixelWeight.slice(0, 4)).toEqual(Float32Array.from([0, 0, 1, 0]));
    expect(g.tokenWeight.slice(GROUND_SLOTS).every((v) => v === 0)).toBe(true);
    expect(g.select[(0 * 12 + 4) * GROUND_SLOTS + 2]).toBe(1); // "star" at position 4 → slot 2
    expect(g.masks.get(8)?.slice(0, 64).every((v) => v === 1)).toBe(true);
  });
});

/** Softmax over the last axis of seeded logits [B, H, N, S]. */
function softmaxProbs(rng: Rng, b: number, h: number, n: number, s: number): Float32Array {
  const x = rng.normalArray(b * h * n * s, 2);
  for (let r = 0; r < b * h * n; r++) {
    let sum = 0;
    for (let k = 0; k < s; k++) sum += Math.exp(x[r * s + k] as number);
    for (let k = 0; k < s; k++) x[r * s + k] = Math.exp(x[r * s + k] as number) / sum;
  }
  return x;
}

describe('TokenCompose grounding losses', () => {
  const B = 2, H = 2, S = 6, K = 3;
  const rng = new Rng(5);
  const sides = [4, 2];
  const probs = sides.map((s) => softmaxProbs(rng, B, H, s * s, S));
  const select = new Float32Array(B * S * K);
  select[(0 * S + 1) * K + 0] = 1; select[(0 * S + 3) * K + 1] = 1; select[(1 * S + 2) * K + 0] = 1;
  const tokenW = Float32Array.from([1, 1, 0, 1, 0, 0]);
  const pixelW = Float32Array.from([0, 1, 0, 1, 0, 0]);
  const masks = sides.map((s) => Float32Array.from({ length: B * K * s * s }, () => (rng.uniform() < 0.3 ? 1 : rng.uniform() < 0.5 ? 0.5 : 0)));

  function build(b: GraphBuilder, probIn: ReturnType<GraphBuilder['input']>[]) {
    return groundingLossGraph(probIn.map((p, i) => ({ probs: p, resolution: [sides[i] as number, sides[i] as number] as [number, number] })), {
      select: b.constant(select, 'float32', [B, S, K]), masks: new Map(sides.map((s, i) => [`${s}×${s}`, b.constant(masks[i] as Float32Array, 'float32', [B, K, s * s])])),
      tokenWeight: b.constant(tokenW, 'float32', [B, K]), pixelWeight: b.constant(pixelW, 'float32', [B, K]),
    });
  }

  it('equals the CPU reference (mean over layers of L_token and L_pixel, slots of all images pooled)', async () => {
    const b = new GraphBuilder('ground');
    const inputs = sides.map((s, i) => b.input(`p${i}`, 'float32', [B, H, s * s, S]));
    const g = build(b, inputs);
    b.output(g.token, 'token');
    b.output(g.pixel, 'pixel');
    const out = await runBuilder(b, Object.fromEntries(sides.map((s, i) => [`p${i}`, f32([B, H, s * s, S], probs[i] as Float32Array)])));
    let token = 0, pixel = 0;
    sides.forEach((s, li) => {
      const n = s * s;
      const maps: number[][] = [], ms: number[][] = [];
      for (let bb = 0; bb < B; bb++) for (let k = 0; k < K; k++) {
        const pos = Array.from({ length: S }, (_, t) => t).find((t) => select[(bb * S + t) * K + k] === 1);
        maps.push(Array.from({ length: n }, (_, p) => {
          if (pos === undefined) return 0;
          let acc = 0;
          for (let h = 0; h < H; h++) acc += (probs[li] as Float32Array)[((bb * H + h) * n + p) * S + pos] as number;
          return acc / H;
        }));
        ms.push([...(masks[li] as Float32Array).subarray((bb * K + k) * n, (bb * K + k + 1) * n)]);
      }
      const r = groundingLossReference(maps, ms, [...tokenW], [...pixelW]);
      token += r.token / sides.length;
      pixel += r.pixel / sides.length;
    });
    expect(out.token?.data[0]).toBeCloseTo(token, 5);
    expect(out.pixel?.data[0]).toBeCloseTo(pixel, 4);
    expect(token).toBeGreaterThan(0.1);
  });
  it('scores L_token 0 when every word attends only inside its mask', () => {
    const r = groundingLossReference([[0.5, 0.2, 0, 0]], [[1, 1, 0, 0]], [1], [0]);
    expect(r.token).toBeCloseTo(0, 10);
    expect(groundingLossReference([[0, 0, 0.5, 0.2]], [[1, 1, 0, 0]], [1], [0]).token).toBeCloseTo(1, 5);
  });
  it('has gradients that match finite differences w.r.t. the attention logits', async () => {
    const r = await checkGradCase({
      name: 'grounding', dtype: 'float32',
      build: (b) => {
        const logits = sides.map((s, i) => b.input(`l${i}`, 'float32', [B, H, s * s, S]));
        const g = build(b, logits.map((l) => op.Softmax(l, -1)));
        return { y: op.Add(g.token, op.Mul(g.pixel, b.scalar(0.1))), wrt: logits };
      },
    });
    expect(r.ok, `${r.worst} (max rel err ${r.maxRelErr}, tol ${r.tol})`).toBe(true);
  });
});
