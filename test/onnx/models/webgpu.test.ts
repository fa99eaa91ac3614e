// Opt-in: the tiny UNet and text-encoder graphs run on onnxruntime-node's WebGPU EP with CPU fallback
// disabled (so every node has a WebGPU kernel) and match the TS reference. The VAE uses the UNet's op types
// (plus asymmetric Conv pads in the encoder); SwiftShader compiles shaders slowly, so it is left out. Needs an adapter:
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium (docs/platform.md).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { encodeModel } from '../../../src/onnx/index';
import type { GraphBuilder } from '../../../src/onnx/index';
import { buildClipText } from '../../../src/onnx/models/clipText';
import { TINY_CLIP_TEXT, TINY_UNET } from '../../../src/onnx/models/configs';
import { buildUnet } from '../../../src/onnx/models/unet/unet';
import { RandomWeights } from '../../../src/onnx/models/weights';
import { createNodeRunner } from '../../../src/runtime/node';
import type { Feed, HostTensor } from '../../../src/runtime/types';
import { refClipText, refUnet } from '../../helpers/refModels';
import { tensor } from '../../helpers/refOps';
import { closeness, f32 } from '../../helpers/ort';

const hasAdapter = Boolean(process.env.VK_ICD_FILENAMES) || process.env.DISEN_WEBGPU === '1';
const rng = new Rng(31);
const weights = new RandomWeights(6);

async function runOnGpu(b: GraphBuilder, feeds: Record<string, Feed>): Promise<Record<string, HostTensor>> {
  const s = await createNodeRunner({ ep: 'webgpu' }).createSession(b.graph.name, encodeModel(b.toModel()), { disableCpuFallback: true });
  try {
    return (await s.run(feeds)) as Record<string, HostTensor>;
  } finally {
    await s.dispose();
  }
}

describe.skipIf(!hasAdapter)('on the WebGPU EP without CPU fallback (set VK_ICD_FILENAMES to run)', () => {
  it('runs the tiny UNet with exposed attention maps and K/V inputs', async () => {
    const sample = rng.normalArray(4 * 64);
    const context = rng.normalArray(6 * 32);
    const kv = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';
    const u = buildUnet(TINY_UNET, { weights, batch: 1, height: 8, width: 8, seqLen: 6, exposeCrossAttention: true, kvAsInputs: [kv], detachSosKv: true });
    const out = await runOnGpu(u.builder, {
      sample: f32([1, 4, 8, 8], sample), timestep: f32([1], [250]), encoder_hidden_states: f32([1, 6, 32], context), [kv]: f32([32, 32], weights.get(kv, [32, 32])),
    });
    const ref = refUnet(TINY_UNET, weights, tensor([1, 4, 8, 8], sample), [250], tensor([1, 6, 32], context));
    expect(closeness(out.out_sample!.data as Float32Array, ref.out.data, 1e-3, 1e-2)).toBeLessThanOrEqual(1);
    const probs = out[u.crossAttention[0]!.output]!.data as Float32Array;
    expect(closeness(probs, ref.probs.get(u.crossAttention[0]!.layer)!.data, 1e-4, 1e-2)).toBeLessThanOrEqual(1);
  });

  it('runs the tiny text encoder with extra token rows', async () => {
    const ids = [[0, 4, 8, 100, 3, 99]];
    const extra = rng.normalArray(32, 0.5);
    const c = buildClipText(TINY_CLIP_TEXT, { weights, batch: 1, seqLen: 6, extraTokenRows: 1 });
    const out = await runOnGpu(c.builder, { input_ids: { dtype: 'int32', dims: [1, 6], data: Int32Array.from(ids[0]!) }, extra_token_embeds: f32([1, 32], extra) });
    expect(closeness(out.last_hidden_state!.data as Float32Array, refClipText(TINY_CLIP_TEXT, weights, ids, extra).data, 1e-3, 1e-2)).toBeLessThanOrEqual(1);
  });

});
