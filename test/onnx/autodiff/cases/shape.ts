// Gradient cases for the layout ops: Squeeze, Unsqueeze, Flatten, Concat, Split, Slice, Pad, Tile, Gather.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const Squeeze: GradCase[] = [{ name: 'Squeeze axis 1', build: (b, t) => ({ y: op.Squeeze(b.input('x', t, [2, 1, 3]), [1]) }) }];
export const Unsqueeze: GradCase[] = [{ name: 'Unsqueeze axes [0,3]', build: (b, t) => ({ y: op.Unsqueeze(b.input('x', t, [2, 3]), [0, 3]) }) }];
export const Flatten: GradCase[] = [{ name: 'Flatten axis 2', build: (b, t) => ({ y: op.Flatten(b.input('x', t, [2, 3, 2, 2]), 2) }) }];
export const Concat: GradCase[] = [
  { name: 'Concat axis 1', build: (b, t) => ({ y: op.Concat([b.input('a', t, [2, 1]), b.input('b', t, [2, 3]), b.input('c', t, [2, 2])], 1) }) },
  { name: 'Concat same value twice', build: (b, t) => { const a = b.input('a', t, [2, 2]); return { y: op.Concat([a, a], 0) }; } },
];
export const Split: GradCase[] = [
  { name: 'Split both pieces used', build: (b, t) => { const [p, q] = op.Split(b.input('x', t, [2, 4]), [2, 2], 1); return { y: op.Mul(p!, q!) }; } },
  { name: 'Split one piece unused', build: (b, t) => ({ y: op.Split(b.input('x', t, [4, 2]), [1, 3], 0)[1]! }) },
];
export const Slice: GradCase[] = [
  { name: 'Slice axes [1,2] with negative start', build: (b, t) => ({ y: op.Slice(b.input('x', t, [2, 4, 5]), [1, -3], [3, 100], [1, 2]) }) },
];
export const Pad: GradCase[] = [
  { name: 'Pad constant', build: (b, t) => ({ y: op.Pad(b.input('x', t, [2, 3]), [0, 1, 2, 0], { value: 0.5 }) }) },
  { name: 'Pad negative crop', build: (b, t) => ({ y: op.Pad(b.input('x', t, [3, 4]), [1, -1, 0, -1]) }) },
];
export const Tile: GradCase[] = [{ name: 'Tile [2,3]×[2,1]', build: (b, t) => ({ y: op.Tile(b.input('x', t, [2, 3]), [2, 2]) }) }];
export const Gather: GradCase[] = [
  { name: 'Gather embedding rows (repeated, negative ids)', build: (b, t) => ({ y: op.Gather(b.input('table', t, [5, 3]), b.constant([0, 4, 2, -1, 0, 3], 'int64', [2, 3])) }) },
  { name: 'Gather axis 1', build: (b, t) => ({ y: op.Gather(b.input('x', t, [2, 4, 2]), b.constant([3, 1], 'int32', [2]), 1) }) },
];
