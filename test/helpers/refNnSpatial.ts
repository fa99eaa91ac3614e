// Plain TypeScript references for the compute-heavy NN ops (Conv, ConvTranspose, Resize, LayerNormalization,
// InstanceNormalization, Gemm, Transpose), written from ONNX Operators.md independently of src/onnx.
// Oracle for the opset tests only: float64 maths, direct loops, never imported by src/.
import { at, size, tabulate } from './refNn';
import type { Nd } from './refNn';

export type Conv2dOptions = { strides?: number[]; pads?: number[]; dilations?: number[]; group?: number; outputPadding?: number[] };

/** Conv: y[n,m,i,j] = b[m] + Σ_{c,p,q} x[n, g·Cg+c, i·s−pad+p·d, j·s−pad+q·d] · w[m,c,p,q] (zero outside). */
export function conv2d(x: Nd, w: Nd, bias: Nd | undefined, o: Conv2dOptions = {}): Nd {
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [m, cg, kh, kw] = w.shape as [number, number, number, number];
  const [s0, s1] = o.strides ?? [1, 1];
  const [d0, d1] = o.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const mg = m / (o.group ?? 1);
  const oh = Math.floor((h + pt! + pb! - ((kh - 1) * d0! + 1)) / s0!) + 1;
  const ow = Math.floor((wd + pl! + pr! - ((kw - 1) * d1! + 1)) / s1!) + 1;
  return tabulate([n, m, oh, ow], ([b, mm, i, j]) => {
    const g = Math.floor(mm! / mg);
    let acc = bias ? (bias.data[mm!] as number) : 0;
    for (let c = 0; c < cg; c++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const y = i! * s0! - pt! + p * d0!;
      const z = j! * s1! - pl! + q * d1!;
      if (y >= 0 && y < h && z >= 0 && z < wd) acc += at(x, [b!, g * cg + c, y, z]) * at(w, [mm!, c, p, q]);
    }
    return acc;
  });
}

/** ConvTranspose as a scatter: every x[n,c,i,j] adds x · w[c,mm,p,q] to y[n, g·Mg+mm, i·s−pad+p·d, j·s−pad+q·d]. */
export function convTranspose2d(x: Nd, w: Nd, bias: Nd | undefined, o: Conv2dOptions = {}): Nd {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [, mg, kh, kw] = w.shape as [number, number, number, number];
  const group = o.group ?? 1;
  const [s0, s1] = o.strides ?? [1, 1];
  const [d0, d1] = o.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const [op0, op1] = o.outputPadding ?? [0, 0];
  const oh = s0! * (h - 1) + op0! + (kh - 1) * d0! + 1 - pt! - pb!;
  const ow = s1! * (wd - 1) + op1! + (kw - 1) * d1! + 1 - pl! - pr!;
  const m = mg * group;
  const y = tabulate([n, m, oh, ow], ([, mm]) => (bias ? (bias.data[mm!] as number) : 0));
  const cg = c / group;
  for (let b = 0; b < n; b++) for (let ci = 0; ci < c; ci++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) {
    const g = Math.floor(ci / cg);
    for (let mm = 0; mm < mg; mm++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const r = i * s0! - pt! + p * d0!;
      const s = j * s1! - pl! + q * d1!;
      if (r < 0 || r >= oh || s < 0 || s >= ow) continue;
      const k = ((b * m + g * mg + mm) * oh + r) * ow + s;
      y.data[k] = (y.data[k] as number) + at(x, [b, ci, i, j]) * at(w, [ci, mm, p, q]);
    }
  }
  return y;
}

export type ResizeRef = { outShape: number[]; scales: number[]; mode: 'nearest' | 'linear'; ctm: string; nearestMode?: string };

/** Output coordinate → input coordinate (Operators.md#Resize, coordinate_transformation_mode). */
function toInput(xr: number, scale: number, lenIn: number, lenOut: number, ctm: string): number {
  if (ctm === 'asymmetric') return xr / scale;
  if (ctm === 'align_corners') return lenOut === 1 ? 0 : (xr * (lenIn - 1)) / (lenOut - 1);
  if (ctm === 'pytorch_half_pixel') return lenOut > 1 ? (xr + 0.5) / scale - 0.5 : 0;
  return (xr + 0.5) / scale - 0.5;
}

function roundNearest(v: number, mode: string): number {
  if (mode === 'floor') return Math.floor(v);
  if (mode === 'ceil') return Math.ceil(v);
  const f = Math.floor(v);
  if (v - f === 0.5) return mode === 'round_prefer_ceil' ? f + 1 : f;
  return Math.round(v);
}

/** Resize, nearest or (multi-)linear, with edge clamping of source coordinates. */
export function resize(x: Nd, o: ResizeRef): Nd {
  return tabulate(o.outShape, (idx) => {
    const taps = idx.map((k, d) => {
      const lenIn = x.shape[d] as number;
      const v = toInput(k, o.scales[d] as number, lenIn, o.outShape[d] as number, o.ctm);
      if (o.mode === 'nearest') return [[Math.min(Math.max(roundNearest(v, o.nearestMode ?? 'round_prefer_floor'), 0), lenIn - 1), 1]];
      const c = Math.min(Math.max(v, 0), lenIn - 1);
      const lo = Math.floor(c);
      const hi = Math.min(lo + 1, lenIn - 1);
      return [[lo, 1 - (c - lo)], [hi, c - lo]];
    });
    let acc = 0;
    const walk = (d: number, pos: number[], wgt: number): void => {
      if (d === taps.length) {
        acc += wgt * at(x, pos);
        return;
      }
      for (const [i, t] of taps[d] as number[][]) walk(d + 1, [...pos, i as number], wgt * (t as number));
    };
    walk(0, [], 1);
    return acc;
  });
}

/** LayerNorm over axes [axis, rank): (x − mean) / sqrt(var + eps) · scale + bias; also Mean and InvStdDev. */
export function layerNorm(x: Nd, scale: Nd, bias: Nd | undefined, axis: number, eps: number): { y: Nd; mean: Nd; invStd: Nd } {
  const inner = size(x.shape.slice(axis));
  const outer = size(x.shape.slice(0, axis));
  const y = { shape: [...x.shape], data: new Array<number>(x.data.length) };
  const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
  const mean = { shape: statShape, data: [] as number[] };
  const invStd = { shape: [...statShape], data: [] as number[] };
  for (let o = 0; o < outer; o++) {
    const row = x.data.slice(o * inner, (o + 1) * inner);
    const mu = row.reduce((s, v) => s + v, 0) / inner;
    const inv = 1 / Math.sqrt(row.reduce((s, v) => s + (v - mu) ** 2, 0) / inner + eps);
    mean.data.push(mu);
    invStd.data.push(inv);
    row.forEach((v, k) => (y.data[o * inner + k] = (v - mu) * inv * (scale.data[k] as number) + (bias ? (bias.data[k] as number) : 0)));
  }
  return { y, mean, invStd };
}

/** InstanceNorm: layerNorm over axes 2.. per (n, c), then per-channel scale and bias. */
export function instanceNorm(x: Nd, scale: Nd, bias: Nd, eps: number): Nd {
  const ones = { shape: x.shape.slice(2), data: new Array<number>(size(x.shape.slice(2))).fill(1) };
  const { y } = layerNorm(x, ones, undefined, 2, eps);
  return tabulate(x.shape, (idx) => at(y, idx) * (scale.data[idx[1]!] as number) + (bias.data[idx[1]!] as number));
}

/** alpha · op(A) op(B) + beta · C, C broadcast numpy-style to [M, N]. */
export function gemm(a: Nd, b: Nd, c: Nd | undefined, o: { alpha?: number; beta?: number; transA?: boolean; transB?: boolean }): Nd {
  const A = (i: number, k: number) => (o.transA ? at(a, [k, i]) : at(a, [i, k]));
  const B = (k: number, j: number) => (o.transB ? at(b, [j, k]) : at(b, [k, j]));
  const m = (o.transA ? a.shape[1] : a.shape[0]) as number;
  const kk = (o.transA ? a.shape[0] : a.shape[1]) as number;
  const n = (o.transB ? b.shape[0] : b.shape[1]) as number;
  return tabulate([m, n], ([i, j]) => {
    let acc = 0;
    for (let k = 0; k < kk; k++) acc += A(i!, k) * B(k, j!);
    const cs = c ? [...new Array<number>(2 - c.shape.length).fill(1), ...c.shape] : [];
    const cv = c ? at({ shape: cs, data: c.data }, [cs[0] === 1 ? 0 : i!, cs[1] === 1 ? 0 : j!]) : 0;
    return (o.alpha ?? 1) * acc + (o.beta ?? 1) * cv;
  });
}

/** out.shape[i] = x.shape[perm[i]]. */
export function transpose(x: Nd, perm: number[]): Nd {
  return tabulate(perm.map((p) => x.shape[p] as number), (idx) => {
    const src = new Array<number>(perm.length);
    perm.forEach((p, i) => (src[p] = idx[i] as number));
    return at(x, src);
  });
}
