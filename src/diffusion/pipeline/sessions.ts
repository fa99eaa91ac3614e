// Builds the graphs of text-to-image (CLIP text encoder, UNet, VAE decoder; plus the VAE encoder at batch 1 for
// image-to-image and inpainting) from a loaded model with the toolkit's builders, serializes them and opens sessions on an injected Runner. Weights come ONLY from the
// model: a parameter the files lack is an error, never a silent random init. Graphs whose weights exceed
// `externalDataBytes` go through ONNX external data (protobuf's 2 GB limit). No onnxruntime import here.
import { ConfigError, ModelAssetError } from '../../lib/errors';
import { buildClipText, buildUnet, buildVaeDecoder, buildVaeEncoder, encodeForSession, MAX_INLINE_BYTES, toFloat16, vaeScaleFactor } from '../../onnx/index';
import type { CrossAttentionLayerInfo, Model } from '../../onnx/index';
import type { Runner, Session } from '../../runtime/index';
import type { LoadedModel } from '../loaders/diffusersFolder';
import type { AttentionLayer } from './attentionMaps';

/** Static sizes of one set of sessions (builder shapes are static). */
export type SessionShape = {
  /** images per run */
  batch: number;
  /** UNet batch doubled for classifier-free guidance */
  isDoubled: boolean;
  latentHeight: number;
  latentWidth: number;
  /** expose attn2 probabilities: false, true (all layers), or only layers at these latent resolutions (h) */
  attention: boolean | readonly number[];
  /** also open the VAE encoder [1, 3, H, W] (an init image to encode) */
  encoder?: boolean;
};

export type PipelineSessions = {
  text: Session;
  unet: Session;
  vae: Session;
  /** sample [1, 3, H, W] in [−1, 1] → latent_parameters [1, 2C, h, w] (mean, logvar); only when shape.encoder */
  vaeEncoder?: Session;
  attentionLayers: AttentionLayer[];
  dispose(): Promise<void>;
};

/** Above this many initializer bytes a graph is written with external data (onnx/proto/externalize.ts MAX_INLINE_BYTES). */
export const DEFAULT_EXTERNAL_DATA_BYTES = MAX_INLINE_BYTES;

function requireAll(part: string, label: string, randomInitialized: string[]): void {
  if (randomInitialized.length === 0) return;
  const shown = randomInitialized.slice(0, 5).join(', ');
  throw new ModelAssetError(`${label} lacks ${randomInitialized.length} weight(s) the ${part} config needs, e.g. ${shown}. The config.json and the weights file do not belong together.`);
}

async function open(runner: Runner, name: string, built: Model, externalDataBytes: number, precision: 'fp16' | 'fp32'): Promise<Session> {
  const model = precision === 'fp16' ? toFloat16(built) : built;
  const { bytes, externalData } = encodeForSession(model, externalDataBytes, `${name}.onnx.data`);
  return runner.createSession(name, bytes, externalData ? { externalData } : {});
}

/** The attn2 selector for the UNet builder; `seen` collects every layer's latent height. */
function pickLayers(req: SessionShape['attention'], seen: Set<number>): boolean | ((l: CrossAttentionLayerInfo) => boolean) {
  if (typeof req === 'boolean') return req;
  return (l) => {
    seen.add(l.resolution[0]);
    return req.includes(l.resolution[0]);
  };
}

/**
 * Builds and opens text encoder [2B or B, 77], UNet, VAE decoder [B] (and VAE encoder [1]) sessions for `shape`, converted to float16
 * when `precision` is 'fp16' (inputs and outputs stay float32).
 * @throws ModelAssetError when the model's files lack a parameter of its configs; ConfigError when `attention`
 *         lists resolutions the UNet has no cross-attention layer at.
 */
export async function createPipelineSessions(runner: Runner, model: LoadedModel, shape: SessionShape, externalDataBytes = DEFAULT_EXTERNAL_DATA_BYTES, precision: 'fp16' | 'fp32' = 'fp32'): Promise<PipelineSessions> {
  const unetBatch = shape.isDoubled ? 2 * shape.batch : shape.batch;
  const seqLen = model.tokenizer.maxLength;
  const text = buildClipText(model.textEncoder.config, { batch: unetBatch, seqLen, weights: model.textEncoder.weights, graphName: 'text_encoder' });
  requireAll('text encoder', model.textEncoder.weights.label, text.randomInitialized);
  const seen = new Set<number>();
  const unet = buildUnet(model.unet.config, {
    batch: unetBatch, height: shape.latentHeight, width: shape.latentWidth, seqLen, weights: model.unet.weights, exposeCrossAttention: pickLayers(shape.attention, seen), graphName: 'unet',
  });
  requireAll('UNet', model.unet.weights.label, unet.randomInitialized);
  if (Array.isArray(shape.attention) && unet.crossAttention.length === 0) {
    throw new ConfigError(`attention: no cross-attention layer at latent resolution ${shape.attention.join(', ')}; this model and size have layers at ${[...seen].join(', ')}.`);
  }
  const vae = buildVaeDecoder(model.vae.config, { batch: shape.batch, height: shape.latentHeight, width: shape.latentWidth, weights: model.vae.weights, graphName: 'vae_decoder' });
  requireAll('VAE decoder', model.vae.weights.label, vae.randomInitialized);
  const graphs: [string, Model][] = [['text_encoder', text.model], ['unet', unet.model], ['vae_decoder', vae.model]];
  if (shape.encoder) {
    const f = vaeScaleFactor(model.vae.config);
    const enc = buildVaeEncoder(model.vae.config, { batch: 1, height: shape.latentHeight * f, width: shape.latentWidth * f, weights: model.vae.weights, graphName: 'vae_encoder' });
    requireAll('VAE encoder', model.vae.weights.label, enc.randomInitialized);
    graphs.push(['vae_encoder', enc.model]);
  }
  const sessions: Session[] = [];
  try {
    for (const [name, m] of graphs) sessions.push(await open(runner, name, m, externalDataBytes, precision));
  } catch (e) {
    await Promise.all(sessions.map((s) => s.dispose()));
    throw e;
  }
  const [textS, unetS, vaeS, encS] = sessions as [Session, Session, Session, Session | undefined];
  return {
    text: textS, unet: unetS, vae: vaeS, ...(encS ? { vaeEncoder: encS } : {}),
    attentionLayers: unet.crossAttention.map((c) => ({ layer: c.layer, output: c.output, resolution: c.resolution, heads: c.heads })),
    dispose: async () => {
      await Promise.all(sessions.map((s) => s.dispose()));
    },
  };
}
