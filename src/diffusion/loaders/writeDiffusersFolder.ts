// Writes a diffusers SD 1.x folder (model_index.json, unet/, text_encoder/, vae/, tokenizer/, scheduler/) as an
// in-memory file map, with seeded random weights: what tests, the generate CLI and the benchmark load as the
// tiny model. Pure: returns path → bytes; node.ts writes them to disk. Weight names and shapes come from the
// builders themselves ('shapes-only'), so the folder always matches them. Tokenizer: byte-level CLIP layout
// (ids 0–511 bytes and bytes+"</w>", then merges, then specials) as tools/fixtures/clip_tiny_vocab.py.
import { RandomWeights, TINY_CLIP_TEXT, TINY_UNET, TINY_VAE, buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder } from '../../onnx/index';
import type { AutoencoderKLConfig, ClipTextConfig, ParamEntry, UNet2DConditionConfig } from '../../onnx/index';
import { toFloat16Array } from '../../lib/float16';
import { bytesToUnicode } from '../text/bytes';
import { writeSafetensors } from '../weights/safetensors';
import type { SafeTensor } from '../weights/safetensors';

export type TinyFolderOptions = {
  unet?: UNet2DConditionConfig;
  /** vocab_size is replaced by the generated tokenizer's size */
  textEncoder?: ClipTextConfig;
  vae?: AutoencoderKLConfig;
  /** seed of the random weights (default 0) */
  seed?: number;
  /** store weights as F16 (exercises the decode path; default F32) */
  isFp16?: boolean;
  /** BPE merges of the generated tokenizer, "a b" per entry */
  merges?: readonly string[];
};

/** Merges of the default tiny tokenizer (same as test/fixtures/diffusion/clip-tiny). */
export const TINY_MERGES: readonly string[] = [
  'c a', 'ca t</w>', 'ca t', 'd o', 'do g</w>', 'o f</w>', 'p h', 'o t', 'ph ot', 'phot o</w>',
  'a n', 'an d</w>', 't h', 'th e</w>', 's le', 'l e', 'e p', 'ep ing</w>', 'i n', 'in g</w>',
];

/** CLIP-layout vocab.json and merges.txt for `merges`. */
export function tinyClipVocab(merges: readonly string[]): { vocabJson: string; mergesTxt: string; size: number } {
  const chars = [...bytesToUnicode().values()];
  const words = [...chars, ...chars.map((c) => `${c}</w>`), ...merges.map((m) => m.replace(' ', '')), '<|startoftext|>', '<|endoftext|>'];
  const ids: Record<string, number> = {};
  words.forEach((w, i) => {
    if (!Object.prototype.hasOwnProperty.call(ids, w)) ids[w] = i;
  });
  return { vocabJson: JSON.stringify(ids), mergesTxt: `#version: 0.2\n${merges.join('\n')}\n`, size: Object.keys(ids).length };
}

const json = (o: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(o, null, 2)}\n`);

function weightsFile(params: readonly ParamEntry[], source: RandomWeights, isFp16: boolean): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const p of params) {
    const values = source.get(p.name, p.shape);
    tensors[p.name] = isFp16
      ? { dtype: 'F16', shape: p.shape, data: toFloat16Array(values) }
      : { dtype: 'F32', shape: p.shape, data: values };
  }
  return writeSafetensors(tensors, { format: 'pt' });
}

/**
 * A complete random-weight diffusers folder (TINY_* configs by default).
 * @returns path → bytes, e.g. "unet/diffusion_pytorch_model.safetensors"
 * @example await writeFilesToFolder(dir, writeDiffusersFolder({ seed: 1 }));
 */
export function writeDiffusersFolder(o: TinyFolderOptions = {}): Map<string, Uint8Array> {
  const unet = o.unet ?? TINY_UNET;
  const vae = o.vae ?? TINY_VAE;
  const tok = tinyClipVocab(o.merges ?? TINY_MERGES);
  const text: ClipTextConfig = { ...(o.textEncoder ?? TINY_CLIP_TEXT), vocab_size: tok.size };
  const rand = new RandomWeights(o.seed ?? 0);
  const fp16 = o.isFp16 ?? false;
  const lat = 2 ** (unet.block_out_channels.length - 1);
  const img = 2 ** (vae.block_out_channels.length - 1);
  const unetParams = buildUnet(unet, { weights: 'shapes-only', batch: 1, height: lat, width: lat, seqLen: 1 }).params;
  const textParams = buildClipText(text, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params;
  const vaeParams = [
    ...buildVaeEncoder(vae, { weights: 'shapes-only', batch: 1, height: img, width: img }).params,
    ...buildVaeDecoder(vae, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params,
  ];
  const files = new Map<string, Uint8Array>();
  files.set('model_index.json', json({
    _class_name: 'StableDiffusionPipeline', _diffusers_version: '0.30.0',
    scheduler: ['diffusers', 'PNDMScheduler'], text_encoder: ['transformers', 'CLIPTextModel'], tokenizer: ['transformers', 'CLIPTokenizer'],
    unet: ['diffusers', 'UNet2DConditionModel'], vae: ['diffusers', 'AutoencoderKL'], safety_checker: [null, null], feature_extractor: [null, null],
  }));
  files.set('unet/config.json', json({ _class_name: 'UNet2DConditionModel', ...unet }));
  files.set('unet/diffusion_pytorch_model.safetensors', weightsFile(unetParams, rand, fp16));
  files.set('text_encoder/config.json', json({ architectures: ['CLIPTextModel'], model_type: 'clip_text_model', ...text }));
  files.set('text_encoder/model.safetensors', weightsFile(textParams, rand, fp16));
  files.set('vae/config.json', json({ _class_name: 'AutoencoderKL', ...vae }));
  files.set('vae/diffusion_pytorch_model.safetensors', weightsFile(vaeParams, rand, fp16));
  files.set('tokenizer/vocab.json', new TextEncoder().encode(tok.vocabJson));
  files.set('tokenizer/merges.txt', new TextEncoder().encode(tok.mergesTxt));
  files.set('tokenizer/tokenizer_config.json', json({ model_max_length: 77, pad_token: '<|endoftext|>', tokenizer_class: 'CLIPTokenizer' }));
  files.set('scheduler/scheduler_config.json', json({
    _class_name: 'PNDMScheduler', beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear',
    num_train_timesteps: 1000, prediction_type: 'epsilon', set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, clip_sample: false,
  }));
  return files;
}
