// Plain-TypeScript reference for elementwise ops, reductions and small tensor maths: the independent oracle
// the opset tests compare onnxruntime-node and onnxruntime-web against. No onnxruntime, no toolkit imports.
// References: ONNX Broadcasting.md (numpy rules), Operators.md (Reduce*, Softmax, MatMul);
// erf via Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).

/** A dense row-major tensor of plain numbers. */
export type RefTensor = { dims: number[]; data: number[] };

/** Number of elements of `dims`. */
export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** Numpy broadcast of several shapes; throws on a mismatch. */
export function refBroadcastDims(...shapes: number[][]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const o = rank - s.length + i;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) throw new Error(`ref: shapes do not broadcast: ${JSON.stringify(shapes)}`);
    });
  }
  return out;
}

/** Offset into a tensor of `dims` for an output multi-index, honouring broadcasting (size-1 dims repeat). */
function broadcastOffset(idx: readonly number[], dims: readonly number[]): number {
  let off = 0;
  const shift = idx.length - dims.length;
  for (let d = 0; d < dims.length; d++) {
    const size = dims[d] as number;
    off = off * size + (size === 1 ? 0 : (idx[d + shift] as number));
  }
  return off;
}

/** Multi-index of a flat row-major position. */
function unravel(flat: number, dims: readonly number[]): number[] {
  const idx = new Array<number>(dims.length).fill(0);
  for (let d = dims.length - 1; d >= 0; d--) {
    const size = dims[d] as number;
    idx[d] = flat % size;
    flat = Math.floor(flat / size);
  }
  return idx;
}

/** out[i] = fn(inputs broadcast to a common shape at i). */
export function refMap(inputs: RefTensor[], fn: (xs: number[]) => number): RefTensor {
  const dims = refBroadcastDims(...inputs.map((t) => t.dims));
  const data = new Array<number>(sizeOf(dims));
  for (let flat = 0; flat < data.length; flat++) {
    const idx = unravel(flat, dims);
    data[flat] = fn(inputs.map((t) => t.data[broadcastOffset(idx, t.dims)] as number));
  }
  return { dims, data };
}

/**
 * Reduction over `axes` (all when empty): acc = combine(acc, x) from `init`, then finish(acc, count).
 * keepdims leaves size-1 dims in place of the reduced ones.
 */
export function refReduce(
  x: RefTensor,
  axes: readonly number[],
  keepdims: boolean,
  init: number,
  combine: (acc: number, v: number) => number,
  finish: (acc: number, count: number) => number = (a) => a,
): RefTensor {
  const rank = x.dims.length;
  const norm = (axes.length ? axes : x.dims.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  const keptDims = x.dims.map((d, i) => (norm.includes(i) ? 1 : d));
  const acc = new Array<number>(sizeOf(keptDims)).fill(init);
  for (let flat = 0; flat < x.data.length; flat++) {
    const idx = unravel(flat, x.dims).map((v, i) => (norm.includes(i) ? 0 : v));
    const o = broadcastOffset(idx, keptDims);
    acc[o] = combine(acc[o] as number, x.data[flat] as number);
  }
  const count = norm.reduce((p, a) => p * (x.dims[a] as number), 1);
  const dims = keepdims ? keptDims : x.dims.filter((_, i) => !norm.includes(i));
  return { dims, data: acc.map((a) => finish(a, count)) };
}

/** softmax along `axis`: exp(x - max) / Σ exp(x - max). */
export function refSoftmax(x: RefTensor, axis: number): RefTensor {
  const a = axis < 0 ? axis + x.dims.length : axis;
  const max = refReduce(x, [a], true, -Infinity, Math.max);
  const e = refMap([x, max], ([v, m]) => Math.exp((v as number) - (m as number)));
  const z = refReduce(e, [a], true, 0, (s, v) => s + v);
  return refMap([e, z], ([v, s]) => (v as number) / (s as number));
}

/** numpy matmul: batch dims broadcast; a 1-D operand is promoted and its added dim removed. */
export function refMatMul(a: RefTensor, b: RefTensor): RefTensor {
  const ad = a.dims.length === 1 ? [1, a.dims[0] as number] : a.dims;
  const bd = b.dims.length === 1 ? [b.dims[0] as number, 1] : b.dims;
  const [m, k, n] = [ad[ad.length - 2] as number, ad[ad.length - 1] as number, bd[bd.length - 1] as number];
  const batch = refBroadcastDims(ad.slice(0, -2), bd.slice(0, -2));
  const data: number[] = [];
  for (let t = 0; t < sizeOf(batch); t++) {
    const idx = unravel(t, batch);
    const ao = broadcastOffset(idx, ad.slice(0, -2)) * m * k;
    const bo = broadcastOffset(idx, bd.slice(0, -2)) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a.data[ao + i * k + p] as number) * (b.data[bo + p * n + j] as number);
        data.push(s);
      }
    }
  }
  const dims = [...batch];
  if (a.dims.length > 1) dims.push(m);
  if (b.dims.length > 1) dims.push(n);
  return { dims, data };
}

/** erf(x), Abramowitz & Stegun 7.1.26. */
export function refErf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

/** Rounds through float32, the precision both runtimes compute in. */
export function toF32(values: readonly number[]): number[] {
  return Array.from(Float32Array.from(values));
}
