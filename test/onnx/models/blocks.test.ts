// Single building blocks of the UNet (one ResnetBlock2D with a time embedding and a channel change, one
// Transformer2DModel with self- and cross-attention) against the TS reference, plus the op-type allowlist
// that keeps every model graph runnable by the WebGPU EP (docs/platform.md).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { GraphBuilder, buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder, TINY_CLIP_TEXT, TINY_UNET, TINY_VAE } from '../../../src/onnx/index';
import { resnetBlock } from '../../../src/onnx/models/unet/resnet';
import { transformer2d } from '../../../src/onnx/models/unet/transformer';
import { ParamTable, RandomWeights } from '../../../src/onnx/models/weights';
import { refResnetBlock, refTransformer2d } from '../../helpers/refModels';
import { tensor } from '../../helpers/refOps';
import { closeness, f32, runBuilder } from '../../helpers/ort';

const rng = new Rng(8);
const weights = new RandomWeights(1);

describe('when building one ResnetBlock2D (16 → 32 channels, temb 24)', () => {
  const x = rng.normalArray(2 * 16 * 4 * 4);
  const temb = rng.normalArray(2 * 24);
  const b = new GraphBuilder('resnet');
  const pt = new ParamTable(b, weights);
  const y = resnetBlock(pt, b.input('x', 'float32', [2, 16, 4, 4]), { prefix: 'r', inChannels: 16, outChannels: 32, groups: 8, eps: 1e-5, tembChannels: 24 }, b.input('t', 'float32', [2, 24]));
  b.output(y, 'y');

  it('names its parameters like diffusers, with a 1×1 conv_shortcut', () => {
    expect(pt.entries.map((e) => e.name)).toEqual([
      'r.norm1.weight', 'r.norm1.bias', 'r.conv1.weight', 'r.conv1.bias', 'r.time_emb_proj.weight', 'r.time_emb_proj.bias',
      'r.norm2.weight', 'r.norm2.bias', 'r.conv2.weight', 'r.conv2.bias', 'r.conv_shortcut.weight', 'r.conv_shortcut.bias',
    ]);
  });

  it('matches the reference', async () => {
    const out = await runBuilder(b, { x: f32([2, 16, 4, 4], x), t: f32([2, 24], temb) });
    const ref = refResnetBlock(weights, tensor([2, 16, 4, 4], x), 'r', 16, 32, 8, 1e-5, tensor([2, 24], temb));
    expect(closeness(out.y!.data as Float32Array, ref.data, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
  });
});

describe('when building one Transformer2DModel (32 channels, 4 heads, context 5 × 12)', () => {
  const x = rng.normalArray(1 * 32 * 4 * 4);
  const ctx = rng.normalArray(5 * 12);
  const b = new GraphBuilder('transformer');
  const pt = new ParamTable(b, weights);
  const sites: { layer: string; name: string }[] = [];
  const y = transformer2d(pt, b.input('x', 'float32', [1, 32, 4, 4]), b.input('ctx', 'float32', [1, 5, 12]), {
    prefix: 'a', channels: 32, heads: 4, contextDim: 12, groups: 8, useLinearProjection: false,
  }, { onCrossAttention: (s) => sites.push({ layer: s.layer, name: b.output(s.probs, 'probs').name }) });
  b.output(y, 'y');

  it('matches the reference output and its cross-attention map, whose rows sum to 1', async () => {
    const out = await runBuilder(b, { x: f32([1, 32, 4, 4], x), ctx: f32([1, 5, 12], ctx) });
    const ref = refTransformer2d(weights, tensor([1, 32, 4, 4], x), tensor([1, 5, 12], ctx), 'a', 32, 4, 8);
    expect(sites).toEqual([{ layer: 'a.transformer_blocks.0.attn2', name: 'probs' }]);
    expect(closeness(out.y!.data as Float32Array, ref.out.data, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    const p = out.probs!.data as Float32Array;
    expect(closeness(p, ref.probs.data, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    for (let row = 0; row < 4 * 16; row++) expect(Math.abs(p.subarray(row * 5, row * 5 + 5).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-5);
  });
});

describe('when listing the op types of every model graph', () => {
  const WEBGPU_OPS = new Set(['Add', 'Concat', 'Conv', 'Cos', 'Erf', 'Expand', 'Gather', 'Identity', 'InstanceNormalization', 'LayerNormalization',
    'Less', 'MatMul', 'Mul', 'Not', 'Reshape', 'Sigmoid', 'Sin', 'Slice', 'Softmax', 'Split', 'Sub', 'Transpose', 'Unsqueeze', 'Where']);
  it('uses only ops with WebGPU kernels (no GroupNormalization)', () => {
    const graphs = [
      buildUnet(TINY_UNET, { weights: 'shapes-only', batch: 1, height: 8, width: 8, detachSosKv: true }).builder.graph,
      buildClipText(TINY_CLIP_TEXT, { weights: 'shapes-only', batch: 1, extraTokenRows: 1 }).builder.graph,
      buildVaeEncoder(TINY_VAE, { weights: 'shapes-only', batch: 1, height: 8, width: 8 }).builder.graph,
      buildVaeDecoder(TINY_VAE, { weights: 'shapes-only', batch: 1, height: 4, width: 4 }).builder.graph,
    ];
    const used = new Set(graphs.flatMap((g) => g.nodes.map((n) => n.opType)));
    expect([...used].filter((t) => !WEBGPU_OPS.has(t))).toEqual([]);
    expect(used.has('InstanceNormalization')).toBe(true);
  });
});
