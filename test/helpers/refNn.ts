// Plain TypeScript reference implementations of ONNX NN/structural ops, written from the ONNX spec text
// (Operators.md) independently of src/onnx, as the oracle for the opset tests. Slow and simple on purpose:
// float64 maths, multi-index loops. Never imported by src/.
import { Rng } from '../../src/lib/random';

/** A dense row-major tensor. */
export type Nd = { shape: number[]; data: number[] };

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major flat offset of idx in shape. */
export function flatIndex(shape: readonly number[], idx: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * (shape[d] as number) + (idx[d] as number);
  return off;
}

export function at(x: Nd, idx: readonly number[]): number {
  return x.data[flatIndex(x.shape, idx)] as number;
}

/** Builds a tensor of `shape` with value fn(multiIndex). */
export function tabulate(shape: readonly number[], fn: (idx: number[]) => number): Nd {
  const n = size(shape);
  const data = new Array<number>(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    data[f] = fn(idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
  return { shape: [...shape], data };
}

/** Seeded N(0,1) tensor. */
export function randn(rng: Rng, shape: readonly number[]): Nd {
  return { shape: [...shape], data: Array.from(rng.normalArray(size(shape))) };
}

export function concat(xs: Nd[], axis: number): Nd {
  const first = xs[0] as Nd;
  const shape = [...first.shape];
  shape[axis] = xs.reduce((s, x) => s + (x.shape[axis] as number), 0);
  return tabulate(shape, (idx) => {
    let k = idx[axis] as number;
    for (const x of xs) {
      if (k < (x.shape[axis] as number)) return at(x, idx.map((v, d) => (d === axis ? k : v)));
      k -= x.shape[axis] as number;
    }
    throw new Error('unreachable');
  });
}

/** Indices a Slice visits on one axis (ONNX clamping rules, then a plain loop). */
export function sliceIndices(dim: number, start: number, end: number, step: number): number[] {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  s = step > 0 ? Math.min(Math.max(s, 0), dim) : Math.min(Math.max(s, 0), dim - 1);
  e = step > 0 ? Math.min(Math.max(e, 0), dim) : Math.min(Math.max(e, -1), dim - 1);
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

export function slice(x: Nd, starts: number[], ends: number[], axes: number[], steps: number[]): Nd {
  const picks = x.shape.map((d) => Array.from({ length: d }, (_, i) => i));
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + x.shape.length : a0;
    picks[a] = sliceIndices(x.shape[a] as number, starts[i] as number, ends[i] as number, steps[i] as number);
  });
  return tabulate(picks.map((p) => p.length), (idx) => at(x, idx.map((k, d) => (picks[d] as number[])[k] as number)));
}

/** numpy broadcast of x to `target` (bidirectional, as Expand). */
export function expand(x: Nd, target: number[]): Nd {
  const rank = Math.max(x.shape.length, target.length);
  const xs = [...new Array<number>(rank - x.shape.length).fill(1), ...x.shape];
  const ts = [...new Array<number>(rank - target.length).fill(1), ...target];
  const out = xs.map((d, i) => Math.max(d, ts[i] as number));
  return tabulate(out, (idx) => at({ shape: xs, data: x.data }, idx.map((k, d) => ((xs[d] as number) === 1 ? 0 : k))));
}

export function gather(x: Nd, indices: Nd, axis: number): Nd {
  const dim = x.shape[axis] as number;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const q = indices.shape.length;
  return tabulate(shape, (idx) => {
    let k = at(indices, idx.slice(axis, axis + q));
    if (k < 0) k += dim;
    return at(x, [...idx.slice(0, axis), k, ...idx.slice(axis + q)]);
  });
}

export function split(x: Nd, sizes: number[], axis: number): Nd[] {
  let begin = 0;
  return sizes.map((s) => {
    const b0 = begin;
    begin += s;
    return tabulate(x.shape.map((d, i) => (i === axis ? s : d)), (idx) => at(x, idx.map((k, d) => (d === axis ? k + b0 : k))));
  });
}

export function pad(x: Nd, pads: number[], mode: 'constant' | 'reflect' | 'edge', value = 0): Nd {
  const r = x.shape.length;
  const shape = x.shape.map((d, i) => d + (pads[i] as number) + (pads[i + r] as number));
  return tabulate(shape, (idx) => {
    const src: number[] = [];
    for (let d = 0; d < r; d++) {
      const n = x.shape[d] as number;
      let k = (idx[d] as number) - (pads[d] as number);
      if (k < 0 || k >= n) {
        if (mode === 'constant') return value;
        if (mode === 'edge') k = k < 0 ? 0 : n - 1;
        else k = k < 0 ? -k : 2 * (n - 1) - k;
      }
      src.push(k);
    }
    return at(x, src);
  });
}

export function tile(x: Nd, repeats: number[]): Nd {
  return tabulate(x.shape.map((d, i) => d * (repeats[i] as number)), (idx) => at(x, idx.map((k, d) => k % (x.shape[d] as number))));
}

/** out[...i_axis...] = data[... indices[...] ...] with the other coordinates unchanged (GatherElements). */
export function gatherElements(data: Nd, indices: Nd, axis: number): Nd {
  return tabulate(indices.shape, (idx) => {
    let k = at(indices, idx);
    if (k < 0) k += data.shape[axis] as number;
    return at(data, idx.map((v, d) => (d === axis ? k : v)));
  });
}

/** ScatterElements: copy of data, then each update written (or added) at its index along `axis`. */
export function scatterElements(data: Nd, indices: Nd, updates: Nd, axis: number, reduction: 'none' | 'add'): Nd {
  const out = { shape: [...data.shape], data: [...data.data] };
  tabulate(indices.shape, (idx) => {
    let k = at(indices, idx);
    if (k < 0) k += data.shape[axis] as number;
    const f = flatIndex(data.shape, idx.map((v, d) => (d === axis ? k : v)));
    out.data[f] = (reduction === 'add' ? (out.data[f] as number) : 0) + at(updates, idx);
    return 0;
  });
  return out;
}

/** ScatterND: indices [..., k] pick data[:k] slices that receive updates[...] (replace or add). */
export function scatterND(data: Nd, indices: Nd, updates: Nd, reduction: 'none' | 'add'): Nd {
  const out = { shape: [...data.shape], data: [...data.data] };
  const k = indices.shape[indices.shape.length - 1] as number;
  const lead = indices.shape.slice(0, -1);
  tabulate(updates.shape, (idx) => {
    const tuple = Array.from({ length: k }, (_, j) => at(indices, [...idx.slice(0, lead.length), j]));
    const f = flatIndex(data.shape, [...tuple, ...idx.slice(lead.length)]);
    out.data[f] = (reduction === 'add' ? (out.data[f] as number) : 0) + at(updates, idx);
    return 0;
  });
  return out;
}

/** CumSum along `axis`, optionally exclusive and/or reversed. */
export function cumsum(x: Nd, axis: number, exclusive: boolean, reverse: boolean): Nd {
  const n = x.shape[axis] as number;
  return tabulate(x.shape, (idx) => {
    const i = idx[axis] as number;
    let acc = 0;
    for (let j = 0; j < n; j++) {
      const inRange = reverse ? (exclusive ? j > i : j >= i) : exclusive ? j < i : j <= i;
      if (inRange) acc += at(x, idx.map((v, d) => (d === axis ? j : v)));
    }
    return acc;
  });
}

/** Einsum by brute force over every letter assignment: out[o] = Σ_{summed letters} Π_i x_i[letters_i]. */
export function einsum(terms: string[], output: string, xs: Nd[]): Nd {
  const dims = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((l, k) => dims.set(l, (xs[i] as Nd).shape[k] as number)));
  const summed = [...dims.keys()].filter((l) => !output.includes(l));
  const sumShape = summed.map((l) => dims.get(l) as number);
  return tabulate([...output].map((l) => dims.get(l) as number), (oidx) => {
    let acc = 0;
    tabulate(sumShape, (sidx) => {
      const val = (l: string): number => (output.includes(l) ? (oidx[output.indexOf(l)] as number) : (sidx[summed.indexOf(l)] as number));
      acc += xs.reduce((p, x, i) => p * at(x, [...(terms[i] as string)].map(val)), 1);
      return 0;
    });
    return acc;
  });
}
