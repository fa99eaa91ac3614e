// One entry for every model layout a user brings: detectModelLayout tells a diffusers folder, a diffusers/Optimum
// ONNX export and a single-file SD 1.x .safetensors checkpoint apart from the file list alone, and refuses
// anything else (pickles, a lone .onnx graph, several checkpoints, unknown files) with a ModelAssetError that
// names what was found and what is expected; loadAnyModel loads each layout into a LoadedModel. Never reads a
// pickle. No fs, no DOM. Reference: docs/ecosystem.md §4 (never pickles), diffusers single_file_utils.py.
import { ModelAssetError } from '../../lib/errors';
import { SD15_CLIP_TEXT, SD15_UNET, SD15_VAE } from '../../onnx/index';
import type { Tokenizer } from '../text/types';
import { clipTokenizerFromBpe } from '../text/clipVocabulary';
import { readSafetensors } from '../weights/safetensors';
import { loadSingleFileCheckpoint, mapCheckpointKey } from './checkpoint';
import type { CheckpointConfigs } from './checkpoint';
import { loadDiffusersFolder, readTokenizer } from './diffusersFolder';
import type { LoadedModel } from './diffusersFolder';
import type { FileSource } from './fileSource';
import { sha256Hex } from './weightCache';
import { isInpaintingUnet, sameUnetButInChannels } from './modelKind';
import { loadOnnxExport, onnxExportToModel } from './onnxExport';
import { compareWeights, neededParams } from './weightCheck';

/** The model layouts the studio loads. */
export type ModelLayout = 'diffusers' | 'onnx-export' | 'single-file';

export type LoadAnyOptions = {
  /** configs a single-file checkpoint is built with (it carries none); default SD 1.5's */
  checkpointConfigs?: CheckpointConfigs;
  /**
   * Reads the shipped CLIP vocabulary (public/clip/bpe_simple_vocab_16e6.txt.gz, gzip bytes) for a single-file
   * checkpoint that has no tokenizer files beside it: `readBundledClipVocabulary` (loaders/node.ts) in Node,
   * a fetch of `${BASE_URL}clip/…` in the browser. Tokenizer files beside the checkpoint win.
   */
  clipVocabulary?: () => Promise<Uint8Array>;
};

const EXPECTED = 'Expected one of: a diffusers folder (model_index.json, unet/, text_encoder/, vae/, tokenizer/, scheduler/); ' +
  'a diffusers/Optimum ONNX export folder (unet/model.onnx with its external data, text_encoder/model.onnx, vae_decoder/model.onnx, tokenizer/, scheduler/); ' +
  'or one SD 1.x .safetensors checkpoint (the CLIP vocabulary ships with the studio; vocab.json + merges.txt beside it are used when present).';
const PICKLE = /\.(ckpt|pt|pth|bin|pkl)$/i;
const SD15_CONFIGS: CheckpointConfigs = { unet: SD15_UNET, textEncoder: SD15_CLIP_TEXT, vae: SD15_VAE };

/** "a, b, c (+N more)" of up to `n` paths. */
function shown(paths: readonly string[], n = 6): string {
  if (paths.length === 0) return '(no files)';
  const head = paths.slice(0, n).map((p) => `"${p}"`).join(', ');
  return paths.length > n ? `${head} (+${paths.length - n} more)` : head;
}

/** A hint when the model sits one folder down (the user picked its parent). */
function nestedHint(files: readonly string[]): string {
  const inner = files.find((f) => /^[^/]+\/(model_index\.json|unet\/model\.onnx)$/.test(f));
  return inner ? ` The model seems to be in the subfolder "${inner.slice(0, inner.indexOf('/'))}": pick that folder instead.` : '';
}

/** Throws the refusal that fits `files`, which hold none of the three layouts. */
function refuse(label: string, files: readonly string[], top: readonly string[]): never {
  const safetensors = top.filter((f) => f.toLowerCase().endsWith('.safetensors'));
  if (safetensors.length > 1) {
    throw new ModelAssetError(`${label} holds ${safetensors.length} .safetensors files at the top (${shown(safetensors)}): pick one SD 1.x checkpoint.`);
  }
  const pickles = files.filter((f) => PICKLE.test(f));
  if (pickles.length > 0) {
    throw new ModelAssetError(`${label}: ${shown(pickles)} is a pickled PyTorch checkpoint. Pickles can run arbitrary code when opened, so the studio never reads them. Convert it to .safetensors (e.g. diffusers' convert_original_stable_diffusion_to_diffusers.py with --to_safetensors, or any "ckpt to safetensors" converter) and pick the .safetensors file.`);
  }
  const onnx = files.filter((f) => f.toLowerCase().endsWith('.onnx'));
  if (onnx.length > 0) {
    throw new ModelAssetError(`${label}: found the ONNX graph(s) ${shown(onnx)} but not an export's layout. One .onnx file is one network; generation needs the whole diffusers/Optimum export folder: unet/model.onnx (+ its external data such as model.onnx_data), text_encoder/model.onnx, vae_decoder/model.onnx, tokenizer/vocab.json + merges.txt and scheduler/scheduler_config.json (vae_encoder/model.onnx for training). Pick the export's top folder.${nestedHint(files)}`);
  }
  throw new ModelAssetError(`${label}: no model found among ${files.length} file(s): ${shown(files)}. ${EXPECTED}${nestedHint(files)}`);
}

function classify(label: string, files: readonly string[]): ModelLayout {
  const has = new Set(files);
  if (['unet', 'text_encoder', 'vae_decoder'].some((d) => has.has(`${d}/model.onnx`))) return 'onnx-export';
  if (has.has('model_index.json') || has.has('unet/config.json')) return 'diffusers';
  const top = files.filter((f) => !f.includes('/'));
  if (top.filter((f) => f.toLowerCase().endsWith('.safetensors')).length === 1) return 'single-file';
  return refuse(label, files, top);
}

/**
 * Which layout `src` holds, from its file list alone.
 * @throws ModelAssetError naming what was found and what is expected: pickled .ckpt/.pt/.bin (refused: convert to
 *         .safetensors), a lone .onnx graph, several top-level .safetensors files, or no model files at all
 * @example await detectModelLayout(new MemoryFileSource(files)) // 'single-file'
 */
export async function detectModelLayout(src: FileSource): Promise<ModelLayout> {
  return classify(src.label, await src.list());
}

/**
 * The CLIP tokenizer for a checkpoint: tokenizer/vocab.json + merges.txt, else vocab.json + merges.txt beside it,
 * else the shipped CLIP vocabulary (`clipVocabulary`).
 */
async function tokenizerNextTo(src: FileSource, files: readonly string[], checkpoint: string, clipVocabulary?: () => Promise<Uint8Array>): Promise<Tokenizer> {
  const has = new Set(files);
  const dir = ['tokenizer/', ''].find((d) => has.has(`${d}vocab.json`) && (has.has(`${d}merges.txt`) || has.has(`${d}tokenizer_config.json`)));
  if (dir === undefined) {
    const found = files.filter((f) => /(^|\/)(vocab\.json|merges\.txt)$/.test(f));
    if (found.length === 0 && clipVocabulary) return clipTokenizerFromBpe(await clipVocabulary());
    throw new ModelAssetError(`${src.label}: the single-file checkpoint "${checkpoint}" carries no tokenizer, and ${found.length > 0 ? `the CLIP tokenizer beside it is incomplete (need tokenizer/vocab.json + tokenizer/merges.txt, or vocab.json + merges.txt; found ${shown(found)}). Pick both files, or neither to use the CLIP vocabulary that ships with the studio.` : `no CLIP vocabulary was given to the loader (public/clip/bpe_simple_vocab_16e6.txt.gz ships with the studio; pick vocab.json and merges.txt beside the checkpoint otherwise).`}`);
  }
  if (dir === 'tokenizer/') return readTokenizer(src, has);
  const view: FileSource = { label: src.label, list: src.list.bind(src), read: (p) => src.read(p.replace(/^tokenizer\//, '')) };
  return readTokenizer(view, new Set(files.map((f) => `tokenizer/${f}`)));
}

/** What a safetensors file that is not an SD 1.x checkpoint most likely is, from its keys; '' when unknown. */
function otherKind(keys: readonly string[]): string {
  const any = (re: RegExp) => keys.some((k) => re.test(k));
  if (any(/^conditioner\.embedders\./)) return 'an SDXL checkpoint (SDXL is not supported; SD 1.x only)';
  if (any(/^cond_stage_model\.model\./)) return 'an SD 2.x checkpoint (OpenCLIP text encoder; SD 1.x only)';
  if (any(/^lora_(unet|te\d?)_|\.lora_(down|up)\.|\.lora_[AB]\./)) return 'a LoRA, not a base model (pick a full SD 1.x checkpoint)';
  if (any(/^(down_blocks|mid_block|up_blocks|encoder\.|decoder\.|text_model\.)/)) return 'one component of a diffusers folder (pick the whole folder with model_index.json)';
  if (keys.length <= 4 && !any(/^(model\.diffusion_model|first_stage_model|cond_stage_model)\./)) return 'a textual-inversion embedding, not a base model';
  return '';
}

/** Fails unless every parameter the configs need is in the file with the same number of elements, and every mapped weight is used. */
function checkFits(file: string, shapes: ReadonlyMap<string, readonly number[]>, configs: CheckpointConfigs): void {
  const problems: string[] = [];
  const unused: string[] = [];
  let total = 0;
  for (const [part, params] of Object.entries(neededParams(configs))) {
    total += params.length;
    const have = new Map([...shapes].filter(([k]) => k.startsWith(`${part}:`)).map(([k, v]) => [k.slice(part.length + 1), v]));
    const m = compareWeights(params, have);
    problems.push(...m.mismatched.map((t) => `${part} ${t}`), ...m.missing.map((n) => `${part} "${n}" is missing`));
    unused.push(...m.unused.map((n) => `${part} "${n}"`));
  }
  if (problems.length === 0 && unused.length === 0) return;
  const sd15 = configs.unet === SD15_UNET || sameUnetButInChannels(configs.unet, SD15_UNET) ? 'SD 1.5' : 'the given';
  const bad = problems.length > 0 ? `${problems.length} of ${total} weights do not match (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''})` : '';
  const extra = unused.length > 0 ? `${unused.length} weights in the file are never used by the configs (${unused.slice(0, 3).join(', ')}${unused.length > 3 ? ', …' : ''})` : '';
  throw new ModelAssetError(`${file} does not fit the ${sd15} architecture: ${[bad, extra].filter(Boolean).join('; ')}. Only SD 1.x text-to-image and inpainting checkpoints in CompVis/LDM naming load as a single file (not SD 2.x, SDXL or pruned partial files).`);
}

/** The UNet's first convolution in CompVis/LDM naming: [C, in_channels, 3, 3]. */
const CONV_IN_KEY = 'model.diffusion_model.input_blocks.0.0.weight';

/**
 * An SD inpainting checkpoint (sd-v1-5-inpainting) is the text-to-image architecture with a conv_in of
 * 2·latent + 1 = 9 input channels (latent, mask, masked-image latent): the configs are the given ones with that
 * `in_channels`, when the file's conv_in says so. Any other width is left to checkFits, which names it.
 */
function withInpaintingUnet(configs: CheckpointConfigs, convIn: readonly number[] | undefined): CheckpointConfigs {
  const n = convIn?.[1];
  if (convIn?.length !== 4 || n === undefined || !isInpaintingUnet(n, configs.vae.latent_channels) || configs.unet.in_channels === n) return configs;
  return { ...configs, unet: { ...configs.unet, in_channels: n } };
}

async function loadCheckpointFile(src: FileSource, files: readonly string[], given: CheckpointConfigs, clipVocabulary?: () => Promise<Uint8Array>): Promise<LoadedModel> {
  const checkpoint = files.find((f) => !f.includes('/') && f.toLowerCase().endsWith('.safetensors')) as string;
  const bytes = await src.read(checkpoint);
  const tensors = readSafetensors(bytes).tensors;
  const kind = otherKind(Object.keys(tensors));
  if (kind) throw new ModelAssetError(`${src.label}: "${checkpoint}" looks like ${kind}. ${EXPECTED}`);
  const configs = withInpaintingUnet(given, tensors[CONV_IN_KEY]?.shape);
  const shapes = new Map<string, readonly number[]>();
  for (const [key, t] of Object.entries(tensors)) {
    const mapped = mapCheckpointKey(key, configs.unet, configs.vae.block_out_channels.length);
    if (mapped) shapes.set(`${mapped.part}:${mapped.name}`, t.shape);
  }
  checkFits(`${src.label}/${checkpoint}`, shapes, configs);
  const tokenizer = await tokenizerNextTo(src, files, checkpoint, clipVocabulary);
  const model = loadSingleFileCheckpoint(bytes, tokenizer, checkpoint.replace(/\.safetensors$/i, ''), configs);
  return { ...model, checkpointSha256: await sha256Hex(bytes) };
}

/**
 * Loads whatever model `src` holds: a diffusers folder (loadDiffusersFolder), a diffusers/Optimum ONNX export
 * (loadOnnxExport + onnxExportToModel) or one SD 1.x .safetensors checkpoint, tokenized by the CLIP files next to
 * it or else the shipped vocabulary `options.clipVocabulary` (loadSingleFileCheckpoint, SD 1.5 configs unless
 * `options.checkpointConfigs`). The layout loaders' own errors pass through unchanged.
 * @throws ModelAssetError from detectModelLayout, for a checkpoint with neither tokenizer files nor clipVocabulary
 *         (or only one of vocab.json / merges.txt), for a .safetensors
 *         file that is not an SD 1.x checkpoint (SDXL, SD 2.x, LoRA, embedding, …) or does not fit the configs
 * @example const model = await loadAnyModel(createFileListSource(pickedFiles, 'my-model'));
 */
export async function loadAnyModel(src: FileSource, options: LoadAnyOptions = {}): Promise<LoadedModel> {
  const files = await src.list();
  const layout = classify(src.label, files);
  if (layout === 'diffusers') return loadDiffusersFolder(src);
  if (layout === 'onnx-export') return onnxExportToModel(await loadOnnxExport(src));
  return loadCheckpointFile(src, files, options.checkpointConfigs ?? SD15_CONFIGS, options.clipVocabulary);
}
