// Single-file SD 1.x checkpoints: LDM → diffusers key mapping checked against names from diffusers'
// convert_ldm_* scripts, full coverage of the SD 1.5 UNet/VAE/text parameter lists, an end-to-end tiny model
// renamed to LDM keys (test/diffusion/loaders/ldmNames.ts) that must generate the same image, and the loader's errors.
import { describe, expect, it } from 'vitest';
import { ModelAssetError } from '../../../src/lib/errors';
import { loadSingleFileCheckpoint, mapCheckpointKey } from '../../../src/diffusion/loaders/checkpoint';
import { ClipBpeTokenizer } from '../../../src/diffusion/text/ClipBpeTokenizer';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { tinyClipVocab, TINY_MERGES, writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import { nodeOrt } from '../../helpers/ort';
import { tinyLdmCheckpoint, unetToLdm, vaeToLdm } from './ldmNames';
import { SD15_CLIP_TEXT, SD15_UNET, SD15_VAE, buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder } from '../../../src/onnx/index';

const CASES: [string, string][] = [
  ['model.diffusion_model.time_embed.0.weight', 'unet:time_embedding.linear_1.weight'],
  ['model.diffusion_model.input_blocks.0.0.bias', 'unet:conv_in.bias'],
  ['model.diffusion_model.input_blocks.1.0.in_layers.0.weight', 'unet:down_blocks.0.resnets.0.norm1.weight'],
  ['model.diffusion_model.input_blocks.2.0.emb_layers.1.weight', 'unet:down_blocks.0.resnets.1.time_emb_proj.weight'],
  ['model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight', 'unet:down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight'],
  ['model.diffusion_model.input_blocks.3.0.op.weight', 'unet:down_blocks.0.downsamplers.0.conv.weight'],
  ['model.diffusion_model.input_blocks.4.0.skip_connection.weight', 'unet:down_blocks.1.resnets.0.conv_shortcut.weight'],
  ['model.diffusion_model.input_blocks.11.0.out_layers.3.bias', 'unet:down_blocks.3.resnets.1.conv2.bias'],
  ['model.diffusion_model.middle_block.1.proj_out.weight', 'unet:mid_block.attentions.0.proj_out.weight'],
  ['model.diffusion_model.middle_block.2.in_layers.2.weight', 'unet:mid_block.resnets.1.conv1.weight'],
  ['model.diffusion_model.output_blocks.2.1.conv.weight', 'unet:up_blocks.0.upsamplers.0.conv.weight'],
  ['model.diffusion_model.output_blocks.5.2.conv.bias', 'unet:up_blocks.1.upsamplers.0.conv.bias'],
  ['model.diffusion_model.output_blocks.11.1.transformer_blocks.0.ff.net.0.proj.weight', 'unet:up_blocks.3.attentions.2.transformer_blocks.0.ff.net.0.proj.weight'],
  ['model.diffusion_model.out.2.weight', 'unet:conv_out.weight'],
  ['first_stage_model.encoder.down.1.block.0.nin_shortcut.weight', 'vae:encoder.down_blocks.1.resnets.0.conv_shortcut.weight'],
  ['first_stage_model.encoder.down.0.downsample.conv.weight', 'vae:encoder.down_blocks.0.downsamplers.0.conv.weight'],
  ['first_stage_model.decoder.up.3.block.2.conv1.weight', 'vae:decoder.up_blocks.0.resnets.2.conv1.weight'],
  ['first_stage_model.decoder.up.1.upsample.conv.bias', 'vae:decoder.up_blocks.2.upsamplers.0.conv.bias'],
  ['first_stage_model.decoder.mid.attn_1.proj_out.weight', 'vae:decoder.mid_block.attentions.0.to_out.0.weight'],
  ['first_stage_model.encoder.mid.attn_1.norm.bias', 'vae:encoder.mid_block.attentions.0.group_norm.bias'],
  ['first_stage_model.encoder.norm_out.weight', 'vae:encoder.conv_norm_out.weight'],
  ['first_stage_model.post_quant_conv.weight', 'vae:post_quant_conv.weight'],
  ['cond_stage_model.transformer.text_model.encoder.layers.3.mlp.fc1.weight', 'text_encoder:text_model.encoder.layers.3.mlp.fc1.weight'],
  ['cond_stage_model.transformer.embeddings.token_embedding.weight', 'text_encoder:text_model.embeddings.token_embedding.weight'],
];

/** LDM key generator written from the CompVis config (independent of the mapper): input/output block layout of SD 1.5. */
function ldmUnetKeys(): string[] {
  const res = ['in_layers.0', 'in_layers.2', 'emb_layers.1', 'out_layers.0', 'out_layers.3'].flatMap((p) => [`${p}.weight`, `${p}.bias`]);
  const attn = ['norm', 'proj_in', 'proj_out', 'transformer_blocks.0.norm1', 'transformer_blocks.0.attn2.to_out.0'].flatMap((p) => [`${p}.weight`, `${p}.bias`]).concat(['transformer_blocks.0.attn2.to_k.weight']);
  const keys: string[] = [];
  for (const i of [1, 2, 4, 5, 7, 8, 10, 11]) keys.push(...res.map((k) => `input_blocks.${i}.0.${k}`), ...(i < 10 ? attn.map((k) => `input_blocks.${i}.1.${k}`) : []));
  for (const i of [3, 6, 9]) keys.push(`input_blocks.${i}.0.op.weight`);
  for (let i = 0; i < 12; i++) keys.push(...res.map((k) => `output_blocks.${i}.0.${k}`), ...(i >= 3 ? attn.map((k) => `output_blocks.${i}.1.${k}`) : []));
  keys.push('output_blocks.2.1.conv.weight', 'output_blocks.5.2.conv.weight', 'output_blocks.8.2.conv.weight');
  return keys.map((k) => `model.diffusion_model.${k}`);
}

describe('when mapping LDM checkpoint keys', () => {
  it.each(CASES)('maps %s', (key, want) => {
    const m = mapCheckpointKey(key);
    expect(m && `${m.part}:${m.name}`).toBe(want);
  });

  it('skips keys the pipeline does not use', () => {
    expect(mapCheckpointKey('model_ema.decay')).toBeUndefined();
    expect(mapCheckpointKey('cond_stage_model.transformer.text_model.embeddings.position_ids')).toBeUndefined();
    expect(mapCheckpointKey('alphas_cumprod')).toBeUndefined();
  });

  it('lands every SD 1.5 block key on a parameter the UNet builder declares', () => {
    const names = new Set(buildUnet(SD15_UNET, { weights: 'shapes-only', batch: 1, height: 8, width: 8, seqLen: 1 }).params.map((p) => p.name));
    const unknown = ldmUnetKeys().map((k) => mapCheckpointKey(k)?.name ?? `(unmapped ${k})`).filter((n) => !names.has(n));
    expect(unknown).toEqual([]);
  });

  it('maps the LDM name of every SD 1.5 UNet parameter back to it', () => {
    const names = buildUnet(SD15_UNET, { weights: 'shapes-only', batch: 1, height: 8, width: 8, seqLen: 1 }).params.map((p) => p.name);
    expect(names.map((n) => mapCheckpointKey(unetToLdm(n, SD15_UNET))?.name)).toEqual(names);
  });

  it('covers every SD 1.5 VAE and text-encoder parameter from a key list in LDM naming', () => {
    const vae = [...buildVaeEncoder(SD15_VAE, { weights: 'shapes-only', batch: 1, height: 8, width: 8 }).params, ...buildVaeDecoder(SD15_VAE, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params].map((p) => p.name);
    const text = buildClipText(SD15_CLIP_TEXT, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params.map((p) => p.name);
    const mappedText = text.map((n) => mapCheckpointKey(`cond_stage_model.transformer.${n}`)?.name);
    expect(mappedText).toEqual(text);
    expect(vae.map((n) => mapCheckpointKey(vaeToLdm(n, 4))?.name)).toEqual(vae);
  });
});

describe('when loading a single-file checkpoint', () => {
  const { vocabJson, mergesTxt } = tinyClipVocab(TINY_MERGES);
  const tokenizer = new ClipBpeTokenizer(vocabJson, mergesTxt);
  const t = (v: number) => ({ dtype: 'F32' as const, shape: [1], data: Float32Array.of(v) });

  it('splits the file into UNet, text encoder and VAE sources under diffusers names', () => {
    const bytes = writeSafetensors({
      'model.diffusion_model.out.2.bias': t(1), 'first_stage_model.decoder.mid.attn_1.q.bias': t(2),
      'cond_stage_model.transformer.text_model.final_layer_norm.bias': t(3), 'model_ema.num_updates': t(4),
    });
    const m = loadSingleFileCheckpoint(bytes, tokenizer, 'v1-5-tiny');
    expect(m.unet.weights.get('conv_out.bias', [1])).toEqual(Float32Array.of(1));
    expect(m.vae.weights.get('decoder.mid_block.attentions.0.to_q.bias', [1])).toEqual(Float32Array.of(2));
    expect(m.textEncoder.weights.get('text_model.final_layer_norm.bias', [1])).toEqual(Float32Array.of(3));
    expect(m.unet.config).toBe(SD15_UNET);
  });

  it('generates the same image from the tiny model as a single LDM-named file as from its diffusers folder', async () => {
    const files = writeDiffusersFolder({ seed: 9 });
    const folder = await loadDiffusersFolder(new MemoryFileSource(files, 'tiny'));
    const configs = { unet: folder.unet.config, textEncoder: folder.textEncoder.config, vae: folder.vae.config };
    const single = loadSingleFileCheckpoint(tinyLdmCheckpoint(files, folder.unet.config, folder.vae.config), folder.tokenizer, 'tiny.safetensors', configs);
    const req = { prompt: 'a photo of a cat', seed: 2, steps: 2, sampler: 'DDIM' };
    const [a, b] = [new Txt2ImgPipeline(nodeOrt(), folder), new Txt2ImgPipeline(nodeOrt(), single)];
    expect((await b.generate(req)).latents).toEqual((await a.generate(req)).latents);
    expect(single.unet.weights.unused()).toEqual([]);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('refuses a file that is not an SD 1.x checkpoint, naming the absent parts', () => {
    const bytes = writeSafetensors({ '<cat1>': { dtype: 'F32', shape: [1, 4], data: new Float32Array(4) } });
    expect(() => loadSingleFileCheckpoint(bytes, tokenizer, 'cat1.safetensors')).toThrow(ModelAssetError);
    expect(() => loadSingleFileCheckpoint(bytes, tokenizer, 'cat1.safetensors')).toThrow(/no unet, text_encoder, vae weights found/);
  });
});
