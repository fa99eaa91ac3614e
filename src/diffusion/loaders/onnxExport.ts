// Loads a diffusers/Optimum ONNX export of Stable Diffusion 1.x through a FileSource: unet/, text_encoder/,
// vae_decoder/, vae_encoder/ (model.onnx + external data such as model.onnx_data or weights.pb, optional
// config.json), tokenizer/ and scheduler/; model_index.json is optional. Every model is validated by the proto
// codec (ModelFormatError naming the file); every missing part or file is a ModelAssetError naming it.
// onnxExportToModel maps the export's weights back to diffusers state-dict names (torch.onnx anonymizes Linear
// weights as pre-transposed `onnx::MatMul_*`) so the pipeline builds its own graphs from them. No fs, no DOM.
import { ModelAssetError } from '../../lib/errors';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder, decodeModel } from '../../onnx/index';
import type { AutoencoderKLConfig, ClipTextConfig, Model, ParamEntry, UNet2DConditionConfig } from '../../onnx/index';
import type { Tokenizer } from '../text/types';
import { parseClipTextConfig, parseSchedulerConfig, parseUnetConfig, parseVaeConfig } from './configs';
import type { FolderSchedulerConfig } from './configs';
import { readTokenizer } from './diffusersFolder';
import type { LoadedModel } from './diffusersFolder';
import { readJson, withPath } from './fileSource';
import type { FileSource } from './fileSource';
import { onnxExportWeights } from './onnxExportWeights';
import type { SafetensorsWeights } from './safetensorsWeights';

/** One exported model: decoded graph, the bytes and external data a session needs, and its config.json. */
export type OnnxPart<C> = {
  /** path inside the export, e.g. "unet/model.onnx" */
  file: string;
  /** decoded model; external tensors carry their data when loaded (see loadExternalData) */
  model: Model;
  /** the .onnx file as read */
  bytes: Uint8Array;
  /** external data location as written in the model → file bytes (SessionOptions.externalData) */
  externalData: Record<string, Uint8Array>;
  /** `<part>/config.json`, parsed, when the export has it (Optimum writes one per part) */
  config: C | undefined;
};

export type LoadedOnnxExport = {
  name: string;
  unet: OnnxPart<UNet2DConditionConfig>;
  textEncoder: OnnxPart<ClipTextConfig>;
  vaeDecoder: OnnxPart<AutoencoderKLConfig>;
  /** absent in generation-only exports */
  vaeEncoder: OnnxPart<AutoencoderKLConfig> | undefined;
  tokenizer: Tokenizer;
  scheduler: FolderSchedulerConfig;
};

export type OnnxExportOptions = {
  /** decode external tensors into `model` (default true); false keeps them as bytes in `externalData` only */
  loadExternalData?: boolean;
};

/** Parts an export must have, with the files that make each one (vae_encoder is optional). */
export const ONNX_EXPORT_PARTS: Readonly<Record<string, readonly string[]>> = {
  unet: ['unet/model.onnx'],
  text_encoder: ['text_encoder/model.onnx'],
  vae_decoder: ['vae_decoder/model.onnx'],
  tokenizer: ['tokenizer/vocab.json', 'tokenizer/merges.txt'],
  scheduler: ['scheduler/scheduler_config.json'],
};

const LAYOUT = 'An ONNX export (diffusers/Optimum) has unet/model.onnx (+ external data), text_encoder/model.onnx, vae_decoder/model.onnx, vae_encoder/model.onnx, tokenizer/ and scheduler/.';

function checkParts(src: FileSource, files: Set<string>): void {
  const missing = Object.entries(ONNX_EXPORT_PARTS).flatMap(([part, needed]) => needed.filter((f) => !files.has(f)).map((f) => `part "${part}" ("${f}")`));
  if (missing.length === 0) return;
  const isDiffusers = files.has('unet/config.json') && [...files].some((f) => f.startsWith('unet/') && f.endsWith('.safetensors'));
  const hint = isDiffusers ? ' This looks like a diffusers safetensors folder: load it with loadDiffusersFolder.' : '';
  throw new ModelAssetError(`${src.label} is missing ${missing.join(', ')}. ${LAYOUT}${hint}`);
}

async function readPart<C>(src: FileSource, files: Set<string>, dir: string, parse: (raw: unknown, file: string) => C, load: boolean): Promise<OnnxPart<C>> {
  const file = `${dir}/model.onnx`;
  const bytes = await src.read(file);
  const shallow = withPath(`${src.label}/${file}`, () => decodeModel(bytes));
  const locations = [...new Set(shallow.graph.initializers.flatMap((t) => (t.external ? [t.external.location] : [])))];
  const externalData: Record<string, Uint8Array> = {};
  for (const loc of locations) {
    const path = `${dir}/${loc.replace(/^\.\//, '')}`;
    if (!files.has(path)) throw new ModelAssetError(`${src.label}/${file} keeps its weights in external data "${loc}", but "${path}" does not exist (part "${dir}"). Keep model.onnx and its data file (e.g. model.onnx_data or weights.pb) together.`);
    externalData[loc] = await src.read(path);
  }
  const model = load && locations.length > 0 ? withPath(`${src.label}/${file}`, () => decodeModel(bytes, { externalData })) : shallow;
  const cfgPath = `${dir}/config.json`;
  const config = files.has(cfgPath) ? parse(await readJson(src, cfgPath), cfgPath) : undefined;
  return { file, model, bytes, externalData, config };
}

/**
 * Loads a diffusers/Optimum ONNX export folder.
 * @throws ModelAssetError naming every missing part or external data file, or a bad config field;
 *         ModelFormatError (prefixed with the file) for bytes that are not a valid ONNX model
 * @example const exp = await loadOnnxExport(createNodeFileSource('models/sd15-onnx'));
 */
export async function loadOnnxExport(src: FileSource, options: OnnxExportOptions = {}): Promise<LoadedOnnxExport> {
  const files = new Set(await src.list());
  checkParts(src, files);
  if (files.has('model_index.json')) {
    const index = await readJson(src, 'model_index.json');
    if (index === null || typeof index !== 'object' || Array.isArray(index)) throw new ModelAssetError(`${src.label}/model_index.json must be a JSON object.`);
  }
  const load = options.loadExternalData ?? true;
  return {
    name: src.label.split('/').filter(Boolean).pop() ?? src.label,
    unet: await readPart(src, files, 'unet', parseUnetConfig, load),
    textEncoder: await readPart(src, files, 'text_encoder', parseClipTextConfig, load),
    vaeDecoder: await readPart(src, files, 'vae_decoder', parseVaeConfig, load),
    vaeEncoder: files.has('vae_encoder/model.onnx') ? await readPart(src, files, 'vae_encoder', parseVaeConfig, load) : undefined,
    tokenizer: await readTokenizer(src, files),
    scheduler: parseSchedulerConfig(await readJson(src, 'scheduler/scheduler_config.json')),
  };
}

function configOf<C>(exp: LoadedOnnxExport, part: string, config: C | undefined): C {
  if (config) return config;
  throw new ModelAssetError(`${exp.name}/${part}/config.json is missing: the studio builds its own graphs from the config and takes the export's weights (Optimum writes a config.json per part). Without it, run the export's graphs directly (e.g. makeTrainable on unet.model).`);
}

/** Fails unless `weights` holds every parameter the builders need, with matching sizes. */
function checkComplete(exp: LoadedOnnxExport, part: string, weights: SafetensorsWeights, params: readonly ParamEntry[]): void {
  const have = new Set(weights.names);
  const missing = params.filter((p) => !have.has(p.name)).map((p) => p.name);
  if (missing.length === 0) return;
  throw new ModelAssetError(`${exp.name}/${part}: ${missing.length} of ${params.length} weights could not be named from the export (e.g. ${missing.slice(0, 3).join(', ')}). Fused or optimized exports (com.microsoft attention, packed K/V) and exports without their external data are not supported for generation; use an unoptimized export.`);
}

/**
 * The export as a LoadedModel for Txt2ImgPipeline: configs from each part's config.json, weights mapped back to
 * state-dict names (onnxExportWeights). The VAE's encoder weights are present only when the export has vae_encoder.
 * @throws ModelAssetError for a missing config.json or weights that cannot be named (names a few)
 * @example const pipe = new Txt2ImgPipeline(runner, onnxExportToModel(await loadOnnxExport(src)));
 */
export function onnxExportToModel(exp: LoadedOnnxExport): LoadedModel {
  const unetCfg = configOf(exp, 'unet', exp.unet.config);
  const textCfg = configOf(exp, 'text_encoder', exp.textEncoder.config);
  const vaeCfg = configOf(exp, 'vae_decoder', exp.vaeDecoder.config ?? exp.vaeEncoder?.config);
  const unet = onnxExportWeights([exp.unet.model.graph], `${exp.name}/${exp.unet.file}`);
  const text = onnxExportWeights([exp.textEncoder.model.graph], `${exp.name}/${exp.textEncoder.file}`);
  const vaeGraphs = [exp.vaeDecoder.model.graph, ...(exp.vaeEncoder ? [exp.vaeEncoder.model.graph] : [])];
  const vae = onnxExportWeights(vaeGraphs, `${exp.name}/${exp.vaeDecoder.file}`);
  const lat = 2 ** (unetCfg.block_out_channels.length - 1);
  const img = 2 ** (vaeCfg.block_out_channels.length - 1);
  checkComplete(exp, 'unet', unet, buildUnet(unetCfg, { weights: 'shapes-only', batch: 1, height: lat, width: lat, seqLen: 1 }).params);
  checkComplete(exp, 'text_encoder', text, buildClipText(textCfg, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params);
  checkComplete(exp, 'vae_decoder', vae, buildVaeDecoder(vaeCfg, { weights: 'shapes-only', batch: 1, height: 1, width: 1 }).params);
  if (exp.vaeEncoder) checkComplete(exp, 'vae_encoder', vae, buildVaeEncoder(vaeCfg, { weights: 'shapes-only', batch: 1, height: img, width: img }).params);
  return {
    name: exp.name,
    unet: { config: unetCfg, weights: unet },
    textEncoder: { config: textCfg, weights: text },
    vae: { config: vaeCfg, weights: vae },
    tokenizer: exp.tokenizer,
    scheduler: exp.scheduler,
  };
}
