// Plain TypeScript reference tensor ops (row-major Float32Array + shape) for checking the model builders:
// written from the PyTorch definitions with loops, sharing no code with src/onnx. Slow; tiny shapes only.
// Reference: torch.nn.functional conv2d / group_norm / layer_norm / linear / interpolate(nearest), softmax.
export type T = { shape: number[]; data: Float32Array };

export const tensor = (shape: number[], data?: Float32Array): T => ({ shape, data: data ?? new Float32Array(shape.reduce((a, b) => a * b, 1)) });
export const map = (x: T, f: (v: number) => number): T => tensor([...x.shape], x.data.map(f));
export const add = (a: T, b: T): T => tensor([...a.shape], a.data.map((v, i) => v + (b.data[i] as number)));
export const mul = (a: T, b: T): T => tensor([...a.shape], a.data.map((v, i) => v * (b.data[i] as number)));
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
export const silu = (x: T): T => map(x, (v) => v * sigmoid(v));
export const quickGelu = (x: T): T => map(x, (v) => v * sigmoid(1.702 * v));

/** erf by Abramowitz–Stegun 7.1.26 (absolute error < 1.5e-7, far inside the test tolerances). */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1 - poly * Math.exp(-a * a));
}
export const gelu = (x: T): T => map(x, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));

/** x [N, C, H, W] * w [M, C, k, k] + b, stride s, pads [top, left, bottom, right]. */
export function conv2d(x: T, w: T, b: Float32Array, s: number, pads: number[]): T {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [m, , k] = w.shape as [number, number, number, number];
  const [pt, pl, pb, pr] = pads as [number, number, number, number];
  const oh = Math.floor((h + pt + pb - k) / s) + 1;
  const ow = Math.floor((wd + pl + pr - k) / s) + 1;
  const out = tensor([n, m, oh, ow]);
  for (let ni = 0; ni < n; ni++) for (let mi = 0; mi < m; mi++) for (let y = 0; y < oh; y++) for (let xo = 0; xo < ow; xo++) {
    let acc = b[mi] as number;
    for (let ci = 0; ci < c; ci++) for (let ky = 0; ky < k; ky++) {
      const iy = y * s + ky - pt;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < k; kx++) {
        const ix = xo * s + kx - pl;
        if (ix < 0 || ix >= wd) continue;
        acc += (x.data[((ni * c + ci) * h + iy) * wd + ix] as number) * (w.data[((mi * c + ci) * k + ky) * k + kx] as number);
      }
    }
    out.data[((ni * m + mi) * oh + y) * ow + xo] = acc;
  }
  return out;
}

/** GroupNorm of x [N, C, ...] with biased variance. */
export function groupNorm(x: T, gamma: Float32Array, beta: Float32Array, groups: number, eps: number): T {
  const [n, c] = x.shape as [number, number];
  const per = x.data.length / (n * c);
  const cg = c / groups;
  const out = tensor([...x.shape]);
  for (let ni = 0; ni < n; ni++) for (let g = 0; g < groups; g++) {
    const start = (ni * c + g * cg) * per;
    const len = cg * per;
    let mean = 0;
    for (let i = 0; i < len; i++) mean += x.data[start + i] as number;
    mean /= len;
    let vr = 0;
    for (let i = 0; i < len; i++) vr += ((x.data[start + i] as number) - mean) ** 2;
    const inv = 1 / Math.sqrt(vr / len + eps);
    for (let i = 0; i < len; i++) {
      const ch = g * cg + Math.floor(i / per);
      out.data[start + i] = ((x.data[start + i] as number) - mean) * inv * (gamma[ch] as number) + (beta[ch] as number);
    }
  }
  return out;
}

/** LayerNorm over the last axis. */
export function layerNorm(x: T, gamma: Float32Array, beta: Float32Array, eps: number): T {
  const d = x.shape[x.shape.length - 1] as number;
  const out = tensor([...x.shape]);
  for (let r = 0; r < x.data.length / d; r++) {
    const row = x.data.subarray(r * d, r * d + d);
    const mean = row.reduce((a, v) => a + v, 0) / d;
    const vr = row.reduce((a, v) => a + (v - mean) ** 2, 0) / d;
    const inv = 1 / Math.sqrt(vr + eps);
    for (let i = 0; i < d; i++) out.data[r * d + i] = ((row[i] as number) - mean) * inv * (gamma[i] as number) + (beta[i] as number);
  }
  return out;
}

/** y = x Wᵀ + b on the last axis; W [out, in] (PyTorch layout). */
export function linear(x: T, w: T, b?: Float32Array): T {
  const [o, i] = w.shape as [number, number];
  const rows = x.data.length / i;
  const out = tensor([...x.shape.slice(0, -1), o]);
  for (let r = 0; r < rows; r++) for (let oi = 0; oi < o; oi++) {
    let acc = b ? (b[oi] as number) : 0;
    for (let k = 0; k < i; k++) acc += (x.data[r * i + k] as number) * (w.data[oi * i + k] as number);
    out.data[r * o + oi] = acc;
  }
  return out;
}

/** Multi-head attention of q [B, N, C] over k, v [B, M, C]; returns out [B, N, C] and probs [B, H, N, M]. */
export function mha(q: T, k: T, v: T, heads: number, mask?: Float32Array): { out: T; probs: T } {
  const [b, n, c] = q.shape as [number, number, number];
  const m = k.shape[1] as number;
  const d = c / heads;
  const out = tensor([b, n, c]);
  const probs = tensor([b, heads, n, m]);
  const scale = 1 / Math.sqrt(d);
  for (let bi = 0; bi < b; bi++) for (let h = 0; h < heads; h++) for (let i = 0; i < n; i++) {
    const s = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let t = 0; t < d; t++) acc += (q.data[(bi * n + i) * c + h * d + t] as number) * (k.data[(bi * m + j) * c + h * d + t] as number);
      s[j] = acc * scale + (mask ? (mask[i * m + j] as number) : 0);
    }
    const mx = Math.max(...s);
    let z = 0;
    for (let j = 0; j < m; j++) z += (s[j] = Math.exp((s[j] as number) - mx));
    for (let j = 0; j < m; j++) probs.data[((bi * heads + h) * n + i) * m + j] = (s[j] as number) / z;
    for (let t = 0; t < d; t++) {
      let acc = 0;
      for (let j = 0; j < m; j++) acc += ((s[j] as number) / z) * (v.data[(bi * m + j) * c + h * d + t] as number);
      out.data[(bi * n + i) * c + h * d + t] = acc;
    }
  }
  return { out, probs };
}

/** [B, C, H, W] ↔ [B, H·W, C]. */
export function toTokens(x: T): T {
  const [b, c, h, w] = x.shape as [number, number, number, number];
  const out = tensor([b, h * w, c]);
  for (let bi = 0; bi < b; bi++) for (let ci = 0; ci < c; ci++) for (let p = 0; p < h * w; p++) out.data[(bi * h * w + p) * c + ci] = x.data[(bi * c + ci) * h * w + p] as number;
  return out;
}
export function toImage(x: T, h: number, w: number): T {
  const [b, , c] = x.shape as [number, number, number];
  const out = tensor([b, c, h, w]);
  for (let bi = 0; bi < b; bi++) for (let ci = 0; ci < c; ci++) for (let p = 0; p < h * w; p++) out.data[(bi * c + ci) * h * w + p] = x.data[(bi * h * w + p) * c + ci] as number;
  return out;
}

/** Concatenation of [B, C1, H, W] and [B, C2, H, W] on channels. */
export function concatChannels(a: T, b: T): T {
  const [n, c1, h, w] = a.shape as [number, number, number, number];
  const c2 = b.shape[1] as number;
  const out = tensor([n, c1 + c2, h, w]);
  const hw = h * w;
  for (let ni = 0; ni < n; ni++) {
    out.data.set(a.data.subarray(ni * c1 * hw, (ni + 1) * c1 * hw), ni * (c1 + c2) * hw);
    out.data.set(b.data.subarray(ni * c2 * hw, (ni + 1) * c2 * hw), (ni * (c1 + c2) + c1) * hw);
  }
  return out;
}

/** Nearest-neighbour 2× upsampling of [N, C, H, W]. */
export function upsample2x(x: T): T {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const out = tensor([n, c, 2 * h, 2 * w]);
  for (let p = 0; p < n * c; p++) for (let y = 0; y < 2 * h; y++) for (let xo = 0; xo < 2 * w; xo++) {
    out.data[(p * 2 * h + y) * 2 * w + xo] = x.data[(p * h + (y >> 1)) * w + (xo >> 1)] as number;
  }
  return out;
}
