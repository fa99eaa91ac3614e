// Tiny UNet2DConditionModel built by the toolkit, run in onnxruntime-node, against the TS reference
// (test/helpers/refModels.ts): output, every cross-attention map, map normalisation, K/V as inputs, SOS detach.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { GraphError } from '../../../src/lib/errors';
import { TINY_UNET } from '../../../src/onnx/models/configs';
import { buildUnet } from '../../../src/onnx/models/unet/unet';
import { RandomWeights } from '../../../src/onnx/models/weights';
import { refUnet } from '../../helpers/refModels';
import { tensor } from '../../helpers/refOps';
import { closeness, f32, runBuilder, wasmOrt } from '../../helpers/ort';

const B = 2;
const H = 8;
const S = 8;
const rng = new Rng(11);
const sample = rng.normalArray(B * 4 * H * H);
const timestep = [17, 901];
const context = rng.normalArray(B * S * 32);
const feeds = () => ({ sample: f32([B, 4, H, H], sample), timestep: f32([B], timestep), encoder_hidden_states: f32([B, S, 32], context) });

const weights = new RandomWeights(3);
const ref = refUnet(TINY_UNET, weights, tensor([B, 4, H, H], sample), timestep, tensor([B, S, 32], context));

describe('when building the tiny UNet with random weights', () => {
  const built = buildUnet(TINY_UNET, { weights, batch: B, height: H, width: H, seqLen: S, exposeCrossAttention: true });

  it('declares the diffusers inputs and output shape', () => {
    expect(built.builder.graph.inputs.map((i) => `${i.name}:${i.shape?.join('x')}`)).toEqual(['sample:2x4x8x8', 'timestep:2', 'encoder_hidden_states:2x8x32']);
    expect(built.builder.get('out_sample').shape).toEqual([B, 4, H, H]);
  });

  it('lists one cross-attention output per attn2 with resolution, heads and shape', () => {
    expect(built.crossAttention.map((c) => `${c.layer}@${c.resolution.join('x')}`)).toEqual([
      'down_blocks.0.attentions.0.transformer_blocks.0.attn2@8x8',
      'mid_block.attentions.0.transformer_blocks.0.attn2@4x4',
      'up_blocks.1.attentions.0.transformer_blocks.0.attn2@8x8',
      'up_blocks.1.attentions.1.transformer_blocks.0.attn2@8x8',
    ]);
    expect(built.crossAttention[1]).toMatchObject({ heads: 2, shape: [B, 2, 16, S], output: 'mid_block.attentions.0.transformer_blocks.0.attn2.attn_probs' });
  });

  it('matches the TS reference output and every attention map', async () => {
    const out = await runBuilder(built.builder, feeds());
    const y = out.out_sample!.data as Float32Array;
    expect(y.every(Number.isFinite)).toBe(true);
    expect(closeness(y, ref.out.data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
    for (const c of built.crossAttention) {
      const got = out[c.output]!.data as Float32Array;
      expect(closeness(got, ref.probs.get(c.layer)!.data, 1e-5, 1e-3), c.layer).toBeLessThanOrEqual(1);
    }
  });

  it('matches the TS reference in onnxruntime-web wasm too', async () => {
    const out = await runBuilder(built.builder, feeds(), await wasmOrt());
    expect(closeness(out.out_sample!.data as Float32Array, ref.out.data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('gives attention maps that sum to 1 over tokens', async () => {
    const out = await runBuilder(built.builder, feeds());
    const p = out[built.crossAttention[0]!.output]!.data as Float32Array;
    for (let row = 0; row < p.length / S; row++) {
      const sum = p.subarray(row * S, row * S + S).reduce((a, v) => a + v, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('when the trainer asks for K/V weights as inputs and a detached SOS', () => {
  const layer = 'up_blocks.1.attentions.1.transformer_blocks.0.attn2';
  const built = buildUnet(TINY_UNET, { weights, batch: B, height: H, width: H, seqLen: S, kvAsInputs: [layer, 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_v.weight'], detachSosKv: true, exposeCrossAttention: (l) => l.resolution[0] === 4 });

  it('declares exactly the requested weights as inputs in diffusers layout [out, in]', () => {
    expect(built.kvInputs).toEqual(['down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_v.weight', `${layer}.to_k.weight`, `${layer}.to_v.weight`]);
    expect(built.builder.graph.inputs.find((i) => i.name === `${layer}.to_k.weight`)?.shape).toEqual([32, 32]);
    expect(built.builder.graph.initializers.some((t) => t.name === `${layer}.to_k.weight`)).toBe(false);
    expect(built.crossAttention.map((c) => c.layer)).toEqual(['mid_block.attentions.0.transformer_blocks.0.attn2']);
  });

  it('computes the same forward when fed the same weight values', async () => {
    const extra = Object.fromEntries(built.kvInputs.map((n) => [n, f32([32, 32], weights.get(n, [32, 32]))]));
    const out = await runBuilder(built.builder, { ...feeds(), ...extra });
    expect(closeness(out.out_sample!.data as Float32Array, ref.out.data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('marks one stop-gradient per attn2 K and V', () => {
    const stops = built.builder.graph.nodes.filter((n) => n.opType === 'Identity' && n.docString === 'disenstudio:stop_gradient');
    expect(stops).toHaveLength(2 * 4);
  });

  it('rejects a K/V request that names no layer', () => {
    expect(() => buildUnet(TINY_UNET, { weights: 'shapes-only', batch: 1, height: 8, width: 8, kvAsInputs: ['up_blocks.9.attn2'] })).toThrow(/kvAsInputs: no attn2 K\/V weight matches up_blocks\.9\.attn2/);
  });

  it('rejects a latent size the blocks cannot halve', () => {
    expect(() => buildUnet(TINY_UNET, { batch: 1, height: 7, width: 8 })).toThrow(GraphError);
  });
});

describe('when the config uses linear projections (SD 2.x style) and per-block head counts', () => {
  const cfg = { ...TINY_UNET, use_linear_projection: true, attention_head_dim: [2, 4] };
  const built = buildUnet(cfg, { weights, batch: B, height: H, width: H, seqLen: S, exposeCrossAttention: true });

  it('declares proj_in/proj_out as Linear [C, C] and per-block heads', () => {
    expect(built.params.find((p) => p.name === 'down_blocks.0.attentions.0.proj_in.weight')?.shape).toEqual([32, 32]);
    expect(built.crossAttention.map((c) => c.heads)).toEqual([2, 4, 2, 2]);
  });

  it('matches the TS reference', async () => {
    const out = await runBuilder(built.builder, feeds());
    const linRef = refUnet(cfg, weights, tensor([B, 4, H, H], sample), timestep, tensor([B, S, 32], context));
    expect(closeness(out.out_sample!.data as Float32Array, linRef.out.data, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });
});
