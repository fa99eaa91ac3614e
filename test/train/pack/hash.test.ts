// baseModelHash over the three model layouts a user can load: diffusers folder, ONNX export, single-file
// checkpoint. The hash must change with the weights and refuse folders with nothing to hash.
import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { baseModelHash } from '../../../src/train/pack/hash';

const bytes = (...v: number[]): Uint8Array => Uint8Array.from(v);
const src = (files: Record<string, Uint8Array>): MemoryFileSource => new MemoryFileSource(new Map(Object.entries(files)), 'm');

describe('baseModelHash', () => {
  it('hashes diffusers, ONNX-export and single-file layouts, and changes with the weights', async () => {
    const diffusers = await baseModelHash(src({ 'unet/diffusion_pytorch_model.safetensors': bytes(1), 'text_encoder/model.safetensors': bytes(2), 'vae/x.safetensors': bytes(3) }));
    const onnx = await baseModelHash(src({ 'unet/model.onnx': bytes(1), 'unet/model.onnx_data': bytes(4), 'text_encoder/model.onnx': bytes(2) }));
    const onnx2 = await baseModelHash(src({ 'unet/model.onnx': bytes(1), 'unet/model.onnx_data': bytes(5), 'text_encoder/model.onnx': bytes(2) }));
    const single = await baseModelHash(src({ 'v1-5.safetensors': bytes(9), 'tokenizer/vocab.json': bytes(0) }));
    for (const h of [diffusers, onnx, onnx2, single]) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([diffusers, onnx, onnx2, single]).size).toBe(4);
  });
  it('refuses a folder with no UNet/text-encoder weights, naming the layouts it expects', async () => {
    await expect(baseModelHash(src({ 'vae/x.safetensors': bytes(1), 'readme.txt': bytes(2) }))).rejects.toThrow(/diffusers.*ONNX export.*checkpoint/);
  });
});
