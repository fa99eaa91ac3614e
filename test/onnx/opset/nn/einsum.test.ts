// Einsum: batched matmul, attention-style contraction, transpose, trace/diagonal, implicit output; both runtimes.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { einsum, randn } from '../../../helpers/refNn';
import { expectBothRuntimes, feed } from './harness';

describe('Einsum', () => {
  const rng = new Rng(110);
  const a = randn(rng, [2, 3, 4]);
  const c = randn(rng, [2, 4, 5]);
  const q = randn(rng, [2, 3, 4]);
  const sq = randn(rng, [3, 3]);

  it('contracts, transposes and takes diagonals like the reference', async () => {
    const b = new GraphBuilder('einsum');
    const [ai, ci, qi, si] = [b.input('a', 'float32', a.shape), b.input('c', 'float32', c.shape), b.input('q', 'float32', q.shape), b.input('s', 'float32', sq.shape)];
    b.output(op.Einsum('bij,bjk->bik', [ai, ci]), 'bmm');
    b.output(op.Einsum('bid,bjd->bij', [ai, qi]), 'scores');
    b.output(op.Einsum('bij->jbi', [ai]), 'perm');
    b.output(op.Einsum('ii->i', [si]), 'diag');
    b.output(op.Einsum('ij,jk', [si, si]), 'implicit');
    await expectBothRuntimes(b, { a: feed(a), c: feed(c), q: feed(q), s: feed(sq) }, {
      bmm: einsum(['bij', 'bjk'], 'bik', [a, c]),
      scores: einsum(['bid', 'bjd'], 'bij', [a, q]),
      perm: einsum(['bij'], 'jbi', [a]),
      diag: einsum(['ii'], 'i', [sq]),
      implicit: einsum(['ij', 'jk'], 'ik', [sq, sq]),
    }, { atol: 1e-4 });
  });

  it('refuses mismatched letter sizes, wrong ranks and ellipsis', () => {
    const b = new GraphBuilder('bad');
    const [ai, ci] = [b.input('a', 'float32', [2, 3]), b.input('c', 'float32', [4, 5])];
    expect(() => op.Einsum('ij,jk->ik', [ai, ci])).toThrow(/letter "j" is 3 in one place and 4 in input 1/);
    expect(() => op.Einsum('ijk->i', [ai])).toThrow(/term "ijk" has 3 letters for rank 2/);
    expect(() => op.Einsum('...j->j', [ai])).toThrow(/write the batch letters explicitly/);
  });
});
