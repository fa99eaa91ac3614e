// Per-token cross-attention maps (DAAM-style, Tang et al. 2023 §3): the attn2 probabilities A [B', heads, h·w, S]
// of the conditional half are summed over heads and steps per layer at native resolution, then every layer is
// upsampled bilinearly (half-pixel centres, as torch interpolate align_corners=False) to the output size and the
// layers are averaged:  M[b, s] = mean_layers up(mean_{steps, heads} A[b, ·, ·, s]).  Pure; no I/O.
import { assert } from '../../lib/assert';
import { resizeBilinear } from '../image/heatmap';

/** One exposed cross-attention output of the UNet session. */
export type AttentionLayer = { layer: string; output: string; resolution: [number, number]; heads: number };

/** Aggregated maps returned with the image. */
export type AttentionMaps = {
  height: number;
  width: number;
  /** token strings of the conditional prompt, position 0 = start token, last = end token */
  tokens: string[];
  /** the 77 (padded) token ids of the conditional prompt: find a concept token with findTokenPositions(ids, id) */
  ids: number[];
  /** [B, S, height, width] float32, S = text sequence length (77); row s is the map of token position s */
  maps: Float32Array;
  seqLen: number;
  /** diffusers paths of the layers that were averaged */
  layers: string[];
  steps: number;
};

/** Sums attention over heads and steps, per layer, for the conditional images. */
export class CrossAttentionAccumulator {
  /** layer output name → sums [B, S, h·w] */
  private readonly sums = new Map<string, Float32Array>();
  private steps = 0;

  /**
   * @param batch images B
   * @param isDoubled true when the UNet batch is [uncond × B, cond × B]; only the cond half is used
   */
  constructor(
    private readonly layers: readonly AttentionLayer[],
    private readonly batch: number,
    private readonly isDoubled: boolean,
    private readonly seqLen: number,
  ) {
    for (const l of layers) this.sums.set(l.output, new Float32Array(batch * seqLen * l.resolution[0] * l.resolution[1]));
  }

  /** Adds one step. `probs` maps output name → [B', heads, h·w, S]. */
  add(probs: Readonly<Record<string, Float32Array>>): void {
    const s = this.seqLen;
    for (const l of this.layers) {
      const a = probs[l.output];
      const sum = this.sums.get(l.output) as Float32Array;
      assert(a !== undefined, () => `attention output "${l.output}" missing from the UNet run`);
      const hw = l.resolution[0] * l.resolution[1];
      const first = this.isDoubled ? this.batch : 0;
      for (let b = 0; b < this.batch; b++) {
        for (let head = 0; head < l.heads; head++) {
          const base = ((first + b) * l.heads + head) * hw * s;
          for (let p = 0; p < hw; p++) {
            for (let t = 0; t < s; t++) sum[(b * s + t) * hw + p] = (sum[(b * s + t) * hw + p] as number) + (a[base + p * s + t] as number);
          }
        }
      }
    }
    this.steps++;
  }

  /** Averages into maps [B, S, height, width]. */
  finish(height: number, width: number, tokens: string[], ids: number[] = []): AttentionMaps {
    const s = this.seqLen;
    const maps = new Float32Array(this.batch * s * height * width);
    for (const l of this.layers) {
      const [h, w] = l.resolution;
      const sum = this.sums.get(l.output) as Float32Array;
      const weight = 1 / (l.heads * Math.max(this.steps, 1) * this.layers.length);
      for (let m = 0; m < this.batch * s; m++) {
        const up = resizeBilinear(sum.subarray(m * h * w, (m + 1) * h * w), h, w, height, width);
        const at = m * height * width;
        for (let i = 0; i < up.length; i++) maps[at + i] = (maps[at + i] as number) + (up[i] as number) * weight;
      }
    }
    return { height, width, tokens, ids, maps, seqLen: s, layers: this.layers.map((l) => l.layer), steps: this.steps };
  }
}

/** The [height, width] map of token position `position` for image `b` (a view into maps). */
export function tokenMap(a: AttentionMaps, b: number, position: number): Float32Array {
  const size = a.height * a.width;
  const at = (b * a.seqLen + position) * size;
  return a.maps.subarray(at, at + size);
}
