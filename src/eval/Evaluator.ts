// The world's "CLIP": a trained attribute classifier + embedding run on an injected Runner. Gives per-image
// attribute probabilities, text alignment against a world prompt and image alignment (embedding cosine).
// Deterministic (fixed weights, fixed batch padding); never trains, never touches files.
// Reference: issue 5 item 2; definitions of the scores in alignment.ts.
import { ModelAssetError } from '../lib/errors';
import { encodeModel, GraphBuilder, op } from '../onnx/index';
import type { HostTensor, Runner, Session } from '../runtime/index';
import { parseCaption } from '../world/index';
import { addParams, EMBED_DIM, EVAL_SIZE, forward, PRESENCE_LOGITS, TOTAL_LOGITS } from './architecture';
import { probsFromRow, setScoresOf, textAlignmentOf } from './alignment';
import type { AttributeProbs, SetScores } from './alignment';
import { toInput } from './labels';
import type { EvalImage } from './labels';
import { unpackWeights } from './weights';
import type { EvaluatorManifest } from './weights';

/** Images per session run; shorter calls are zero-padded (the pad rows are dropped). */
export const EVAL_BATCH = 16;

/** Optional coverage masks (0..255, [size, size]) for imageAlignment: pixels outside become flat grey. */
export type AlignmentMasks = { maskA?: Uint8Array; maskB?: Uint8Array };

type Outputs = { embedding: Float32Array[]; probs: AttributeProbs[] };

function inferenceModel(params: Record<string, Float32Array>): Uint8Array {
  const b = new GraphBuilder('evaluator');
  const x = b.input('x', 'float32', [EVAL_BATCH, 3, EVAL_SIZE, EVAL_SIZE]);
  const { embedding, logits } = forward(x, addParams(b, params));
  b.output(embedding, 'embedding');
  b.output(op.Sigmoid(op.Slice(logits, [0], [PRESENCE_LOGITS], [1])), 'presence');
  b.output(op.Softmax(op.Slice(logits, [PRESENCE_LOGITS], [TOTAL_LOGITS], [1]), 1), 'count');
  return encodeModel(b.toModel());
}

/** Composites `img` onto flat grey (128) with coverage `mask` (0..255). */
function masked(img: EvalImage, mask: Uint8Array | undefined): EvalImage {
  if (!mask) return img;
  if (mask.length * 4 !== img.rgba.length) throw new RangeError(`imageAlignment: mask has ${mask.length} pixels, image has ${img.rgba.length / 4}`);
  const out = new Uint8ClampedArray(img.rgba.length);
  for (let i = 0; i < mask.length; i++) {
    const a = (mask[i] as number) / 255;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = 128 + ((img.rgba[i * 4 + c] as number) - 128) * a;
    out[i * 4 + 3] = 255;
  }
  return { size: img.size, rgba: out };
}

export class Evaluator {
  private constructor(
    private readonly session: Session,
    /** embedding mean over training scenes [96], subtracted before cosine similarity */
    private readonly embeddingMean: Float32Array,
  ) {}

  /** Builds the inference graph from `params` (name → values) and loads it on `runner`. */
  static async create(runner: Runner, params: Record<string, Float32Array>, embeddingMean: ArrayLike<number>): Promise<Evaluator> {
    if (embeddingMean.length !== EMBED_DIM) throw new ModelAssetError(`evaluator embeddingMean has ${embeddingMean.length} values, expected ${EMBED_DIM}`);
    const session = await runner.createSession('evaluator', inferenceModel(params));
    return new Evaluator(session, Float32Array.from(embeddingMean));
  }

  private async run(images: readonly EvalImage[]): Promise<Outputs> {
    const out: Outputs = { embedding: [], probs: [] };
    for (let from = 0; from < images.length; from += EVAL_BATCH) {
      const chunk = images.slice(from, from + EVAL_BATCH);
      const r = (await this.session.run({ x: toInput(chunk, EVAL_BATCH) })) as Record<string, HostTensor>;
      const [emb, pres, cnt] = [r.embedding, r.presence, r.count].map((t) => t?.data as Float32Array);
      for (let i = 0; i < chunk.length; i++) {
        out.embedding.push((emb as Float32Array).slice(i * EMBED_DIM, (i + 1) * EMBED_DIM));
        out.probs.push(probsFromRow((pres as Float32Array).subarray(i * PRESENCE_LOGITS), (cnt as Float32Array).subarray(i * 3)));
      }
    }
    return out;
  }

  /** Raw embeddings (global average pool of the last conv, [96] each), one per image. */
  async embed(images: readonly EvalImage[]): Promise<Float32Array[]> {
    return (await this.run(images)).embedding;
  }

  /** Attribute probabilities, one record per image. */
  async predict(images: readonly EvalImage[]): Promise<AttributeProbs[]> {
    return (await this.run(images)).probs;
  }

  /** Fraction of the prompt's attributes (shapes, colours, patterns, count) the image shows (alignment.ts). */
  async textAlignment(image: EvalImage, prompt: string): Promise<number> {
    const [p] = await this.predict([image]);
    return textAlignmentOf(p as AttributeProbs, parseCaption(prompt));
  }

  /** Cosine similarity of the mean-centred embeddings of two images (optionally restricted to masks). */
  async imageAlignment(a: EvalImage, b: EvalImage, masks: AlignmentMasks = {}): Promise<number> {
    const [ea, eb] = (await this.embed([masked(a, masks.maskA), masked(b, masks.maskB)])) as [Float32Array, Float32Array];
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < EMBED_DIM; i++) {
      const u = (ea[i] as number) - (this.embeddingMean[i] as number);
      const v = (eb[i] as number) - (this.embeddingMean[i] as number);
      dot += u * v; na += u * u; nb += v * v;
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  }

  /** The issue-5 set scores for images[i] generated from prompts[i]. */
  async scoreSet(images: readonly EvalImage[], prompts: readonly string[]): Promise<SetScores> {
    return setScoresOf(await this.predict(images), prompts.map(parseCaption));
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/**
 * Loads the committed evaluator (public/models/evaluator/evaluator.json + evaluator.bin, read by the caller).
 * @throws ModelAssetError when the manifest or blob does not match the architecture.
 * @example const ev = await loadEvaluator(runner, { manifest: JSON.parse(json), weights: bytes });
 */
export async function loadEvaluator(runner: Runner, files: { manifest: EvaluatorManifest; weights: Uint8Array }): Promise<Evaluator> {
  return Evaluator.create(runner, unpackWeights(files.manifest, files.weights), files.manifest.embeddingMean);
}
