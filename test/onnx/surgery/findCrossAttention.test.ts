// findCrossAttention on imported-looking SD 1.5 UNets (narrow widths, latent 16×16): all 16 attn2 layers, the
// five at the level that is 16×16 for a 64×64 latent (4×4 here), no attn1, with diffusers weight names and with
// torch.onnx's anonymous pre-transposed weights.
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../src/lib/errors';
import { findCrossAttention } from '../../../src/onnx/index';
import { importedUnet, LATENT, SEQ, torchStyle } from './exportLike';

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

describe('when the context input is missing', () => {
  it('throws a GraphError listing the inputs', () => {
    expect(() => findCrossAttention(imported.graph, { context: 'text_embeds' })).toThrow(GraphError);
    expect(() => findCrossAttention(imported.graph, { context: 'text_embeds' })).toThrow(/sample, timestep, encoder_hidden_states/);
  });
});
