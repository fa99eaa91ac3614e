// The SD 1.5 configuration built in 'shapes-only' mode (parameters as dataless graph inputs): exact parameter
// counts against the published checkpoints, output shapes, and the DisenDiff layer facts (docs/disendiff.md §2.1, §2.5).
import { describe, expect, it } from 'vitest';
import { numElements } from '../../../src/onnx/ir/dtype';
import { buildClipText } from '../../../src/onnx/models/clipText';
import { SD15_CLIP_TEXT, SD15_UNET, SD15_VAE } from '../../../src/onnx/models/configs';
import { buildUnet } from '../../../src/onnx/models/unet/unet';
import { buildVaeDecoder } from '../../../src/onnx/models/vae/decoder';
import { buildVaeEncoder } from '../../../src/onnx/models/vae/encoder';

describe('when building Stable Diffusion 1.5 without weights', () => {
  it('has exactly 859,520,964 UNet parameters and a [1, 4, 8, 8] output at latent 8×8', () => {
    const u = buildUnet(SD15_UNET, { weights: 'shapes-only', batch: 1, height: 8, width: 8 });
    expect(u.paramCount).toBe(859_520_964);
    expect(u.params).toHaveLength(686);
    expect(u.builder.graph.initializers.every((t) => numElements(t.dims) <= 4096)).toBe(true);
    expect(u.builder.get('out_sample').shape).toEqual([1, 4, 8, 8]);
  });

  it('has exactly 123,060,480 text-encoder parameters and last_hidden_state [1, 77, 768]', () => {
    const c = buildClipText(SD15_CLIP_TEXT, { weights: 'shapes-only', batch: 1 });
    expect(c.paramCount).toBe(123_060_480);
    expect(c.builder.get('last_hidden_state').shape).toEqual([1, 77, 768]);
  });

  it('has exactly 83,653,863 VAE parameters (encoder + quant_conv + post_quant_conv + decoder)', () => {
    const e = buildVaeEncoder(SD15_VAE, { weights: 'shapes-only', batch: 1, height: 64, width: 64 });
    const d = buildVaeDecoder(SD15_VAE, { weights: 'shapes-only', batch: 1, height: 8, width: 8 });
    expect(e.paramCount + d.paramCount).toBe(83_653_863);
    expect(e.builder.get('latent_parameters').shape).toEqual([1, 8, 8, 8]);
    expect(d.builder.get('sample').shape).toEqual([1, 3, 64, 64]);
  });

  it('exposes the five 16×16 attn2 maps [1, 8, 256, 77] and 32 K/V inputs of 19,169,280 values at 64×64', () => {
    const u = buildUnet(SD15_UNET, {
      weights: 'shapes-only', batch: 1, height: 64, width: 64, kvAsInputs: true, exposeCrossAttention: (l) => l.resolution[0] === 16,
    });
    expect(u.crossAttention.map((c) => c.layer.replace('.transformer_blocks.0.attn2', ''))).toEqual([
      'down_blocks.2.attentions.0', 'down_blocks.2.attentions.1', 'up_blocks.1.attentions.0', 'up_blocks.1.attentions.1', 'up_blocks.1.attentions.2',
    ]);
    expect(u.crossAttention.every((c) => c.heads === 8 && c.shape.join() === '1,8,256,77')).toBe(true);
    expect(u.kvInputs).toHaveLength(32);
    const kv = u.params.filter((p) => u.kvInputs.includes(p.name)).reduce((s, p) => s + numElements(p.shape), 0);
    expect(kv).toBe(19_169_280);
  });
});
