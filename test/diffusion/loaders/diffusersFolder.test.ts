// Loading a diffusers folder through the Node FileSource: the tiny random-weight folder round-trips (configs,
// tokenizer, weights, F16 variant), and every broken layout is a typed error naming the part or file.
import { describe, expect, it } from 'vitest';
import { ModelAssetError, ModelFormatError } from '../../../src/lib/errors';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { createNodeFileSource } from '../../../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { readSafetensors, writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import { RandomWeights, TINY_UNET, TINY_VAE } from '../../../src/onnx/index';
import { loadTiny, tinyFolderOnDisk } from './tinyFolder';

const load = (edit: (f: Map<string, Uint8Array>) => void) => {
  const files = writeDiffusersFolder({ seed: 2 });
  edit(files);
  return loadDiffusersFolder(new MemoryFileSource(files, 'tiny'));
};
const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

describe('when loading the tiny folder written to disk', () => {
  it('parses the configs, the tokenizer and the scheduler config', async () => {
    const m = await loadTiny({ seed: 2 });
    expect(m.unet.config.block_out_channels).toEqual(TINY_UNET.block_out_channels);
    expect(m.vae.config).toMatchObject({ block_out_channels: TINY_VAE.block_out_channels, scaling_factor: 0.18215 });
    expect(m.textEncoder.config.vocab_size).toBe(534);
    expect(m.tokenizer.encode('a photo of a cat').tokens).toEqual(['<|startoftext|>', 'a</w>', 'photo</w>', 'of</w>', 'a</w>', 'cat</w>', '<|endoftext|>']);
    expect(m.scheduler).toEqual({ className: 'PNDMScheduler', overrides: { numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', predictionType: 'epsilon', setAlphaToOne: false, stepsOffset: 1, clipSample: false } });
  });

  it('serves exactly the seeded weights by their diffusers names', async () => {
    const m = await loadTiny({ seed: 2 });
    const name = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';
    const expected = new RandomWeights(2).get(name, [32, 32]);
    expect(m.unet.weights.get(name, [32, 32])).toEqual(expected);
    expect(m.unet.weights.get('no.such.weight', [1])).toBeUndefined();
  });

  it('decodes an F16 folder to within half-precision rounding', async () => {
    const m = await loadTiny({ seed: 2, isFp16: true });
    const name = 'text_model.embeddings.token_embedding.weight';
    const got = m.textEncoder.weights.get(name, [534, 32]) as Float32Array;
    const want = new RandomWeights(2).get(name, [534, 32]);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / (Math.abs(want[i] as number) + 1e-3));
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('when the folder uses diffusers variants', () => {
  it('reads sharded weights through the .index.json and the .fp16 file name', async () => {
    let count = 0;
    const m = await load((f) => {
      const whole = readSafetensors(f.get('unet/diffusion_pytorch_model.safetensors')!).tensors;
      const names = Object.keys(whole);
      const half = Math.floor(names.length / 2);
      count = names.length;
      const shard = (ns: string[]) => writeSafetensors(Object.fromEntries(ns.map((n) => [n, whole[n]!])));
      f.delete('unet/diffusion_pytorch_model.safetensors');
      f.set('unet/diffusion_pytorch_model-00001-of-00002.safetensors', shard(names.slice(0, half)));
      f.set('unet/diffusion_pytorch_model-00002-of-00002.safetensors', shard(names.slice(half)));
      const weightMap = Object.fromEntries(names.map((n, i) => [n, `diffusion_pytorch_model-0000${i < half ? 1 : 2}-of-00002.safetensors`]));
      f.set('unet/diffusion_pytorch_model.safetensors.index.json', enc({ metadata: {}, weight_map: weightMap }));
      f.set('vae/diffusion_pytorch_model.fp16.safetensors', f.get('vae/diffusion_pytorch_model.safetensors')!);
      f.delete('vae/diffusion_pytorch_model.safetensors');
    });
    expect(m.unet.weights.names).toHaveLength(count);
    expect(m.unet.weights.get('conv_out.bias', [4])).toEqual(new RandomWeights(2).get('conv_out.bias', [4]));
    expect(m.vae.weights.label).toMatch(/vae\/diffusion_pytorch_model.fp16.safetensors$/);
  });

  it('adds the atomic tokens of tokenizer/added_tokens.json with their ids', async () => {
    const m = await load((f) => f.set('tokenizer/added_tokens.json', enc({ '<cat1>': 534 })));
    const a = m.tokenizer.tokenToId('a</w>')!;
    expect(m.tokenizer.encode('a <cat1> cat').ids.slice(0, 5)).toEqual([532, a, 534, 513, 533]);
  });
});

describe('when the folder is broken', () => {
  it('names a missing part', async () => {
    await expect(load((f) => f.delete('vae/config.json'))).rejects.toThrow(/missing part "vae": "vae\/config.json" does not exist/);
    await expect(load((f) => f.delete('vae/config.json'))).rejects.toBeInstanceOf(ModelAssetError);
  });

  it('names a missing model_index.json or an unlisted part', async () => {
    await expect(load((f) => f.delete('model_index.json'))).rejects.toThrow(/has no model_index.json/);
    await expect(load((f) => f.set('model_index.json', enc({ unet: ['diffusers', 'UNet2DConditionModel'] })))).rejects.toThrow(/does not list the part "text_encoder"/);
  });

  it('names a missing weights file and points at a pickle it will not read', async () => {
    const err = load((f) => {
      f.delete('unet/diffusion_pytorch_model.safetensors');
      f.set('unet/diffusion_pytorch_model.bin', new Uint8Array(4));
    });
    await expect(err).rejects.toThrow(/missing "unet\/diffusion_pytorch_model.safetensors".*pickled weights are not read/);
  });

  it('rejects a safetensors file whose header lies about its data, naming the file', async () => {
    const err = load((f) => {
      const bytes = f.get('vae/diffusion_pytorch_model.safetensors') as Uint8Array;
      const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      const header = new TextDecoder().decode(bytes.subarray(8, 8 + n)).replace(/"data_offsets":\[0,(\d+)\]/, (_, e) => `"data_offsets":[0,${Number(e) + 4}]`);
      const lying = new Uint8Array(bytes);
      lying.set(new TextEncoder().encode(header.padEnd(n, ' ').slice(0, n)), 8);
      f.set('vae/diffusion_pytorch_model.safetensors', lying);
    });
    await expect(err).rejects.toBeInstanceOf(ModelFormatError);
    await expect(err).rejects.toThrow(/vae\/diffusion_pytorch_model.safetensors: safetensors:/);
  });

  it('names a bad config field', async () => {
    const bad = load((f) => f.set('unet/config.json', enc({ ...TINY_UNET, cross_attention_dim: 'wide' })));
    await expect(bad).rejects.toThrow(/unet\/config.json: "cross_attention_dim" is "wide"; expected an integer in 1..8192/);
    const missing = load((f) => f.set('text_encoder/config.json', enc({ hidden_size: 32 })));
    await expect(missing).rejects.toThrow(/text_encoder\/config.json lacks the required field "vocab_size"/);
  });

  it('says when the folder does not exist', async () => {
    await expect(loadDiffusersFolder(createNodeFileSource('/nonexistent/model'))).rejects.toThrow(/Model folder "\/nonexistent\/model" does not exist/);
  });

  it('reads a real folder on disk even when a part is edited away there', async () => {
    const { dir, cleanup } = await tinyFolderOnDisk({ seed: 3 }, (f) => f.delete('scheduler/scheduler_config.json'));
    try {
      await expect(loadDiffusersFolder(createNodeFileSource(dir))).rejects.toThrow(/missing part "scheduler"/);
    } finally {
      await cleanup();
    }
  });
});
