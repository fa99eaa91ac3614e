// Shape helpers shared by op schemas: numpy broadcasting, axis handling. Pure.
// Reference: ONNX Broadcasting.md (multidirectional broadcasting).
import type { InferContext } from './schema';

/** Multidirectional (numpy) broadcast of shapes; calls ctx.fail on a mismatch. */
export function broadcastShapes(ctx: InferContext, ...shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i] as number;
      const cur = out[o] as number;
      if (cur === 1) out[o] = d;
      else if (d !== 1 && d !== cur) ctx.fail(`shapes [${shapes.map((x) => x.join(',')).join('] and [')}] do not broadcast`);
    }
  }
  return out;
}

/** Same shapes? */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}
