// The K/V LoRA option of the training graph (DisenDiffConfig.kvLora, src/train/graphs/kvLora.ts): each attn2 to_k/to_v
// is W0 + (α/r)·up·down with W0 frozen. Checked on the tiny configs: the trainables and their shapes; with up = 0
// (the LoRA init) the loss equals the full-K/V graph's on the same weights; with non-zero factors the loss equals the
// full graph's at the merged W and the factor gradients obey the chain rule (∂L/∂up = s·G·downᵀ, ∂L/∂down = s·upᵀ·G,
// G = the full graph's ∂L/∂W); central finite differences on factor elements.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/random';
import { encodeModel, modelOf, RandomWeights, TINY_CLIP_TEXT, TINY_UNET } from '../../src/onnx/index';
import type { HostTensor, Session } from '../../src/runtime/types';
import { buildTrainGraph, DISENDIFF_DEFAULTS, initialLoraFactors } from '../../src/train/index';
import type { TrainGraph } from '../../src/train/index';
import { nodeOrt } from '../helpers/ort';
import { runFloat as run, SEQ, tinyTrainFeeds, tinyTrainGraph } from './tiny';

const LORA = { rank: 4, alpha: 8 };
const SCALE = LORA.alpha / LORA.rank;
const PROMPTS = ['photo of a <cat1> cat and <dog1> dog', 'photo of a <dog1> dog'];
/** Data feeds and the modifier rows; the K/V weights (seed-3 random, the graph's own W0) when the graph trains them. */
const feedsFor = (tg: TrainGraph) => tinyTrainFeeds(tg, PROMPTS.map((prompt, k) => ({ prompt, timestep: 150 + 500 * k })));


/** Factors with a seeded non-zero up (the init's up = 0 would make every ∂L/∂down zero). */
function nonZeroFactors(tg: TrainGraph, seed: number): Record<string, HostTensor> {
  const f = initialLoraFactors(tg.kvLora as NonNullable<TrainGraph['kvLora']>, seed);
  const rng = new Rng(seed + 1);
  for (const x of tg.kvLora?.factors ?? []) (f[x.up] as HostTensor).data = Float32Array.from(rng.normalArray(x.shape[0] * LORA.rank), (v) => 0.05 * v);
  return f;
}

/** W0 + s·up·down in float64, rounded to float32. */
function merged(w0: Float32Array, up: Float32Array, down: Float32Array, out: number, inner: number, r: number): Float32Array {
  const w = new Float32Array(out * inner);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = 0;
      for (let k = 0; k < r; k++) acc += (up[o * r + k] as number) * (down[k * inner + i] as number);
      w[o * inner + i] = (w0[o * inner + i] as number) + SCALE * acc;
    }
  }
  return w;
}


const session = (name: string, tg: TrainGraph): Promise<Session> => nodeOrt().createSession(name, encodeModel(modelOf(tg.backward.graph, { producerName: 'test' })));

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

describe('K/V as LoRA factors (kvLora)', () => {
  const config = { ...DISENDIFF_DEFAULTS, attentionLossWeight: 1, maskAttentionWeight: 1 };
  const full = tinyTrainGraph(config, 2);
  const lora = tinyTrainGraph({ ...config, kvLora: LORA }, 2);

  it('trains the modifier rows and a down [r, in] / up [out, r] pair per K/V weight, no K/V input left', () => {
    const plan = lora.kvLora as NonNullable<TrainGraph['kvLora']>;
    expect(plan.rank).toBe(4);
    expect(plan.alpha).toBe(8);
    expect(plan.factors.map((f) => f.weight)).toEqual(full.trainable.slice(1));
    expect(lora.trainable).toEqual(['extra_token_embeds', ...plan.factors.flatMap((f) => [f.down, f.up])]);
    const inputs = new Map(lora.backward.graph.inputs.map((v) => [v.name, v.shape]));
    for (const f of plan.factors) {
      expect(f.down).toBe(f.weight.replace(/\.weight$/, '.lora_down.weight'));
      expect(inputs.get(f.down)).toEqual([4, f.shape[1]]);
      expect(inputs.get(f.up)).toEqual([f.shape[0], 4]);
      expect(inputs.has(f.weight)).toBe(false);
    }
    expect(lora.dataInputs).toEqual(full.dataInputs);
  });

  it('starts at the frozen model: with up = 0 the loss equals the full-K/V graph\'s on the same weights', async () => {
    const init = initialLoraFactors(lora.kvLora as NonNullable<TrainGraph['kvLora']>, 7);
    const down = init[lora.trainable[1] as string] as HostTensor;
    expect(Math.max(...(down.data as Float32Array).map(Math.abs))).toBeGreaterThan(0);
    expect(Math.max(...(down.data as Float32Array).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(down.dims[1] as number));
    expect((init[lora.trainable[2] as string]?.data as Float32Array).every((v) => v === 0)).toBe(true);
    const [sf, sl] = [await session('kv_full', full), await session('kv_lora', lora)];
    const a = await run(sf, feedsFor(full));
    const b = await run(sl, { ...feedsFor(lora), ...init });
    await Promise.all([sf.dispose(), sl.dispose()]);
    expect(b.loss?.[0]).toBeCloseTo(a.loss?.[0] as number, 6);
    expect(relErr(b['grad/extra_token_embeds'] as Float32Array, a['grad/extra_token_embeds'] as Float32Array)).toBeLessThan(1e-5);
  });

  it('equals the full graph at the merged W, and its factor gradients are the chain rule of the full K/V gradient', async () => {
    const factors = nonZeroFactors(lora, 11);
    const w0 = new RandomWeights(3);
    const fullFeeds = feedsFor(full);
    for (const f of lora.kvLora?.factors ?? []) {
      fullFeeds[f.weight] = { dtype: 'float32', dims: f.shape, data: merged(w0.get(f.weight, f.shape), factors[f.up]?.data as Float32Array, factors[f.down]?.data as Float32Array, f.shape[0], f.shape[1], LORA.rank) };
    }
    const [sf, sl] = [await session('kv_full2', full), await session('kv_lora2', lora)];
    const a = await run(sf, fullFeeds);
    const b = await run(sl, { ...feedsFor(lora), ...factors });
    await Promise.all([sf.dispose(), sl.dispose()]);
    expect(b.loss?.[0]).toBeCloseTo(a.loss?.[0] as number, 5);
    for (const f of lora.kvLora?.factors ?? []) {
      const [out, inner] = f.shape;
      const r = LORA.rank;
      const G = a[`grad/${f.weight}`] as Float32Array;
      const up = factors[f.up]?.data as Float32Array;
      const down = factors[f.down]?.data as Float32Array;
      const wantUp = new Float64Array(out * r);
      const wantDown = new Float64Array(r * inner);
      for (let o = 0; o < out; o++) {
        for (let i = 0; i < inner; i++) {
          const g = SCALE * (G[o * inner + i] as number);
          for (let k = 0; k < r; k++) {
            wantUp[o * r + k] = (wantUp[o * r + k] as number) + g * (down[k * inner + i] as number);
            wantDown[k * inner + i] = (wantDown[k * inner + i] as number) + g * (up[o * r + k] as number);
          }
        }
      }
      expect(relErr(b[`grad/${f.up}`] as Float32Array, wantUp), f.up).toBeLessThan(1e-3);
      expect(relErr(b[`grad/${f.down}`] as Float32Array, wantDown), f.down).toBeLessThan(1e-3);
    }
  });

  it('has factor gradients that agree with central finite differences (a map layer\'s to_k, the mid block\'s to_v)', async () => {
    // as in trainGraph.test.ts: stop-gradients off (SOS K/V, sg[C] in L_bind), so FD sees the same derivative
    const terms = { ...DISENDIFF_DEFAULTS.terms, bind: false };
    const tg = tinyTrainGraph({ ...config, terms, kvLora: LORA }, 2, false, false);
    const feeds = { ...feedsFor(tg), ...nonZeroFactors(tg, 11) };
    const s = await session('kv_fd', tg);
    const base = await run(s, feeds);
    const checked = ['down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k', 'mid_block.attentions.0.transformer_blocks.0.attn2.to_v'].flatMap((m) => [`${m}.lora_down.weight`, `${m}.lora_up.weight`]);
    const report: string[] = [];
    for (const name of checked) {
      const g = base[tg.backward.grads[name] as string] as Float32Array;
      const order = [...g.keys()].sort((x, y) => Math.abs(g[y] as number) - Math.abs(g[x] as number)).slice(0, 2);
      for (const i of order) {
        const x = feeds[name] as HostTensor;
        const probe = async (d: number): Promise<number> => {
          const data = (x.data as Float32Array).slice();
          data[i] = (data[i] as number) + d;
          return (await run(s, { ...feeds, [name]: { ...x, data } })).loss?.[0] as number;
        };
        const eps = 1e-2;
        const fd = ((await probe(eps)) - (await probe(-eps))) / (2 * eps);
        report.push(`${name}[${i}] g=${g[i]} fd=${fd}`);
        expect(Math.abs(g[i] as number), report.join('\n')).toBeGreaterThan(1e-4);
        expect(Math.abs(fd - (g[i] as number)), report.join('\n')).toBeLessThanOrEqual(0.01 * Math.abs(g[i] as number) + 1e-4);
      }
    }
    await s.dispose();
  });

  it('keeps its gradients under activation recomputation (recompute: \'layers\')', async () => {
    const re = buildTrainGraph({ unet: TINY_UNET, text: TINY_CLIP_TEXT, concepts: 2, batch: 2, height: 8, width: 8, seqLen: SEQ, seed: 3, config: { ...config, kvLora: LORA }, recompute: 'layers' });
    const feeds = { ...feedsFor(lora), ...nonZeroFactors(lora, 11) };
    const [sa, sb] = [await session('kv_plain', lora), await session('kv_recompute', re)];
    const [a, b] = [await run(sa, feeds), await run(sb, feeds)];
    await Promise.all([sa.dispose(), sb.dispose()]);
    expect(b.loss?.[0]).toBe(a.loss?.[0]);
    for (const name of lora.trainable) expect(relErr(b[`grad/${name}`] as Float32Array, a[`grad/${name}`] as Float32Array), name).toBeLessThan(1e-6);
  });

  it('refuses a rank that is not a positive integer or exceeds a weight\'s smaller side', () => {
    expect(() => tinyTrainGraph({ ...config, kvLora: { rank: 0 } })).toThrow(/kvLora.rank must be a positive integer/);
    expect(() => tinyTrainGraph({ ...config, kvLora: { rank: 1000 } })).toThrow(/kvLora.rank 1000 exceeds the smaller side/);
  });
});
