// Gradient cases for Where, Cast and Expand (selection, dtype and broadcast ops).
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const Where: GradCase[] = [
  {
    name: 'Where with broadcast branches',
    build: (b, t) => {
      const cond = b.constant(Uint8Array.from([1, 0, 1, 0, 0, 1]), 'bool', [2, 3]);
      return { y: op.Where(cond, b.input('a', t, [2, 3]), b.input('b', t, [3])) };
    },
  },
];
export const Cast: GradCase[] = [
  { name: 'Cast float round trip', dtype: 'float32', build: (b, t) => ({ y: op.Cast(op.Cast(b.input('x', t, [2, 3]), t === 'float64' ? 'float32' : 'float64'), t) }) },
];
export const Expand: GradCase[] = [{ name: 'Expand [3,1]→[2,3,4]', build: (b, t) => ({ y: op.Expand(b.input('x', t, [3, 1]), [2, 3, 4]) }) }];
