// The world's "CLIP": object proposals (segment.ts) classified one crop at a time by the trained per-object CNN
// (architecture.ts) on an injected Runner. Gives per-object attribute probabilities, text alignment against a
// world prompt and image alignment (cosine of object embeddings). Deterministic (fixed weights, fixed batch
// padding); never trains, never touches files. Reference: the world evaluator; score definitions in alignment.ts.
import { ModelAssetError } from '../lib/errors';
import { encodeModel, GraphBuilder, op } from '../onnx/index';
import type { HostTensor, Runner, Session } from '../runtime/index';
import { COLORS, parseCaption, PATTERNS, SHAPES } from '../world/index';
import { addParams, CROP_CHANNELS, CROP_SIZE, EMBED_DIM, forward, HEAD_NAMES, HEADS, TOTAL_LOGITS } from './architecture';
import { setScoresOf, textAlignmentOf } from './alignment';
import type { ImagePrediction, ObjectProbs, SetScores } from './alignment';
import { cropBatch } from './crops';
import type { CropSpec } from './crops';
import type { EvalImage } from './labels';
import { proposals, SEG_SIZE, toRgb64 } from './segment';
import type { Proposal } from './segment';
import { unpackWeights } from './weights';
import type { EvaluatorManifest } from './weights';

/** Crops per session run; shorter calls are zero-padded (the pad rows are dropped). */
export const EVAL_BATCH = 32;
/** At most this many proposals per image are classified (the largest ones). */
export const MAX_OBJECTS = 8;

/** Optional coverage masks (0..255, [64, 64]) for imageAlignment: the object to compare in each image. */
export type AlignmentMasks = { maskA?: Uint8Array; maskB?: Uint8Array };

type CropOut = { embedding: Float32Array; probs: Float32Array };

function inferenceModel(params: Record<string, Float32Array>): Uint8Array {
  const b = new GraphBuilder('evaluator');
  const x = b.input('x', 'float32', [EVAL_BATCH, CROP_CHANNELS, CROP_SIZE, CROP_SIZE]);
  const { embedding, logits } = forward(x, addParams(b, params));
  b.output(embedding, 'embedding');
  const heads = HEAD_NAMES.map((h) => op.Softmax(op.Slice(logits, [HEADS[h].offset], [HEADS[h].offset + HEADS[h].size], [1]), 1));
  b.output(op.Concat(heads, 1), 'probs');
  return encodeModel(b.toModel());
}

/** The proposal a mask (coverage ≥ 128 inside) describes; the whole image when the mask is empty. */
function maskProposal(mask: Uint8Array): Proposal {
  if (mask.length !== SEG_SIZE * SEG_SIZE) throw new RangeError(`imageAlignment: masks must be ${SEG_SIZE}×${SEG_SIZE}; got ${mask.length} pixels`);
  const bin = Uint8Array.from(mask, (m) => (m >= 128 ? 1 : 0));
  let area = 0, x0 = SEG_SIZE, y0 = SEG_SIZE, x1 = -1, y1 = -1;
  bin.forEach((m, p) => {
    if (!m) return;
    const [x, y] = [p % SEG_SIZE, Math.floor(p / SEG_SIZE)];
    area++; x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  });
  return area ? { mask: bin, area, box: [x0, y0, x1, y1] } : wholeImage();
}

function wholeImage(): Proposal {
  return { mask: new Uint8Array(SEG_SIZE * SEG_SIZE).fill(1), area: SEG_SIZE * SEG_SIZE, box: [0, 0, SEG_SIZE - 1, SEG_SIZE - 1] };
}

/** The image's proposals, limited to the MAX_OBJECTS largest (kept in left-to-right order). */
function imageProposals(img: EvalImage): { rgb: Float32Array; props: Proposal[] } {
  const rgb = toRgb64(img);
  const all = proposals(rgb);
  const keep = new Set([...all].sort((a, b) => b.area - a.area).slice(0, MAX_OBJECTS));
  return { rgb, props: all.filter((p) => keep.has(p)) };
}

export class Evaluator {
  private constructor(
    private readonly session: Session,
    /** embedding mean over training objects, subtracted before cosine similarity */
    private readonly embeddingMean: Float32Array,
  ) {}

  /** Builds the inference graph from `params` (name → values) and loads it on `runner`. */
  static async create(runner: Runner, params: Record<string, Float32Array>, embeddingMean: ArrayLike<number>): Promise<Evaluator> {
    if (embeddingMean.length !== EMBED_DIM) throw new ModelAssetError(`evaluator embeddingMean has ${embeddingMean.length} values, expected ${EMBED_DIM}; retrain with npm run train:evaluator`);
    const session = await runner.createSession('evaluator', inferenceModel(params));
    return new Evaluator(session, Float32Array.from(embeddingMean));
  }

  /** Runs the classifier on crops, EVAL_BATCH at a time. */
  async classify(crops: readonly CropSpec[]): Promise<CropOut[]> {
    const out: CropOut[] = [];
    for (let from = 0; from < crops.length; from += EVAL_BATCH) {
      const chunk = crops.slice(from, from + EVAL_BATCH);
      const r = (await this.session.run({ x: cropBatch(chunk, EVAL_BATCH) })) as Record<string, HostTensor>;
      const [emb, probs] = [r.embedding?.data as Float32Array, r.probs?.data as Float32Array];
      for (let i = 0; i < chunk.length; i++) {
        out.push({ embedding: emb.slice(i * EMBED_DIM, (i + 1) * EMBED_DIM), probs: probs.slice(i * TOTAL_LOGITS, (i + 1) * TOTAL_LOGITS) });
      }
    }
    return out;
  }

  /** Detected objects with attribute probabilities, one prediction per image. */
  async predict(images: readonly EvalImage[]): Promise<ImagePrediction[]> {
    const perImage = images.map(imageProposals);
    const crops = perImage.flatMap(({ rgb, props }) => props.map((proposal) => ({ rgb, proposal })));
    const outs = await this.classify(crops);
    let k = 0;
    return perImage.map(({ props }) => ({ objects: props.map((p) => objectProbs(p, (outs[k++] as CropOut).probs)) }));
  }

  /** One embedding per image: its largest proposal's (the whole image when nothing was found). */
  async embed(images: readonly EvalImage[], masks: readonly (Uint8Array | undefined)[] = []): Promise<Float32Array[]> {
    const crops = images.map((img, i) => {
      const mask = masks[i];
      const { rgb, props } = imageProposals(img);
      const main = mask ? maskProposal(mask) : props.reduce<Proposal | undefined>((a, p) => (!a || p.area > a.area ? p : a), undefined);
      return { rgb, proposal: main ?? wholeImage() };
    });
    return (await this.classify(crops)).map((o) => o.embedding);
  }

  /** Fraction of the prompt's attributes (shapes, colours, patterns, count) the image shows (alignment.ts). */
  async textAlignment(image: EvalImage, prompt: string): Promise<number> {
    const [p] = await this.predict([image]);
    return textAlignmentOf(p as ImagePrediction, parseCaption(prompt));
  }

  /** Cosine similarity of the mean-centred embeddings of the main objects of two images (or the masked ones). */
  async imageAlignment(a: EvalImage, b: EvalImage, masks: AlignmentMasks = {}): Promise<number> {
    const [ea, eb] = (await this.embed([a, b], [masks.maskA, masks.maskB])) as [Float32Array, Float32Array];
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

/** A proposal and its classifier row (19 softmax probabilities) → ObjectProbs. */
function objectProbs(p: Proposal, probs: Float32Array): ObjectProbs {
  const pick = <T extends string>(names: readonly T[], offset: number) => Object.fromEntries(names.map((n, i) => [n, probs[offset + i] as number])) as Record<T, number>;
  return { shape: pick(SHAPES, HEADS.shape.offset), color: pick(COLORS, HEADS.color.offset), pattern: pick(PATTERNS, HEADS.pattern.offset), mask: p.mask, area: p.area, box: p.box };
}

/**
 * Loads the committed evaluator (public/models/evaluator/evaluator.json + evaluator.bin, read by the caller).
 * @throws ModelAssetError when the manifest or blob does not match the architecture.
 * @example const ev = await loadEvaluator(runner, { manifest: JSON.parse(json), weights: bytes });
 */
export async function loadEvaluator(runner: Runner, files: { manifest: EvaluatorManifest; weights: Uint8Array }): Promise<Evaluator> {
  return Evaluator.create(runner, unpackWeights(files.manifest, files.weights), files.manifest.embeddingMean);
}
