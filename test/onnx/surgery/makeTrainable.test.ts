// makeTrainable on an imported-looking SD 1.5 UNet: the chosen layers' probabilities become outputs named
// `<layer>.attn_probs`, their K/V weights graph inputs; fed with the removed initial values the graph computes
// the same out_sample, and each probability row sums to 1.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { makeTrainable } from '../../../src/onnx/index';
import type { HostTensor } from '../../../src/runtime/types';
import { closeness } from '../../helpers/ort';
import { fuseToMha, importedUnet, LATENT, SEQ, torchStyle } from './exportLike';
import { runGraph, unetFeeds } from './runModel';

const base = importedUnet();
const level16 = (l: { resolution: [number, number] }): boolean => l.resolution[0] === LATENT / 4;

describe('when making the five 16×16-level layers trainable', () => {
  const t = makeTrainable(base.graph, { layers: level16 });

  it('adds five probability outputs and ten K/V inputs, keeping every other weight', () => {
    const added = t.graph.outputs.slice(1);
    expect(added.map((o) => o.name)).toEqual(t.layers.map((l) => `${l.layer}.attn_probs`));
    expect(added.every((o) => o.shape?.join() === `1,8,16,${SEQ}`)).toBe(true);
    expect(t.kvInputs).toHaveLength(10);
    expect(t.graph.inputs.map((v) => v.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states', ...t.kvInputs]);
    expect(t.kvInitial.map((w) => w.name)).toEqual(t.kvInputs);
    expect(t.graph.initializers.length).toBe(base.graph.initializers.length - 10);
    expect(t.graph.nodes.length).toBe(base.graph.nodes.length + 5);
  });

  it('computes the same out_sample when fed the initial K/V, and probabilities that sum to 1 per row', async () => {
    const feeds = unetFeeds();
    const kv = Object.fromEntries(t.kvInitial.map((w): [string, HostTensor] => [w.name, { dtype: 'float32', dims: w.dims, data: w.data as Float32Array }]));
    const [before, after] = await Promise.all([runGraph(base, base.graph, feeds), runGraph(base, t.graph, { ...feeds, ...kv })]);
    expect(closeness(after.out_sample?.data as Float32Array, before.out_sample?.data as Float32Array, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    const probs = after[t.layers[2]?.output as string]?.data as Float32Array;
    for (let row = 0; row < probs.length / SEQ; row += 17) {
      const sum = probs.slice(row * SEQ, (row + 1) * SEQ).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 5);
    }
  });
});

describe('when choosing layers by name or leaving parts out', () => {
  it('takes a list of layer names and can skip exposing or promoting', () => {
    const name = 'mid_block.attentions.0.transformer_blocks.0.attn2';
    const t = makeTrainable(base.graph, { layers: [name], exposeProbs: false });
    expect(t.graph.outputs).toHaveLength(1);
    expect(t.kvInputs).toEqual([`${name}.to_k.weight`, `${name}.to_v.weight`]);
    const u = makeTrainable(base.graph, { promoteKV: false });
    expect(u.graph.outputs).toHaveLength(17);
    expect(u.graph.inputs).toHaveLength(3);
  });

  it('names unknown layers and lists the found ones', () => {
    expect(() => makeTrainable(base.graph, { layers: ['up_blocks.9.attn2'] })).toThrow(/no cross-attention layer named up_blocks\.9\.attn2; found: down_blocks\.0/);
  });

  it('tells the caller to unfuse when attention is fused', () => {
    const fused = fuseToMha({ ...base, graph: torchStyle(base.graph) });
    expect(() => makeTrainable(fused.graph)).toThrow(GraphError);
    expect(() => makeTrainable(fused.graph)).toThrow(/32 fused com\.microsoft attention nodes: call unfuseAttention first/);
  });
});
