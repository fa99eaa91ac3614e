// The shipped diffusers-style folder of the default model (public/models/default/): model_index.json, unet/,
// text_encoder/, vae/ (config.json + F32 safetensors, shapes from the builders in 'shapes-only' mode),
// tokenizer/ (word vocab list + tokenizer_config.json with tokenizer_class "WordTokenizer"), scheduler/.
// Written by this tool itself (writeDiffusersFolder only makes random-weight BPE folders). Pure: path → bytes.
import { readPartWeights } from '../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { parseSchedulerConfig } from '../../src/diffusion/loaders/configs';
import { MemoryFileSource } from '../../src/diffusion/loaders/fileSource';
import { writeSafetensors } from '../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../src/diffusion/weights/safetensors';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder } from '../../src/onnx/index';
import type { ParamEntry } from '../../src/onnx/index';
import { BASE_BETAS, BASE_CLIP_TEXT, BASE_IMAGE, BASE_LATENT, BASE_SEQ_LEN, BASE_UNET, BASE_VAE, baseVocab } from '../../src/train/base/config';
import { baseTokenizer } from '../../src/train/base/data';
import type { Params, Part, RunState } from './checkpoint';

const json = (o: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(o, null, 2)}\n`);

/** Parameter tables of the three parts (state-dict names and shapes). */
export function partShapes(): Record<Part, ParamEntry[]> {
  return {
    unet: buildUnet(BASE_UNET, { weights: 'shapes-only', batch: 1, height: BASE_LATENT, width: BASE_LATENT, seqLen: BASE_SEQ_LEN }).params,
    text_encoder: buildClipText(BASE_CLIP_TEXT, { weights: 'shapes-only', batch: 1, seqLen: BASE_SEQ_LEN }).params,
    vae: [
      ...buildVaeEncoder(BASE_VAE, { weights: 'shapes-only', batch: 1, height: BASE_IMAGE, width: BASE_IMAGE }).params,
      ...buildVaeDecoder(BASE_VAE, { weights: 'shapes-only', batch: 1, height: BASE_LATENT, width: BASE_LATENT }).params,
    ],
  };
}

function weightsFile(entries: ParamEntry[], values: Map<string, Float32Array>, part: string): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const e of entries) {
    const data = values.get(e.name);
    if (!data) throw new Error(`export: trained ${part} has no parameter "${e.name}"; the checkpoint does not match the configs in src/train/base/config.ts`);
    tensors[e.name] = { dtype: 'F32', shape: e.shape, data };
  }
  return writeSafetensors(tensors, { format: 'pt' });
}

/** path → bytes of the whole folder. */
export function defaultModelFiles(state: RunState, params: Params): Map<string, Uint8Array> {
  const shapes = partShapes();
  const files = new Map<string, Uint8Array>();
  files.set('model_index.json', json({
    _class_name: 'StableDiffusionPipeline', _diffusers_version: '0.30.0', scheduler: ['diffusers', 'DDIMScheduler'],
    text_encoder: ['transformers', 'CLIPTextModel'], tokenizer: ['disenstudio', 'WordTokenizer'], unet: ['diffusers', 'UNet2DConditionModel'],
    vae: ['diffusers', 'AutoencoderKL'], safety_checker: [null, null], feature_extractor: [null, null],
  }));
  files.set('unet/config.json', json({ _class_name: 'UNet2DConditionModel', ...BASE_UNET }));
  files.set('unet/diffusion_pytorch_model.safetensors', weightsFile(shapes.unet, params.unet, 'unet'));
  files.set('text_encoder/config.json', json({ architectures: ['CLIPTextModel'], model_type: 'clip_text_model', ...BASE_CLIP_TEXT }));
  files.set('text_encoder/model.safetensors', weightsFile(shapes.text_encoder, params.text_encoder, 'text_encoder'));
  files.set('vae/config.json', json({ _class_name: 'AutoencoderKL', ...BASE_VAE, scaling_factor: Number(state.scalingFactor.toFixed(5)) }));
  files.set('vae/diffusion_pytorch_model.safetensors', weightsFile(shapes.vae, params.vae, 'vae'));
  files.set('tokenizer/vocab.json', json(baseVocab()));
  files.set('tokenizer/tokenizer_config.json', json({
    tokenizer_class: 'WordTokenizer', model_max_length: BASE_SEQ_LEN, bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', unk_token: '<unk>',
  }));
  files.set('scheduler/scheduler_config.json', json({
    _class_name: 'DDIMScheduler', beta_start: BASE_BETAS.betaStart, beta_end: BASE_BETAS.betaEnd, beta_schedule: BASE_BETAS.betaSchedule,
    num_train_timesteps: BASE_BETAS.numTrainTimesteps, prediction_type: 'epsilon', clip_sample: false, set_alpha_to_one: false, steps_offset: 1,
  }));
  return files;
}

/** The folder as the txt2img pipeline's LoadedModel (word tokenizer built here, not by the BPE loader). */
export async function loadedModelOf(files: Map<string, Uint8Array>, state: RunState): Promise<LoadedModel> {
  const src = new MemoryFileSource(files, 'default');
  const sched = JSON.parse(new TextDecoder().decode(files.get('scheduler/scheduler_config.json'))) as unknown;
  return {
    name: 'default',
    unet: { config: BASE_UNET, weights: await readPartWeights(src, ['unet/diffusion_pytorch_model.safetensors']) },
    textEncoder: { config: BASE_CLIP_TEXT, weights: await readPartWeights(src, ['text_encoder/model.safetensors']) },
    vae: { config: { ...BASE_VAE, scaling_factor: Number(state.scalingFactor.toFixed(5)) }, weights: await readPartWeights(src, ['vae/diffusion_pytorch_model.safetensors']) },
    tokenizer: baseTokenizer(),
    scheduler: parseSchedulerConfig(sched),
  };
}
