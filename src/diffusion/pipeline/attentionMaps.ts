// Per-token cross-attention maps (DAAM-style, Tang et al. 2023 §3): the attn2 probabilities A [B', heads, h·w, S]
// of the conditional half are summed over heads and steps per layer at native resolution, then every layer is
// upsampled bilinearly (half-pixel centres, as torch interpolate align_corners=False) to the output size and the
// layers are averaged:  M[b, s] = mean_layers up(mean_{steps, heads} A[b, ·, ·, s]).  Pure; no I/O.
import { assert } from '../../lib/assert';

/** One exposed cross-attention output of the UNet session. */
export type AttentionLayer = { layer: string; output: string; resolution: [number, number]; heads: number };

/** Aggregated maps returned with the image. */
export type AttentionMaps = {
  height: number;
  width: number;
  /** token strings of the conditional prompt, position 0 = start token, last = end token */
  tokens: string[];
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
  finish(height: number, width: number, tokens: string[]): AttentionMaps {
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
    return { height, width, tokens, maps, seqLen: s, layers: this.layers.map((l) => l.layer), steps: this.steps };
  }
}

/** Bilinear resize of one [h, w] map to [H, W] with half-pixel centres (align_corners = false). */
export function resizeBilinear(src: Float32Array, h: number, w: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW);
  const coord = (i: number, n: number, outN: number): [number, number, number] => {
    const x = Math.min(Math.max((i + 0.5) * (n / outN) - 0.5, 0), n - 1);
    const x0 = Math.floor(x);
    return [x0, Math.min(x0 + 1, n - 1), x - x0];
  };
  for (let y = 0; y < outH; y++) {
    const [y0, y1, fy] = coord(y, h, outH);
    for (let x = 0; x < outW; x++) {
      const [x0, x1, fx] = coord(x, w, outW);
      const top = (src[y0 * w + x0] as number) * (1 - fx) + (src[y0 * w + x1] as number) * fx;
      const bottom = (src[y1 * w + x0] as number) * (1 - fx) + (src[y1 * w + x1] as number) * fx;
      out[y * outW + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** The [height, width] map of token position `position` for image `b` (a view into maps). */
export function tokenMap(a: AttentionMaps, b: number, position: number): Float32Array {
  const size = a.height * a.width;
  const at = (b * a.seqLen + position) * size;
  return a.maps.subarray(at, at + size);
}
