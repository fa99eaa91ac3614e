// Shared test models for the proto tests: a tiny MatMul→Add graph built with the GraphBuilder.
import { GraphBuilder, op } from '../../../src/onnx/index';
import type { Model } from '../../../src/onnx/index';

/** x[2,3] · w[3,4] + b[4] → y; w and b are 48 and 16 bytes. */
export function tinyModel(): Model {
  const b = new GraphBuilder('tiny');
  const x = b.input('x', 'float32', [2, 3]);
  const w = b.param('w', 'float32', [3, 4], Float32Array.from({ length: 12 }, (_, i) => i / 10 - 0.5));
  const bias = b.param('b', 'float32', [4], Float32Array.from([1, -1, 0.5, 2]));
  b.output(op.Add(op.MatMul(x, w), bias), 'y');
  return b.toModel({ metadata: { purpose: 'test' } });
}

/** CPU reference of tinyModel for input x (row-major [2,3]). */
export function tinyRef(x: number[], w = Array.from({ length: 12 }, (_, i) => i / 10 - 0.5), bias = [1, -1, 0.5, 2]): number[] {
  const out: number[] = [];
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) out.push((bias[c] as number) + [0, 1, 2].reduce((s, k) => s + (x[r * 3 + k] as number) * (w[k * 4 + c] as number), 0));
  return out;
}
