// Feeds of one DisenDiff micro-batch for the training graph (graphs/buildTrainGraph.ts): prompt ids, token
// selection and presence (from the concepts the prompt mentions), the loss mask (union of those concepts'
// masks, Break-A-Scene §5, and the region isolation erased) and the masks at attention resolution (nearest, as Break-A-Scene). Pure: prompts,
// noise and timesteps come from the caller (captions and union sampling: src/train/data).
import { GraphError } from '../../lib/errors';
import type { Tokenizer } from '../../diffusion/index';
import type { HostTensor } from '../../runtime/index';
import { conceptPositions, selectionInputs } from '../concepts';
import type { Concept, ConceptPosition } from '../concepts';
import type { BatchFeeds } from '../engine/types';
import type { TrainGraph } from '../graphs/buildTrainGraph';

/** One training sample. Arrays are row-major; masks are 0..1 at latent resolution [H·W], one per concept. */
export type TrainSample = {
  /** z_0 [C, H, W] */
  latents: Float32Array;
  /** ε [C, H, W] */
  noise: Float32Array;
  /** DDPM timestep 0..T−1 */
  timestep: number;
  /** the caption, already expanded (`photo of a <cat1> cat and <dog1> dog`); concepts it omits are absent */
  prompt: string;
  /** per concept mask [H·W] (0..1); undefined = no masks (loss mask all ones) */
  masks?: readonly Float32Array[];
  /** [H·W] where left-out concepts were erased (data/isolate.ts): joins the loss mask */
  erased?: Float32Array;
};

/** Nearest-neighbour resize of a [h0, w0] map to [h1, w1] (torch F.interpolate mode="nearest"). */
export function resizeNearest(m: ArrayLike<number>, h0: number, w0: number, h1: number, w1: number): Float32Array {
  const out = new Float32Array(h1 * w1);
  for (let y = 0; y < h1; y++) {
    const sy = Math.floor((y * h0) / h1);
    for (let x = 0; x < w1; x++) out[y * w1 + x] = m[sy * w0 + Math.floor((x * w0) / w1)] as number;
  }
  return out;
}

function f32(dims: number[], data: Float32Array): HostTensor {
  return { dtype: 'float32', dims, data };
}

/** Union (pixelwise max) of the masks of the concepts present and the erased region; ones without masks or without concepts (regularisation). */
function lossMask(s: TrainSample, present: readonly ConceptPosition[], hw: number): Float32Array {
  const masks = s.masks;
  if (!masks || !present.some((p) => p)) return new Float32Array(hw).fill(1);
  const out = new Float32Array(hw);
  present.forEach((p, i) => {
    if (p) (masks[i] as Float32Array).forEach((v, k) => (out[k] = Math.max(out[k] as number, v)));
  });
  s.erased?.forEach((v, k) => (out[k] = Math.max(out[k] as number, v)));
  return out;
}

/**
 * Feeds for `samples` (one micro-batch, B = samples.length), limited to the graph's data inputs.
 * @param latentShape [C, H, W]
 * @throws ConfigError from conceptPositions when a prompt lost a class word (truncation)
 */
export function microBatchFeeds(tg: TrainGraph, tokenizer: Tokenizer, concepts: readonly Concept[], samples: readonly TrainSample[], latentShape: readonly [number, number, number]): BatchFeeds {
  const [c, h, w] = latentShape;
  const bsz = samples.length;
  const n = concepts.length;
  const seq = tokenizer.maxLength;
  const [mh, mw] = tg.mapSize;
  const encoded = samples.map((s) => tokenizer.encode(s.prompt).ids);
  const positions = encoded.map((ids) => conceptPositions(ids, concepts));
  const { select, present } = selectionInputs(positions, seq, n);
  const cat = (get: (s: TrainSample, b: number) => Float32Array, size: number): Float32Array => {
    const out = new Float32Array(bsz * size);
    samples.forEach((s, b) => out.set(get(s, b), b * size));
    return out;
  };
  const all: BatchFeeds = {
    latents: f32([bsz, c, h, w], cat((s) => s.latents, c * h * w)),
    noise: f32([bsz, c, h, w], cat((s) => s.noise, c * h * w)),
    timestep: f32([bsz], Float32Array.from(samples, (s) => s.timestep)),
    input_ids: { dtype: 'int32', dims: [bsz, seq], data: Int32Array.from(encoded.flat()) },
    select: f32([bsz, seq, 2 * n], select),
    present: f32([bsz, n], present),
    mask: f32([bsz, 1, h, w], cat((s, b) => lossMask(s, positions[b] as ConceptPosition[], h * w), h * w)),
    concept_masks: f32([bsz, n, mh * mw], cat((s) => {
      const out = new Float32Array(n * mh * mw);
      s.masks?.forEach((m, i) => out.set(resizeNearest(m, h, w, mh, mw), i * mh * mw));
      return out;
    }, n * mh * mw)),
  };
  const missing = tg.dataInputs.filter((k) => !all[k]);
  if (missing.length) throw new GraphError(`microBatchFeeds: the training graph wants inputs ${missing.join(', ')} that this helper does not make`);
  return Object.fromEntries(tg.dataInputs.map((k) => [k, all[k] as HostTensor]));
}
