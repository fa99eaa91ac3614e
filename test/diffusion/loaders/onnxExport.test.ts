// loadOnnxExport on a tiny diffusers/Optimum-style ONNX export (tinyExport.ts): torch.onnx naming (anonymous
// pre-transposed Linear weights), UNet weights in unet/model.onnx_data, VAE decoder weights in weights.pb. The
// export loads, its weights map back to the diffusers names with identical values, and it generates the same
// image as the diffusers folder it came from. Missing parts, missing external data and corrupt bytes fail clearly.
import { describe, expect, it } from 'vitest';
import { ModelAssetError, ModelFormatError } from '../../../src/lib/errors';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { loadOnnxExport, onnxExportToModel } from '../../../src/diffusion/loaders/onnxExport';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder } from '../../../src/onnx/index';
import { nodeOrt } from '../../helpers/ort';
import { tinyOnnxExport } from './tinyExport';

const folder = writeDiffusersFolder({ seed: 5 });
const reference = await loadDiffusersFolder(new MemoryFileSource(folder, 'tiny'));

const files = tinyOnnxExport(folder, reference);
const without = (...paths: string[]): MemoryFileSource => new MemoryFileSource(new Map([...files].filter(([p]) => !paths.includes(p))), 'tiny-onnx');

describe('when loading a complete ONNX export', () => {
  it('decodes every part with its external data, the tokenizer and the scheduler config', async () => {
    const exp = await loadOnnxExport(new MemoryFileSource(files, 'tiny-onnx'));
    expect(Object.keys(exp.unet.externalData)).toEqual(['model.onnx_data']);
    expect(Object.keys(exp.vaeDecoder.externalData)).toEqual(['weights.pb']);
    expect(exp.unet.model.graph.initializers.every((t) => t.data !== undefined)).toBe(true);
    expect(exp.unet.model.graph.initializers.some((t) => t.name.startsWith('onnx::MatMul_'))).toBe(true);
    expect(exp.unet.config?.block_out_channels).toEqual(reference.unet.config.block_out_channels);
    expect(exp.vaeEncoder?.file).toBe('vae_encoder/model.onnx');
    expect(exp.tokenizer.encode('a cat').ids).toEqual(reference.tokenizer.encode('a cat').ids);
    expect(exp.scheduler).toEqual(reference.scheduler);
  });

  it('keeps external tensors as bytes only when asked not to load them', async () => {
    const exp = await loadOnnxExport(new MemoryFileSource(files, 'tiny-onnx'), { loadExternalData: false });
    expect(exp.unet.model.graph.initializers.filter((t) => t.external).every((t) => t.data === undefined)).toBe(true);
    expect(exp.unet.externalData['model.onnx_data']?.length).toBeGreaterThan(100_000);
  });

  it('maps every weight back to its diffusers name with identical values', async () => {
    const model = onnxExportToModel(await loadOnnxExport(new MemoryFileSource(files, 'tiny-onnx')));
    const r = reference;
    const params = {
      unet: buildUnet(r.unet.config, { weights: 'shapes-only', batch: 1, height: 8, width: 8, seqLen: 1 }).params,
      textEncoder: buildClipText(r.textEncoder.config, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params,
      vae: [...buildVaeEncoder(r.vae.config, { weights: 'shapes-only', batch: 1, height: 16, width: 16 }).params, ...buildVaeDecoder(r.vae.config, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params],
    };
    for (const part of ['unet', 'textEncoder', 'vae'] as const) {
      expect(model[part].weights.names).toEqual(expect.arrayContaining(r[part].weights.names));
      for (const p of params[part]) {
        const [got, want] = [model[part].weights.get(p.name, p.shape) as Float32Array, r[part].weights.get(p.name, p.shape) as Float32Array];
        expect(got.length === want.length && got.every((v, i) => v === want[i]), p.name).toBe(true);
      }
    }
  });

  it('generates the same image as the diffusers folder it was exported from', async () => {
    const fromExport = new Txt2ImgPipeline(nodeOrt(), onnxExportToModel(await loadOnnxExport(new MemoryFileSource(files, 'tiny-onnx'))));
    const fromFolder = new Txt2ImgPipeline(nodeOrt(), reference);
    const req = { prompt: 'a photo of a cat', seed: 9, steps: 2, sampler: 'DDIM' };
    const [a, b] = [await fromExport.generate(req), await fromFolder.generate(req)];
    expect([a.width, a.height]).toEqual([16, 16]);
    expect(Array.from(a.rgb)).toEqual(Array.from(b.rgb));
    await fromExport.dispose();
    await fromFolder.dispose();
  });
});

describe('when parts are missing or broken', () => {
  it('names every missing part in one ModelAssetError', async () => {
    const p = loadOnnxExport(without('unet/model.onnx', 'vae_decoder/model.onnx', 'tokenizer/merges.txt'));
    await expect(p).rejects.toThrow(ModelAssetError);
    await expect(p).rejects.toThrow(/part "unet" \("unet\/model\.onnx"\), part "vae_decoder" \("vae_decoder\/model\.onnx"\), part "tokenizer" \("tokenizer\/merges\.txt"\)/);
  });

  it('points a diffusers safetensors folder to loadDiffusersFolder', async () => {
    await expect(loadOnnxExport(new MemoryFileSource(folder, 'tiny'))).rejects.toThrow(/looks like a diffusers safetensors folder: load it with loadDiffusersFolder/);
  });

  it('names a missing external data file and the part', async () => {
    await expect(loadOnnxExport(without('unet/model.onnx_data'))).rejects.toThrow(/external data "model\.onnx_data", but "unet\/model\.onnx_data" does not exist \(part "unet"\)/);
  });

  it('reports corrupt model bytes as a ModelFormatError naming the file', async () => {
    const broken = new Map(files);
    broken.set('text_encoder/model.onnx', (files.get('text_encoder/model.onnx') as Uint8Array).slice(0, 300));
    const p = loadOnnxExport(new MemoryFileSource(broken, 'tiny-onnx'));
    await expect(p).rejects.toThrow(ModelFormatError);
    await expect(p).rejects.toThrow(/tiny-onnx\/text_encoder\/model\.onnx: /);
  });

  it('needs each part\'s config.json to build the pipeline from the export', async () => {
    const exp = await loadOnnxExport(without('unet/config.json'));
    expect(exp.unet.config).toBeUndefined();
    expect(() => onnxExportToModel(exp)).toThrow(/tiny-onnx\/unet\/config\.json is missing/);
  });
});
