// The whole DisenDiff training graph on the TINY configs (docs/disendiff.md §10): trainables, layer choice (and the
// SD 1.5 analogue), term switches, the loss terms against the CPU references on the graph's own maps, and
// central finite-difference spot checks of the gradient w.r.t. K/V weights and modifier rows.
import { describe, expect, it } from 'vitest';
import { buildUnet, encodeModel, modelOf, SD15_UNET } from '../../src/onnx/index';
import type { Graph } from '../../src/onnx/index';
import type { HostTensor } from '../../src/runtime/types';
import { calibrationLosses, CUSTOM_DIFFUSION_TERMS, defaultTerms, DISENDIFF_DEFAULTS, DISENDIFF_TERMS, selectAttentionLayers } from '../../src/train/index';
import type { TrainGraph } from '../../src/train/index';
import { closeness, nodeOrt } from '../helpers/ort';
import { runFloat as run, tinyTrainFeeds, tinyTrainGraph } from './tiny';

const PROMPTS = ['photo of a <cat1> cat and <dog1> dog', 'photo of a <dog1> dog'];
/** Data feeds (two samples of one world scene) and the initial trainables (seed-3 random weights, class-word rows). */
const feedsFor = (tg: TrainGraph) => tinyTrainFeeds(tg, PROMPTS.map((prompt, k) => ({ prompt, timestep: 150 + 500 * k })));

function model(graph: Graph): Uint8Array {
  return encodeModel(modelOf(graph, { producerName: 'test' }));
}



describe('the tiny training graph', () => {
  const tg = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, attentionLossWeight: 1, maskAttentionWeight: 1 }, 2, true);
  it('trains the modifier rows and to_k/to_v of all 4 attn2 layers, and reads maps from the three 8×8 layers', () => {
    expect(tg.trainable[0]).toBe('extra_token_embeds');
    expect(tg.trainable.length).toBe(1 + 8);
    expect(tg.trainable.filter((n) => /attn2\.to_k\.weight$/.test(n)).length).toBe(4);
    expect(tg.attentionLayers.map((l) => l.layer)).toEqual([
      'down_blocks.0.attentions.0.transformer_blocks.0.attn2', 'up_blocks.1.attentions.0.transformer_blocks.0.attn2', 'up_blocks.1.attentions.1.transformer_blocks.0.attn2',
    ]);
    expect(tg.mapSize).toEqual([8, 8]);
    expect(tg.terms).toEqual(['loss_base', 'loss_bind', 'loss_separate', 'loss_mask_attention', 'maps']);
  });

  it('gives loss terms equal to the CPU references on its own maps, and loss = base + λ·(bind + s&s) + λ_attn·attn', async () => {
    const s = await nodeOrt().createSession('tg_terms', model(tg.backward.graph));
    const out = await run(s, feedsFor(tg));
    await s.dispose();
    const maps = out.maps as Float32Array;
    const nested = (b: number, from: number): number[][] => [0, 1].map((i) => [...maps.subarray((b * 4 + from + i) * 64, (b * 4 + from + i + 1) * 64)]);
    const want = calibrationLosses({ modifier: [nested(0, 0), nested(1, 0)], cls: [nested(0, 2), nested(1, 2)], present: [[1, 1], [0, 1]] }, 1);
    expect(out.loss_bind?.[0]).toBeCloseTo(want.bind, 4);
    expect(out.loss_separate?.[0]).toBeCloseTo(want.separate, 4);
    const sum = (out.loss_base?.[0] as number) + want.bind + want.separate + (out.loss_mask_attention?.[0] as number);
    expect(out.loss?.[0]).toBeCloseTo(sum, 4);
  });

  it('has gradients that agree with central finite differences (K/V of a map layer, of the mid block, modifier rows)', async () => {
    // FD sees the true derivative, so the stop-gradients (SOS K/V, sg[C] in L_bind) are off here; stop-gradient
    // behaviour itself is tested in attentionGraph.test.ts.
    const terms = { ...DISENDIFF_DEFAULTS.terms, bind: false };
    const fdGraph = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, terms, attentionLossWeight: 1, maskAttentionWeight: 1 }, 2, false, false);
    const feeds = feedsFor(fdGraph);
    const s = await nodeOrt().createSession('tg_fd', model(fdGraph.backward.graph));
    const base = await run(s, feeds);
    const checked = ['extra_token_embeds', 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight', 'up_blocks.1.attentions.1.transformer_blocks.0.attn2.to_v.weight', 'mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight'];
    const report: string[] = [];
    for (const name of checked) {
      const g = base[fdGraph.backward.grads[name] as string] as Float32Array;
      const order = [...g.keys()].sort((a, b) => Math.abs(g[b] as number) - Math.abs(g[a] as number)).slice(0, 2);
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
        expect(Math.abs(fd - (g[i] as number)), report.join('\n')).toBeLessThanOrEqual(0.01 * Math.abs(g[i] as number) + 1e-4);
      }
    }
    await s.dispose();
  });
});

describe('the SOS K/V detach (Custom Diffusion trick, docs/disendiff.md §2.1)', () => {
  it('keeps the loss and the modifier-row gradient (causal CLIP: SOS never sees them) but changes the K/V gradient', async () => {
    const config = { ...DISENDIFF_DEFAULTS, terms: { ...DISENDIFF_DEFAULTS.terms, bind: false } };
    const results = [];
    for (const detach of [true, false]) {
      const tg = tinyTrainGraph(config, 2, false, detach);
      const s = await nodeOrt().createSession(`sos_${detach}`, model(tg.backward.graph));
      results.push(await run(s, feedsFor(tg)));
      await s.dispose();
    }
    const [on, off] = results as [Record<string, Float32Array>, Record<string, Float32Array>];
    const kv = 'grad/down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_v.weight';
    expect(on.loss?.[0]).toBe(off.loss?.[0]);
    expect(closeness(on['grad/extra_token_embeds'] as Float32Array, off['grad/extra_token_embeds'] as Float32Array, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    expect(closeness(on[kv] as Float32Array, off[kv] as Float32Array, 1e-6, 1e-4)).toBeGreaterThan(10);
  });
});

describe('term switches', () => {
  it('default to mask guidance only when masks exist', () => {
    expect(defaultTerms(true)).toEqual({ ...DISENDIFF_TERMS, maskedBase: true, maskAttention: true });
    expect(defaultTerms(false)).toBe(DISENDIFF_TERMS);
  });
  it('the Custom-Diffusion baseline has only the ε-MSE, and needs no selection or mask inputs', () => {
    const tg = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, terms: CUSTOM_DIFFUSION_TERMS });
    expect(tg.terms).toEqual(['loss_base']);
    expect(tg.dataInputs.sort()).toEqual(['input_ids', 'latents', 'noise', 'timestep']);
  });
  it('plain DisenDiff (no masks) has bind and s&s but no mask inputs', () => {
    const tg = tinyTrainGraph({ ...DISENDIFF_DEFAULTS, terms: DISENDIFF_TERMS });
    expect(tg.terms).toEqual(['loss_base', 'loss_bind', 'loss_separate']);
    expect(tg.dataInputs.sort()).toEqual(['input_ids', 'latents', 'noise', 'present', 'select', 'timestep']);
  });
});

describe('the SD 1.5 analogue of the layer rule', () => {
  it('picks the five 16×16 attn2 layers of a 64×64 latent (docs/disendiff.md §2.5)', () => {
    const unet = buildUnet(SD15_UNET, { batch: 1, height: 64, width: 64, weights: 'shapes-only', exposeCrossAttention: true });
    expect(unet.crossAttention.length).toBe(16);
    const picked = selectAttentionLayers(unet.crossAttention, 'second-lowest');
    expect(picked.map((l) => l.layer.replace('.transformer_blocks.0.attn2', ''))).toEqual([
      'down_blocks.2.attentions.0', 'down_blocks.2.attentions.1', 'up_blocks.1.attentions.0', 'up_blocks.1.attentions.1', 'up_blocks.1.attentions.2',
    ]);
    expect(picked.every((l) => l.heads === 8 && l.resolution[0] === 16)).toBe(true);
  });
});
