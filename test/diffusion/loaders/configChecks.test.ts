// Config numbers and the weights check (configs.ts CONFIG_BOUNDS and architecture keys, weightCheck.ts): configs
// that would build unbounded graphs are refused before any build, architecture keys the builders do not implement
// are refused by name, and a weights file with a missing or an unused tensor is refused naming a few of them before
// anything is built (no random stand-ins). Starts from the tiny random-weight folder, which loads.
import { describe, expect, it } from 'vitest';
import { ModelAssetError } from '../../../src/lib/errors';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { readSafetensors, writeSafetensors } from '../../../src/diffusion/weights/safetensors';

const base = writeDiffusersFolder({ seed: 3 });
const json = (f: Map<string, Uint8Array>, path: string) => JSON.parse(new TextDecoder().decode(f.get(path))) as Record<string, unknown>;
const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

function withConfig(path: string, patch: Record<string, unknown>): MemoryFileSource {
  const f = new Map(base);
  f.set(path, enc({ ...json(f, path), ...patch }));
  return new MemoryFileSource(f, 'tiny');
}

function withWeights(path: string, edit: (t: ReturnType<typeof readSafetensors>['tensors']) => void): MemoryFileSource {
  const f = new Map(base);
  const { tensors } = readSafetensors(f.get(path) as Uint8Array);
  const copy = { ...tensors };
  edit(copy);
  f.set(path, writeSafetensors(copy));
  return new MemoryFileSource(f, 'tiny');
}

describe('config numbers and architecture keys', () => {
  it('the tiny folder loads', async () => {
    await expect(loadDiffusersFolder(new MemoryFileSource(base, 'tiny'))).resolves.toBeTruthy();
  });

  it.each([
    ['unet/config.json', { layers_per_block: 1e6 }, /"layers_per_block" is 1000000; expected an integer in 1..16/],
    ['unet/config.json', { block_out_channels: [2 ** 30, 2 ** 30] }, /"block_out_channels" is a list of 2; expected a list of 1–8 integers in 1..8192/],
    ['unet/config.json', { block_out_channels: [32] }, /"block_out_channels" lists 1 entries, "down_block_types" 2/],
    ['unet/config.json', { norm_num_groups: 7 }, /not divisible by "norm_num_groups" 7/],
    ['unet/config.json', { transformer_layers_per_block: 2 }, /"transformer_layers_per_block": 2 \(supported: 1 or absent\)/],
    ['unet/config.json', { class_embed_type: 'timestep', only_cross_attention: true }, /"class_embed_type": "timestep".*"only_cross_attention": true/],
    ['text_encoder/config.json', { num_hidden_layers: 1e7 }, /"num_hidden_layers" is 10000000; expected an integer in 1..96/],
    ['text_encoder/config.json', { hidden_size: 2 ** 31 }, /"hidden_size"/],
    ['vae/config.json', { layers_per_block: 1e6 }, /vae\/config.json: "layers_per_block"/],
  ] as const)('%s %j is refused naming the key', async (path, patch, message) => {
    const err = await loadDiffusersFolder(withConfig(path, patch)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelAssetError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('configs against the weights files', () => {
  it('an unused weight is an error naming it', async () => {
    const src = withWeights('unet/diffusion_pytorch_model.safetensors', (t) => {
      t['down_blocks.9.extra.weight'] = { dtype: 'F32', shape: [2], data: new Float32Array(2) };
    });
    await expect(loadDiffusersFolder(src)).rejects.toThrow(/1 weights in the file are never used by the config \("down_blocks.9.extra.weight"\)/);
  });

  it('a config smaller than its weights (1 text layer for a 2-layer file) names the unused layer', async () => {
    await expect(loadDiffusersFolder(withConfig('text_encoder/config.json', { num_hidden_layers: 1 }))).rejects.toThrow(/weights in the file are never used by the config \("text_model\.encoder\.layers\.1\./);
  });

  it('a config larger than its weights (2 UNet layers per block for a 1-layer file) names the missing ones', async () => {
    await expect(loadDiffusersFolder(withConfig('unet/config.json', { layers_per_block: 2 }))).rejects.toThrow(/weights the unet config needs are missing \("down_blocks\.0\.resnets\.1\./);
  });

  it('a missing weight is an error before anything is built, not a random stand-in', async () => {
    const src = withWeights('text_encoder/model.safetensors', (t) => {
      delete t['text_model.final_layer_norm.weight'];
    });
    await expect(loadDiffusersFolder(src)).rejects.toThrow(/tiny\/text_encoder\/model.safetensors: 1 of the \d+ weights the text encoder config needs are missing \("text_model.final_layer_norm.weight"\)/);
  });

  it('a position_ids buffer (transformers) is not an unused weight', async () => {
    const src = withWeights('text_encoder/model.safetensors', (t) => {
      t['text_model.embeddings.position_ids'] = { dtype: 'I64', shape: [1, 77], data: new BigInt64Array(77) };
    });
    await expect(loadDiffusersFolder(src)).resolves.toBeTruthy();
  });
});
