// The default model as a diffusers folder (issue 5): trained state dicts → path → bytes (model_index.json,
// unet/, text_encoder/, vae/ as F16 safetensors, tokenizer/ as a word vocab list, scheduler/). Pure: no I/O;
// shapes come from the builders ('shapes-only') so the files always match them. Reference: writeDiffusersFolder.ts.
import { toFloat16Array } from '../../lib/float16';
import { ModelFormatError } from '../../lib/errors';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder } from '../../onnx/index';
import type { ParamEntry } from '../../onnx/index';
import { writeSafetensors } from '../../diffusion/weights/safetensors';
import type { SafeTensor } from '../../diffusion/weights/safetensors';
import { BASE_BETAS, BASE_SEQ_LEN, BASE_TEXT, BASE_UNET, BASE_VAE, baseVocab } from './recipe';
import type { Params } from './stages';

const json = (o: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(o, null, 2)}\n`);

/** Parameter tables of the three parts (names and shapes, no values). */
export function baseParamTables(): { unet: ParamEntry[]; text: ParamEntry[]; vae: ParamEntry[] } {
  return {
    unet: buildUnet(BASE_UNET, { weights: 'shapes-only', batch: 1, height: 2, width: 2, seqLen: 1 }).params,
    text: buildClipText(BASE_TEXT, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params,
    vae: [
      ...buildVaeEncoder(BASE_VAE, { weights: 'shapes-only', batch: 1, height: 4, width: 4 }).params,
      ...buildVaeDecoder(BASE_VAE, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params,
    ],
  };
}

function weightsFile(part: string, table: readonly ParamEntry[], params: Params): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const p of table) {
    const v = params.get(p.name);
    const n = p.shape.reduce((a, d) => a * d, 1);
    if (!v || v.length !== n) throw new ModelFormatError('garbage', `${part}: trained weights lack "${p.name}" (${n} values); got ${v?.length ?? 'none'}. Finish stage ${part === 'vae' ? 'A' : 'B'} first.`);
    tensors[p.name] = { dtype: 'F16', shape: p.shape, data: toFloat16Array(v) };
  }
  return writeSafetensors(tensors, { format: 'pt' });
}

/** path → bytes of the shipped folder; `scalingFactor` = 1/std of the trained VAE's latents. */
export function baseModelFolder(vae: Params, diffusion: Params, scalingFactor: number): Map<string, Uint8Array> {
  const t = baseParamTables();
  const files = new Map<string, Uint8Array>();
  files.set('model_index.json', json({
    _class_name: 'StableDiffusionPipeline', _diffusers_version: '0.30.0',
    scheduler: ['diffusers', 'DDIMScheduler'], text_encoder: ['transformers', 'CLIPTextModel'], tokenizer: ['disenstudio', 'WordTokenizer'],
    unet: ['diffusers', 'UNet2DConditionModel'], vae: ['diffusers', 'AutoencoderKL'], safety_checker: [null, null], feature_extractor: [null, null],
  }));
  files.set('unet/config.json', json({ _class_name: 'UNet2DConditionModel', ...BASE_UNET }));
  files.set('unet/diffusion_pytorch_model.safetensors', weightsFile('unet', t.unet, diffusion));
  files.set('text_encoder/config.json', json({ architectures: ['CLIPTextModel'], model_type: 'clip_text_model', ...BASE_TEXT }));
  files.set('text_encoder/model.safetensors', weightsFile('text_encoder', t.text, diffusion));
  files.set('vae/config.json', json({ _class_name: 'AutoencoderKL', ...BASE_VAE, scaling_factor: scalingFactor }));
  files.set('vae/diffusion_pytorch_model.safetensors', weightsFile('vae', t.vae, vae));
  files.set('tokenizer/vocab.json', json(baseVocab()));
  files.set('tokenizer/tokenizer_config.json', json({ tokenizer_class: 'WordTokenizer', model_max_length: BASE_SEQ_LEN, pad_token: '<|endoftext|>', unk_token: '<unk>' }));
  files.set('scheduler/scheduler_config.json', json({
    _class_name: 'DDIMScheduler', beta_start: BASE_BETAS.betaStart, beta_end: BASE_BETAS.betaEnd, beta_schedule: BASE_BETAS.betaSchedule,
    num_train_timesteps: BASE_BETAS.numTrainTimesteps, prediction_type: 'epsilon', set_alpha_to_one: false, steps_offset: 1, clip_sample: false,
  }));
  return files;
}
