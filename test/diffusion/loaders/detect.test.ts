// detectModelLayout / loadAnyModel on tiny models built here: the diffusers folder (writeDiffusersFolder), its
// ONNX export (tinyExport.ts) and its LDM-named single file (ldmNames.ts) are told apart and load to the same
// weights and tokenizer; the single file generates the same image as its folder. Every refusal message is asserted.
import { describe, expect, it } from 'vitest';
import { ModelAssetError } from '../../../src/lib/errors';
import { detectModelLayout, loadAnyModel } from '../../../src/diffusion/loaders/detect';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder, SD15_UNET, SD15_VAE } from '../../../src/onnx/index';
import { modelKindLabel } from '../../../src/diffusion/loaders/modelKind';
import { nodeOrt } from '../../helpers/ort';
import { tinyLdmCheckpoint } from './ldmNames';
import { tinyOnnxExport } from './tinyExport';

const folder = writeDiffusersFolder({ seed: 4 });
const reference = await loadDiffusersFolder(new MemoryFileSource(folder, 'tiny'));
const configs = { unet: reference.unet.config, textEncoder: reference.textEncoder.config, vae: reference.vae.config };
const onnxFiles = tinyOnnxExport(folder, reference);
const checkpoint = tinyLdmCheckpoint(folder, configs.unet, configs.vae);
const vocab = folder.get('tokenizer/vocab.json') as Uint8Array;
const merges = folder.get('tokenizer/merges.txt') as Uint8Array;

const src = (files: Record<string, Uint8Array> | Map<string, Uint8Array>, label = 'picked'): MemoryFileSource =>
  new MemoryFileSource(files instanceof Map ? files : new Map(Object.entries(files)), label);
const bytes = (text = 'x'): Uint8Array => new TextEncoder().encode(text);
const one = (name: string): Uint8Array => writeSafetensors({ [name]: { dtype: 'F32', shape: [2, 2], data: new Float32Array(4) } });

const lat = 2 ** (configs.unet.block_out_channels.length - 1);
const params = {
  unet: buildUnet(configs.unet, { weights: 'shapes-only', batch: 1, height: lat, width: lat, seqLen: 1 }).params,
  textEncoder: buildClipText(configs.textEncoder, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params,
  vae: [...buildVaeEncoder(configs.vae, { weights: 'shapes-only', batch: 1, height: 8, width: 8 }).params, ...buildVaeDecoder(configs.vae, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params],
};

/** Same tokenizer ids and bit-identical values of every weight the builders need as the reference folder. */
function expectSameAsReference(model: LoadedModel): void {
  expect(model.tokenizer.encode('a photo of a cat').ids).toEqual(reference.tokenizer.encode('a photo of a cat').ids);
  for (const part of ['unet', 'textEncoder', 'vae'] as const) {
    const differ = params[part].filter((p) => {
      const [got, want] = [model[part].weights.get(p.name, p.shape), reference[part].weights.get(p.name, p.shape) as Float32Array];
      return !got || got.length !== want.length || got.some((v, i) => v !== want[i]);
    });
    expect(differ.map((p) => p.name), part).toEqual([]);
  }
}

describe('when the layout is one the studio loads', () => {
  it('detects and loads a diffusers folder', async () => {
    expect(await detectModelLayout(src(folder))).toBe('diffusers');
    expectSameAsReference(await loadAnyModel(src(folder)));
  });

  it('detects and loads a diffusers/Optimum ONNX export', async () => {
    const files = onnxFiles;
    expect(await detectModelLayout(src(files))).toBe('onnx-export');
    expectSameAsReference(await loadAnyModel(src(files)));
  });

  it('detects a single .safetensors checkpoint with vocab.json and merges.txt beside it, and generates as its folder does', async () => {
    const files = src({ 'tiny-v1.safetensors': checkpoint, 'vocab.json': vocab, 'merges.txt': merges });
    expect(await detectModelLayout(files)).toBe('single-file');
    const model = await loadAnyModel(files, { checkpointConfigs: configs });
    expect(model.name).toBe('tiny-v1');
    expectSameAsReference(model);
    const req = { prompt: 'a photo of a cat', seed: 2, steps: 1, sampler: 'DDIM' };
    const [a, b] = [new Txt2ImgPipeline(nodeOrt(), reference), new Txt2ImgPipeline(nodeOrt(), model)];
    expect((await b.generate(req)).latents).toEqual((await a.generate(req)).latents);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('detects an inpainting checkpoint (conv_in [C, 9, 3, 3]) in both layouts and says what it is', async () => {
    const unet9 = { ...configs.unet, in_channels: 9 };
    const folder9 = writeDiffusersFolder({ seed: 4, unet: unet9 });
    const fromFolder = await loadAnyModel(src(folder9));
    expect(fromFolder.unet.config.in_channels).toBe(9);
    const single = src({ 'tiny-inpainting.safetensors': tinyLdmCheckpoint(folder9, unet9, configs.vae), 'vocab.json': vocab, 'merges.txt': merges });
    const fromFile = await loadAnyModel(single, { checkpointConfigs: configs });
    expect(fromFile.unet.config).toEqual(unet9);
    const p = buildUnet(unet9, { weights: 'shapes-only', batch: 1, height: lat, width: lat, seqLen: 1 }).params.find((q) => q.name === 'conv_in.weight');
    expect(p?.shape).toEqual([configs.unet.block_out_channels[0], 9, 3, 3]);
    expect(fromFile.unet.weights.get('conv_in.weight', p?.shape ?? [])).toEqual(fromFolder.unet.weights.get('conv_in.weight', p?.shape ?? []));
    for (const m of [fromFolder, fromFile]) expect(modelKindLabel(m)).toBe('inpainting UNet (9 input channels)');
    expect(modelKindLabel(reference)).toBeUndefined();
    expect(modelKindLabel({ unet: { ...reference.unet, config: { ...SD15_UNET, in_channels: 9 } }, vae: { ...reference.vae, config: SD15_VAE } })).toBe('SD 1.5 inpainting');
  });

  it('reads the tokenizer from tokenizer/ next to a single checkpoint', async () => {
    const files = src({ 'tiny.safetensors': checkpoint, 'tokenizer/vocab.json': vocab, 'tokenizer/merges.txt': merges, 'README.md': bytes() });
    expect(await detectModelLayout(files)).toBe('single-file');
    expectSameAsReference(await loadAnyModel(files, { checkpointConfigs: configs }));
  });

  it('takes an export that lacks unet/model.onnx for an export, so its loader names the missing part', async () => {
    const files = new Map([...onnxFiles].filter(([p]) => p !== 'unet/model.onnx'));
    expect(await detectModelLayout(src(files))).toBe('onnx-export');
    await expect(loadAnyModel(src(files))).rejects.toThrow('picked is missing part "unet" ("unet/model.onnx").');
  });

  it('passes a diffusers folder\'s own error through unchanged', async () => {
    const broken = new Map([...folder].filter(([p]) => p !== 'vae/config.json'));
    await expect(loadAnyModel(src(broken, 'tiny'))).rejects.toThrow('tiny is missing part "vae": "vae/config.json" does not exist.');
  });
});

describe('when the files are not a model the studio loads', () => {
  const refusal = async (files: MemoryFileSource, want: string | RegExp): Promise<void> => {
    await expect(detectModelLayout(files).then(() => loadAnyModel(files, { checkpointConfigs: configs }))).rejects.toThrow(ModelAssetError);
    await expect(loadAnyModel(files, { checkpointConfigs: configs })).rejects.toThrow(want);
  };

  it('without the shipped vocabulary, asks for the CLIP tokenizer files next to a single checkpoint', async () => {
    await refusal(src({ 'v1-5.safetensors': checkpoint }), 'picked: the single-file checkpoint "v1-5.safetensors" carries no tokenizer, and no CLIP vocabulary was given to the loader (public/clip/bpe_simple_vocab_16e6.txt.gz ships with the studio');
    await refusal(src({ 'v1-5.safetensors': checkpoint, 'vocab.json': vocab }), /the CLIP tokenizer beside it is incomplete \(.*found "vocab\.json"\)\. Pick both files, or neither/);
  });

  it.each(['model.ckpt', 'v1-5-pruned.pt', 'pytorch_model.bin'])('refuses the pickle %s, saying why and how to convert it', async (name) => {
    await refusal(src({ [name]: bytes(), 'vocab.json': vocab }), `picked: "${name}" is a pickled PyTorch checkpoint. Pickles can run arbitrary code when opened, so the studio never reads them. Convert it to .safetensors`);
  });

  it('refuses a lone .onnx graph (or an export\'s part folder), listing the rest of an export', async () => {
    const want = /found the ONNX graph\(s\) "model\.onnx" but not an export's layout\. One \.onnx file is one network; generation needs the whole diffusers\/Optimum export folder: unet\/model\.onnx .*text_encoder\/model\.onnx, vae_decoder\/model\.onnx, tokenizer\/vocab\.json \+ merges\.txt and scheduler\/scheduler_config\.json/;
    await refusal(src({ 'model.onnx': bytes() }), want);
    await refusal(src({ 'model.onnx': bytes(), 'model.onnx_data': bytes() }), want);
  });

  it('asks for one checkpoint when several .safetensors files are picked', async () => {
    await refusal(src({ 'a.safetensors': checkpoint, 'b.safetensors': checkpoint }), 'picked holds 2 .safetensors files at the top ("a.safetensors", "b.safetensors"): pick one SD 1.x checkpoint');
  });

  it('names what it found and what it expects when no layout matches', async () => {
    await refusal(src({ 'README.md': bytes(), 'photo.png': bytes() }), 'picked: no model found among 2 file(s): "README.md", "photo.png". Expected one of: a diffusers folder (model_index.json, unet/, text_encoder/, vae/, tokenizer/, scheduler/); a diffusers/Optimum ONNX export folder');
    await refusal(src({}), 'picked: no model found among 0 file(s): (no files).');
  });

  it('points to the subfolder when the model sits one level down', async () => {
    const nested = new Map([...folder].map(([p, b]) => [`sd15/${p}`, b]));
    await refusal(src(nested), 'The model seems to be in the subfolder "sd15": pick that folder instead.');
  });

  it.each([
    ['conditioner.embedders.0.transformer.text_model.final_layer_norm.weight', 'an SDXL checkpoint (SDXL is not supported; SD 1.x only)'],
    ['cond_stage_model.model.ln_final.weight', 'an SD 2.x checkpoint (OpenCLIP text encoder; SD 1.x only)'],
    ['lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight', 'a LoRA, not a base model'],
    ['down_blocks.0.resnets.0.conv1.weight', 'one component of a diffusers folder (pick the whole folder with model_index.json)'],
    ['<cat1>', 'a textual-inversion embedding, not a base model'],
  ])('says what a .safetensors holding %s is instead', async (key, kind) => {
    await refusal(src({ 'x.safetensors': one(key), 'vocab.json': vocab, 'merges.txt': merges }), `picked: "x.safetensors" looks like ${kind}`);
  });

  it('refuses a checkpoint that does not fit the SD 1.5 architecture, naming mismatched weights', async () => {
    const files = src({ 'tiny.safetensors': checkpoint, 'vocab.json': vocab, 'merges.txt': merges });
    await expect(loadAnyModel(files)).rejects.toThrow(/^picked\/tiny\.safetensors does not fit the SD 1\.5 architecture: 1123 of 1130 weights do not match \(unet "time_embedding\.linear_1\.weight" is \[128, 32\], needs \[1280, 320\];.*text-to-image and inpainting checkpoints .*\(not SD 2\.x, SDXL/);
  });
});
