// Gradient cases for Einsum: batched matmul, attention scores, a summed-away letter, implicit output.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Einsum bij,bjk->bik', build: (b, t) => ({ y: op.Einsum('bij,bjk->bik', [b.input('a', t, [2, 3, 4]), b.input('b', t, [2, 4, 2])]) }) },
  { name: 'Einsum bhid,bhjd->bhij', build: (b, t) => ({ y: op.Einsum('bhid,bhjd->bhij', [b.input('q', t, [1, 2, 3, 4]), b.input('k', t, [1, 2, 5, 4])]) }) },
  { name: 'Einsum ij,k->j (summed-away letters)', build: (b, t) => ({ y: op.Einsum('ij,k->j', [b.input('a', t, [3, 4]), b.input('c', t, [2])]) }) },
  { name: 'Einsum implicit ij,jk', build: (b, t) => ({ y: op.Einsum('ij,jk', [b.input('a', t, [2, 3]), b.input('b', t, [3, 2])]) }) },
];
