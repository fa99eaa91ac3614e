// The 'all-scales' map ablation (src/train/attention/graph.ts allScaleMaps): every head of every layer averaged after
// resampling each resolution's map to the DisenDiff resolution (block mean down, nearest repeat up), against a CPU
// reference on seeded probabilities at 2×2, 4×4 and 8×8 resampled to 4×4.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { GraphBuilder } from '../../src/onnx/index';
import { allScaleMaps } from '../../src/train/attention/graph';
import { f32, runBuilder } from '../helpers/ort';

describe('all-scale attention maps', () => {
  it('equal the plain mean over all heads of the resampled per-layer maps', async () => {
    const rng = new Rng(9);
    const S = 3, K = 2, heads = [1, 2, 1];
    const sides = [2, 4, 8];
    const probs = sides.map((s, i) => rng.normalArray((heads[i] as number) * s * s * S, 1));
    const select = Float32Array.from([0, 1, 1, 0, 0, 0]); // [1, S=3, K=2]: map 0 = token 1, map 1 = token 0
    const b = new GraphBuilder('allscale');
    const ins = sides.map((s, i) => b.input(`p${i}`, 'float32', [1, heads[i] as number, s * s, S]));
    b.output(allScaleMaps(ins.map((p, i) => ({ probs: p, resolution: [sides[i] as number, sides[i] as number] as [number, number] })), b.constant(select, 'float32', [1, S, K]), [4, 4]), 'maps');
    const out = await runBuilder(b, Object.fromEntries(sides.map((s, i) => [`p${i}`, f32([1, heads[i] as number, s * s, S], probs[i] as Float32Array)])));
    const want = new Float64Array(K * 16);
    const tokenOf = [1, 0];
    sides.forEach((s, li) => {
      for (let h = 0; h < (heads[li] as number); h++) for (let k = 0; k < K; k++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) {
        let v = 0;
        if (s >= 4) {
          const f = s / 4;
          for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) v += (probs[li] as Float32Array)[((h * s * s) + (y * f + dy) * s + (x * f + dx)) * S + (tokenOf[k] as number)] as number;
          v /= f * f;
        } else {
          const f = 4 / s;
          v = (probs[li] as Float32Array)[((h * s * s) + Math.floor(y / f) * s + Math.floor(x / f)) * S + (tokenOf[k] as number)] as number;
        }
        want[k * 16 + y * 4 + x] = (want[k * 16 + y * 4 + x] as number) + v / 4;
      }
    });
    const got = out.maps?.data as Float32Array;
    expect(Math.max(...[...want].map((v, i) => Math.abs(v - (got[i] as number))))).toBeLessThan(1e-5);
  });
});

describe('the ablation switches in the training graph', () => {
  it('all-scales feeds the calibration from every attn2 layer (mid block included); twice squaring changes the class maps', async () => {
    const { tinyTrainGraph } = await import('./tiny');
    const { DISENDIFF_DEFAULTS, DISENDIFF_TERMS } = await import('../../src/train/config');
    const plain = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, terms: DISENDIFF_TERMS }, 1, true);
    const all = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, terms: DISENDIFF_TERMS, mapLayers: 'all-scales' }, 1, true);
    const twice = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, terms: { ...DISENDIFF_TERMS, twiceSquaring: true } }, 1, true);
    expect(all.mapSize).toEqual(plain.mapSize);
    const nodes = (g: typeof plain) => g.backward.graph.nodes.length;
    expect(nodes(all)).toBeGreaterThan(nodes(plain));
    expect(nodes(twice)).toBeGreaterThan(nodes(plain));
    expect(all.trainable).toEqual(plain.trainable);
  });
});
