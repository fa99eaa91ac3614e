// findCrossAttention on imported-looking SD 1.5 UNets (narrow widths, latent 16×16): all 16 attn2 layers, the
// five at the level that is 16×16 for a 64×64 latent (4×4 here), no attn1, with diffusers weight names and with
// torch.onnx's anonymous pre-transposed weights.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { findCrossAttention, fixDims, GraphBuilder, op } from '../../../src/onnx/index';
import type { Var } from '../../../src/onnx/index';
import { closeness } from '../../helpers/ort';
import { importedUnet, LATENT, SEQ, sdpaStyle, torchStyle } from './exportLike';
import { runGraph, unetFeeds } from './runModel';

const ATTN2 = [
  'down_blocks.0.attentions.0', 'down_blocks.0.attentions.1', 'down_blocks.1.attentions.0', 'down_blocks.1.attentions.1',
  'down_blocks.2.attentions.0', 'down_blocks.2.attentions.1', 'mid_block.attentions.0',
  'up_blocks.1.attentions.0', 'up_blocks.1.attentions.1', 'up_blocks.1.attentions.2', 'up_blocks.2.attentions.0', 'up_blocks.2.attentions.1',
  'up_blocks.2.attentions.2', 'up_blocks.3.attentions.0', 'up_blocks.3.attentions.1', 'up_blocks.3.attentions.2',
].map((p) => `${p}.transformer_blocks.0.attn2`);
const LEVEL_16 = ['down_blocks.2.attentions.0', 'down_blocks.2.attentions.1', 'up_blocks.1.attentions.0', 'up_blocks.1.attentions.1', 'up_blocks.1.attentions.2'];

const imported = importedUnet();

describe('when the UNet keeps diffusers weight names', () => {
  const found = findCrossAttention(imported.graph);

  it('finds the 16 attn2 layers in graph order and no attn1', () => {
    expect(found.map((l) => l.layer)).toEqual(ATTN2);
    expect(found.every((l) => !l.layer.includes('attn1'))).toBe(true);
  });

  it('reports K/V weights, heads, probabilities shape and resolution per layer', () => {
    for (const l of found) {
      expect(l.toK).toBe(`${l.layer}.to_k.weight`);
      expect(l.toV).toBe(`${l.layer}.to_v.weight`);
      expect(l.kvLayout).toBe('out-in');
      expect(l.heads).toBe(8);
      expect(l.probsShape).toEqual([1, 8, l.queryTokens, SEQ]);
      expect(l.resolution[0] * l.resolution[1]).toBe(l.queryTokens);
    }
    expect(found.map((l) => l.resolution[0])).toEqual([16, 16, 8, 8, 4, 4, 2, 4, 4, 4, 8, 8, 8, 16, 16, 16]);
  });

  it('finds exactly the five layers of the second-lowest-but-one level (16×16 at a 64×64 latent)', () => {
    const level = found.filter((l) => l.resolution[0] === LATENT / 4).map((l) => l.layer.replace('.transformer_blocks.0.attn2', ''));
    expect(level).toEqual(LEVEL_16);
  });
});

describe('when the UNet was exported by torch.onnx (anonymous pre-transposed weights)', () => {
  const graph = torchStyle(imported.graph);
  const found = findCrossAttention(graph);

  it('names the layers from the node names and reports [in, out] weights', () => {
    expect(graph.nodes.some((n) => n.name === '/down_blocks.0/attentions.0/transformer_blocks.0/attn2/to_k/MatMul')).toBe(true);
    expect(found.map((l) => l.layer)).toEqual(ATTN2);
    expect(found.every((l) => /^onnx::MatMul_\d+$/.test(l.toK) && /^onnx::MatMul_\d+$/.test(l.toV ?? '') && l.kvLayout === 'in-out')).toBe(true);
    const byName = new Map(graph.initializers.map((t) => [t.name, t]));
    expect(byName.get(found[0]?.toK as string)?.dims).toEqual([16, 32]);
  });
});

describe('when the export splits the scale onto Q and Kᵀ (scaled_dot_product_attention)', () => {
  const graph = sdpaStyle(torchStyle(imported.graph));

  it('still finds the 16 layers, and the rewrite computes the same out_sample', async () => {
    expect(findCrossAttention(graph).map((l) => l.layer)).toEqual(ATTN2);
    const feeds = unetFeeds();
    const [a, b] = await Promise.all([runGraph(imported, imported.graph, feeds), runGraph(imported, graph, feeds)]);
    expect(closeness(b.out_sample?.data as Float32Array, a.out_sample?.data as Float32Array, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
  });
});

/** diffusers' AttnProcessor layout: heads folded into the batch [B·H, T, d], baddbmm-style Q·Kᵀ·α + 0. */
function batchHeadsAttention(b: GraphBuilder, x: Var, ctx: Var, prefix: string): Var {
  const heads = 2;
  const proj = (t: Var, w: string): Var => op.MatMul(t, b.param(`${prefix}.${w}.weight`, 'float32', [t.shape[2] as number, 8], new Float32Array(8 * (t.shape[2] as number)).fill(0.1)));
  const fold = (t: Var): Var => op.Reshape(op.Transpose(op.Reshape(t, [1, t.shape[1] as number, heads, 4]), [0, 2, 1, 3]), [heads, t.shape[1] as number, 4]);
  const scores = op.Add(op.Mul(op.MatMul(fold(proj(x, 'to_q')), op.Transpose(fold(proj(ctx, 'to_k')), [0, 2, 1])), b.scalar(0.5)), b.scalar(0));
  return op.MatMul(op.Softmax(scores, -1), fold(proj(ctx, 'to_v')));
}

describe('when heads are folded into the batch (attention scores [B·H, N, M])', () => {
  it('matches only the layer whose K reads the context, with heads = B·H / B and a 3×3 grid', () => {
    const b = new GraphBuilder('bmm');
    const x = b.input('hidden', 'float32', [1, 9, 8]);
    const ctx = b.input('encoder_hidden_states', 'float32', [1, 5, 6]);
    b.output(batchHeadsAttention(b, x, x, 'attn1'), 'self');
    b.output(batchHeadsAttention(b, x, ctx, 'attn2'), 'cross');
    const found = findCrossAttention(b.graph);
    expect(found.map((l) => [l.layer, l.heads, l.queryTokens, l.resolution.join('x'), l.toV, l.kvLayout])).toEqual([['attn2', 2, 9, '3x3', 'attn2.to_v.weight', 'in-out']]);
  });
});

/** torch.onnx's dynamic head split: Reshape(t, Concat(Shape(t)[0], Shape(t)[1], [heads, −1])); scores divided by √d. */
function dynamicAttention(): GraphBuilder {
  const b = new GraphBuilder('dynamic');
  const x = b.input('hidden', 'float32', [1, 9, 8]);
  const ctx = b.input('encoder_hidden_states', 'float32', [1, 5, 6]);
  const w = (name: string, rows: number): Var => b.param(name, 'float32', [rows, 8], new Float32Array(rows * 8).fill(0.1));
  const split = (t: Var): Var => {
    const s = op.Shape(t);
    return op.Reshape(t, op.Concat([op.Gather(s, [0]), op.Gather(s, [1]), b.ints([2, -1])], 0));
  };
  const q = op.Transpose(split(op.MatMul(x, w('onnx::MatMul_7', 8), '/attn2/to_q/MatMul')), [0, 2, 1, 3]);
  const k = op.Transpose(split(op.MatMul(ctx, w('onnx::MatMul_8', 6), '/attn2/to_k/MatMul')), [0, 2, 3, 1]);
  const v = op.Transpose(split(op.MatMul(ctx, w('onnx::MatMul_9', 6), '/attn2/to_v/MatMul')), [0, 2, 1, 3]);
  b.output(op.MatMul(op.Softmax(op.Div(op.MatMul(q, k), b.scalar(2)), -1), v), 'out');
  return b;
}

describe('when the export has symbolic dims and computes head-split shapes at run time', () => {
  const g = dynamicAttention().graph;
  const symbolic = { ...g, inputs: g.inputs.map((vi) => ({ ...vi, shape: vi.name === 'hidden' ? ['batch', 'tokens', 8] : ['batch', 'sequence', 6] })) };

  it('asks for static dims first', () => {
    expect(() => findCrossAttention(symbolic)).toThrow(/cannot infer the shape of the attention probabilities.*fixDims/);
  });

  it('finds the layer after fixDims, folding Shape → Gather → Concat into the head count', () => {
    const found = findCrossAttention(fixDims(symbolic, { batch: 1, tokens: 9, sequence: 5 }));
    expect(found.map((l) => [l.layer, l.toK, l.toV, l.heads, l.probsShape.join()])).toEqual([['attn2', 'onnx::MatMul_8', 'onnx::MatMul_9', 2, '1,2,9,5']]);
  });
});

describe('when the context input is missing', () => {
  it('throws a GraphError listing the inputs', () => {
    expect(() => findCrossAttention(imported.graph, { context: 'text_embeds' })).toThrow(GraphError);
    expect(() => findCrossAttention(imported.graph, { context: 'text_embeds' })).toThrow(/sample, timestep, encoder_hidden_states/);
  });
});
