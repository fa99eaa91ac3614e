// Loads a diffusers Stable Diffusion 1.x folder through a FileSource: model_index.json, unet/, text_encoder/,
// vae/ (config.json + safetensors, plain, ".fp16" variant or sharded ".index.json"), tokenizer/ (vocab.json +
// merges.txt) and scheduler/scheduler_config.json. Every missing part or file is a ModelAssetError that names it.
// No fs, no DOM: Node and the browser pass their own FileSource. Reference: diffusers DiffusionPipeline.from_pretrained.
import { ModelAssetError, showValue } from '../../lib/errors';
import { checkInsidePath } from '../../lib/paths';
import { Fields, isObject } from '../../lib/schema';
import type { AutoencoderKLConfig, ClipTextConfig, UNet2DConditionConfig } from '../../onnx/index';
import { ClipBpeTokenizer } from '../text/ClipBpeTokenizer';
import { WordTokenizer } from '../text/WordTokenizer';
import type { Tokenizer } from '../text/types';
import { readSafetensors } from '../weights/safetensors';
import type { SafeTensor } from '../weights/safetensors';
import { parseClipTextConfig, parseSchedulerConfig, parseUnetConfig, parseVaeConfig } from './configs';
import type { FolderSchedulerConfig } from './configs';
import { readJson, readJsonObject, readText, withPath } from './fileSource';
import type { FileSource } from './fileSource';
import { SafetensorsWeights } from './safetensorsWeights';
import { checkWeightsFit } from './weightCheck';

/** A model part: its parsed config and its weights. */
export type ModelPart<C> = { config: C; weights: SafetensorsWeights };

/** Everything the text-to-image pipeline needs from a model folder. */
export type LoadedModel = {
  /** folder label (path or handle name), for messages and infotext ("Model: …") */
  name: string;
  unet: ModelPart<UNet2DConditionConfig>;
  textEncoder: ModelPart<ClipTextConfig>;
  vae: ModelPart<AutoencoderKLConfig>;
  tokenizer: Tokenizer;
  scheduler: FolderSchedulerConfig;
  /** SHA-256 (hex) of the single-file checkpoint the model came from; A1111's "Model hash" is its first 10 digits */
  checkpointSha256?: string;
};

/** The image size (px) the model was trained at: UNet sample_size × the VAE's downsampling (2^(levels − 1)). */
export function nativeImageSize(model: { unet: { config: Pick<UNet2DConditionConfig, 'sample_size'> }; vae: { config: Pick<AutoencoderKLConfig, 'block_out_channels'> } }): number {
  return model.unet.config.sample_size * 2 ** (model.vae.config.block_out_channels.length - 1);
}

/** Parts a text-to-image folder must have, with the files that make each one. */
export const REQUIRED_PARTS: Readonly<Record<string, readonly string[]>> = {
  unet: ['unet/config.json', 'unet/diffusion_pytorch_model.safetensors'],
  text_encoder: ['text_encoder/config.json', 'text_encoder/model.safetensors'],
  vae: ['vae/config.json', 'vae/diffusion_pytorch_model.safetensors'],
  tokenizer: ['tokenizer/vocab.json', 'tokenizer/merges.txt'],
  scheduler: ['scheduler/scheduler_config.json'],
};

const LAYOUT = 'A diffusers Stable Diffusion folder has model_index.json next to unet/, text_encoder/, vae/, tokenizer/ and scheduler/.';

function checkModelIndex(label: string, raw: unknown): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ModelAssetError(`${label}/model_index.json must be a JSON object.`);
  const index = raw as Record<string, unknown>;
  for (const part of Object.keys(REQUIRED_PARTS)) {
    const entry = index[part];
    if (!Array.isArray(entry) || entry[1] === null || entry[1] === undefined) {
      throw new ModelAssetError(`${label}/model_index.json does not list the part "${part}" (found ${JSON.stringify(entry ?? null)}). ${LAYOUT}`);
    }
  }
}

/** The weight files of `dir` with base name `base`: plain, ".fp16" variant, or the shards of an index. */
async function weightFiles(src: FileSource, files: Set<string>, dir: string, base: string): Promise<string[]> {
  for (const name of [`${dir}/${base}.safetensors`, `${dir}/${base}.fp16.safetensors`]) if (files.has(name)) return [name];
  const index = `${dir}/${base}.safetensors.index.json`;
  if (files.has(index)) {
    const raw = await readJsonObject(src, index);
    const map = raw.weight_map === undefined ? {} : raw.weight_map;
    if (!isObject(map)) throw new ModelAssetError(`${src.label}/${index}: "weight_map" must map tensor names to shard files, got ${showValue(map)}.`);
    const shards = [...new Set(Object.values(map))].map((s) => `${dir}/${checkInsidePath(s, `${src.label}/${index}`, 'weight_map')}`);
    const absent = shards.filter((s) => !files.has(s));
    if (shards.length === 0 || absent.length > 0) throw new ModelAssetError(`${src.label}/${index} names shards that are missing: ${absent.join(', ') || '(none listed)'}.`);
    return shards;
  }
  const pickle = [...files].find((f) => f.startsWith(`${dir}/`) && /\.(bin|ckpt|pt)$/.test(f));
  const hint = pickle ? ` Found "${pickle}": pickled weights are not read (unsafe in a browser); convert it to .safetensors.` : '';
  throw new ModelAssetError(`${src.label} is missing "${dir}/${base}.safetensors" (part "${dir}").${hint} ${LAYOUT}`);
}

/** Reads the safetensors files of a part into one WeightSource. */
export async function readPartWeights(src: FileSource, paths: readonly string[]): Promise<SafetensorsWeights> {
  const tensors = new Map<string, SafeTensor>();
  for (const path of paths) {
    const bytes = await src.read(path);
    const file = withPath(`${src.label}/${path}`, () => readSafetensors(bytes));
    for (const [name, t] of Object.entries(file.tensors)) tensors.set(name, t);
  }
  return new SafetensorsWeights(tensors, `${src.label}/${paths.length === 1 ? paths[0] : `${paths[0]} (+${paths.length - 1} shards)`}`);
}

/** tokenizer/ → CLIP BPE tokenizer, with tokenizer_config.json's length and pad token and added_tokens.json. */
export async function readTokenizer(src: FileSource, files: Set<string>, dir = 'tokenizer'): Promise<Tokenizer> {
  const cfgPath = `${dir}/tokenizer_config.json`;
  const cfg = files.has(cfgPath) ? await readJsonObject(src, cfgPath) : {};
  const maxLength = typeof cfg.model_max_length === 'number' && cfg.model_max_length <= 1024 ? cfg.model_max_length : 77;
  const padToken = typeof cfg.pad_token === 'string' ? cfg.pad_token : undefined;
  if (cfg.tokenizer_class === 'WordTokenizer') return new WordTokenizer(await readJson(src, `${dir}/vocab.json`), { maxLength, padToken });
  const tok = new ClipBpeTokenizer(await readText(src, `${dir}/vocab.json`), await readText(src, `${dir}/merges.txt`), { maxLength, padToken });
  const addedPath = `${dir}/added_tokens.json`;
  if (files.has(addedPath)) {
    const f = new Fields(`${src.label}/${addedPath}`, (m) => new ModelAssetError(m));
    const added = Object.entries(await readJsonObject(src, addedPath)).map(([t, id]) => [f.string(t, '(token)', 256), f.int(id, t.slice(0, 60), 0, 2 ** 31)] as const).sort((a, b) => a[1] - b[1]);
    const fresh = added.filter(([t]) => tok.tokenToId(t) === undefined).map(([t]) => t);
    if (fresh.length > 0) tok.addTokens(fresh);
  }
  return tok;
}

/**
 * Loads a diffusers SD 1.x folder; every config is checked against its weights file's tensor list before anything
 * is built (weightCheck.ts).
 * @throws ModelAssetError naming the missing part or file, the bad config field, or missing/unused weights;
 *         ModelFormatError for a safetensors file whose header does not match its data.
 * @example const model = await loadDiffusersFolder(createNodeFileSource('models/tiny'));
 */
export async function loadDiffusersFolder(src: FileSource): Promise<LoadedModel> {
  const files = new Set(await src.list());
  if (!files.has('model_index.json')) throw new ModelAssetError(`${src.label} has no model_index.json. ${LAYOUT}`);
  checkModelIndex(src.label, await readJson(src, 'model_index.json'));
  for (const [part, needed] of Object.entries(REQUIRED_PARTS)) {
    const config = needed[0] as string;
    if (!files.has(config)) throw new ModelAssetError(`${src.label} is missing part "${part}": "${config}" does not exist. ${LAYOUT}`);
  }
  const unetWeights = await readPartWeights(src, await weightFiles(src, files, 'unet', 'diffusion_pytorch_model'));
  const textWeights = await readPartWeights(src, await weightFiles(src, files, 'text_encoder', 'model'));
  const vaeWeights = await readPartWeights(src, await weightFiles(src, files, 'vae', 'diffusion_pytorch_model'));
  const configs = {
    unet: parseUnetConfig(await readJson(src, 'unet/config.json')),
    textEncoder: parseClipTextConfig(await readJson(src, 'text_encoder/config.json')),
    vae: parseVaeConfig(await readJson(src, 'vae/config.json')),
  };
  checkWeightsFit(configs, {
    unet: { label: unetWeights.label, shapes: unetWeights.shapes() },
    text_encoder: { label: textWeights.label, shapes: textWeights.shapes() },
    vae: { label: vaeWeights.label, shapes: vaeWeights.shapes() },
  });
  return {
    name: src.label.split('/').filter(Boolean).pop() ?? src.label,
    unet: { config: configs.unet, weights: unetWeights },
    textEncoder: { config: configs.textEncoder, weights: textWeights },
    vae: { config: configs.vae, weights: vaeWeights },
    tokenizer: await readTokenizer(src, files),
    scheduler: parseSchedulerConfig(await readJson(src, 'scheduler/scheduler_config.json')),
  };
}
