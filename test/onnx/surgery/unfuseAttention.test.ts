// unfuseAttention: UNets whose attention was fused into com.microsoft.MultiHeadAttention (ORT's optimizer
// pattern, mimicked by fuseToMha) run the same after unfusing, and their cross-attention is found again;
// Attention, packed KV and biased MHA nodes unfuse to ORT's numbers; unsupported inputs fail naming the node.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import { findCrossAttention, makeTrainable, modelOf, unfuseAttention } from '../../../src/onnx/index';
import type { Model, Node } from '../../../src/onnx/index';
import { closeness, f32 } from '../../helpers/ort';
import { fuseToMha, importedUnet, LATENT, packKv, torchStyle } from './exportLike';
import { runGraph, unetFeeds } from './runModel';

const base = importedUnet();
const fused = fuseToMha({ ...base, graph: torchStyle(base.graph) });

describe('when a UNet has fused MultiHeadAttention nodes', () => {
  it('has 32 fused nodes and no visible cross-attention before unfusing', () => {
    expect(fused.graph.nodes.filter((n) => n.opType === 'MultiHeadAttention')).toHaveLength(32);
    expect(findCrossAttention(fused.graph)).toHaveLength(0);
  });

  it('unfuses to plain ops with the same out_sample as the fused and the original graphs', async () => {
    const g = unfuseAttention(fused.graph);
    expect(g.nodes.some((n) => n.domain === 'com.microsoft')).toBe(false);
    const feeds = unetFeeds();
    const [orig, viaMha, unfused] = await Promise.all([runGraph(base, base.graph, feeds), runGraph(fused, fused.graph, feeds), runGraph(fused, g, feeds)]);
    const o = orig.out_sample?.data as Float32Array;
    expect(closeness(viaMha.out_sample?.data as Float32Array, o, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
    expect(closeness(unfused.out_sample?.data as Float32Array, o, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('finds the 16 cross-attention layers again after unfusing, named from the torch node names', () => {
    const found = findCrossAttention(unfuseAttention(fused.graph));
    expect(found).toHaveLength(16);
    expect(found[4]?.layer).toBe('down_blocks.2.attentions.0.transformer_blocks.0.attn2');
    expect(found.every((l) => l.toK.startsWith('onnx::MatMul_') && l.heads === 8)).toBe(true);
  });
});

describe('when cross-attention K/V are packed into one projection (ORT packed-KV fusion)', () => {
  const packed = packKv(fused);
  const g = unfuseAttention(packed.graph);

  it('unfuses to the original out_sample', async () => {
    expect(packed.graph.nodes.filter((n) => n.opType === 'MultiHeadAttention' && n.inputs.length === 2)).toHaveLength(16);
    const feeds = unetFeeds();
    const [orig, unfused] = await Promise.all([runGraph(base, base.graph, feeds), runGraph(packed, g, feeds)]);
    expect(closeness(unfused.out_sample?.data as Float32Array, orig.out_sample?.data as Float32Array, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('finds 16 packed layers (stable index names) and promotes one weight per chosen layer', () => {
    const found = findCrossAttention(g);
    expect(found.map((l) => l.layer)).toEqual(Array.from({ length: 16 }, (_, i) => `cross_attention.${i}`));
    expect(found.every((l) => l.isKvPacked && l.toK === l.toV && l.toK.startsWith('packed_kv_weight_'))).toBe(true);
    const t = makeTrainable(g, { layers: (l) => l.resolution[0] === LATENT / 4 });
    expect(t.layers.map((l) => l.layer)).toEqual([4, 5, 7, 8, 9].map((i) => `cross_attention.${i}`));
    expect(t.kvInputs).toHaveLength(5);
  });
});

const MS_OPSETS = [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }];

/** A one-node model around a fused op; inputs are float32 graph inputs with the given shapes. */
function oneNode(node: Node, inputs: Record<string, number[]>, outShape: number[]): Model {
  const graph = {
    name: node.opType, nodes: [node], initializers: [], valueInfo: [],
    inputs: Object.entries(inputs).map(([name, shape]) => ({ name, dtype: 'float32' as const, shape })),
    outputs: [{ name: 'out', dtype: 'float32' as const, shape: outShape }],
  };
  return modelOf(graph, { producerName: 'test', opsetImports: MS_OPSETS });
}

async function expectSameAfterUnfusing(model: Model, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const feeds = Object.fromEntries(model.graph.inputs.map((v) => {
    const dims = v.shape as number[];
    return [v.name, f32(dims, rng.normalArray(dims.reduce((a, b) => a * b, 1)))];
  }));
  const fusedOut = await runGraph(model, model.graph, feeds);
  const plainOut = await runGraph(model, unfuseAttention(model.graph), feeds);
  expect(closeness(plainOut.out?.data as Float32Array, fusedOut.out?.data as Float32Array, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
}

const mha = (inputs: string[], attrs: Node['attributes'] = {}): Node => ({
  name: 'mha', opType: 'MultiHeadAttention', domain: 'com.microsoft', inputs, outputs: ['out'], attributes: { num_heads: { type: 'int', value: 2 }, ...attrs },
});

describe('when unfusing single fused nodes', () => {
  it('matches ORT for MultiHeadAttention with a QKV bias and a custom scale', async () => {
    const m = oneNode(mha(['q', 'k', 'v', 'bias'], { scale: { type: 'float', value: 0.3 } }), { q: [2, 5, 8], k: [2, 3, 8], v: [2, 3, 8], bias: [24] }, [2, 5, 8]);
    await expectSameAfterUnfusing(m, 1);
  });

  it('matches ORT for Attention with packed QKV weights and bias', async () => {
    const att: Node = { name: 'att', opType: 'Attention', domain: 'com.microsoft', inputs: ['x', 'w', 'b'], outputs: ['out'], attributes: { num_heads: { type: 'int', value: 2 } } };
    await expectSameAfterUnfusing(oneNode(att, { x: [1, 4, 6], w: [6, 24], b: [24] }, [1, 4, 8]), 2);
  });

  it('matches ORT for MultiHeadAttention with BNSH key and value', async () => {
    await expectSameAfterUnfusing(oneNode(mha(['q', 'k', 'v']), { q: [1, 4, 8], k: [1, 2, 3, 4], v: [1, 2, 3, 4] }, [1, 4, 8]), 3);
  });

  it('unfuses packed KV [B, L, N, 2, H] to ORT\'s result for the same K and V given separately', async () => {
    // ORT's CPU kernel has no packed KV ("Packed KV not implemented for CPU"): the oracle is the unpacked node.
    const rng = new Rng(4);
    const q = f32([1, 4, 8], rng.normalArray(32));
    const kv = rng.normalArray(24 * 2);
    const part = (p: number): Float32Array => Float32Array.from({ length: 24 }, (_, i) => kv[(Math.floor(i / 4) * 2 + p) * 4 + (i % 4)] as number);
    const packed = oneNode(mha(['q', 'kv']), { q: [1, 4, 8], kv: [1, 3, 2, 2, 4] }, [1, 4, 8]);
    const separate = oneNode(mha(['q', 'k', 'v']), { q: [1, 4, 8], k: [1, 3, 8], v: [1, 3, 8] }, [1, 4, 8]);
    const want = await runGraph(separate, separate.graph, { q, k: f32([1, 3, 8], part(0)), v: f32([1, 3, 8], part(1)) });
    const got = await runGraph(packed, unfuseAttention(packed.graph), { q, kv: f32([1, 3, 2, 2, 4], kv) });
    expect(closeness(got.out?.data as Float32Array, want.out?.data as Float32Array, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
  });

  it('refuses a key padding mask, naming the node and the input', () => {
    const m = oneNode(mha(['q', 'k', 'v', '', 'mask']), { q: [1, 4, 8], k: [1, 3, 8], v: [1, 3, 8], mask: [1, 3] }, [1, 4, 8]);
    expect(() => unfuseAttention(m.graph)).toThrow(GraphError);
    expect(() => unfuseAttention(m.graph)).toThrow(/\[mha\].*input 4 "mask"/);
  });

  it('refuses unidirectional=1 and unknown attributes', () => {
    const causal = oneNode(mha(['q', 'k', 'v'], { unidirectional: { type: 'int', value: 1 } }), { q: [1, 4, 8], k: [1, 4, 8], v: [1, 4, 8] }, [1, 4, 8]);
    expect(() => unfuseAttention(causal.graph)).toThrow(/unidirectional=1/);
    const odd = oneNode(mha(['q', 'k', 'v'], { qkv_format: { type: 'int', value: 1 } }), { q: [1, 4, 8], k: [1, 4, 8], v: [1, 4, 8] }, [1, 4, 8]);
    expect(() => unfuseAttention(odd.graph)).toThrow(/attribute "qkv_format"/);
  });
});
