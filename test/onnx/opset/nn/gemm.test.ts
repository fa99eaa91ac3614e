// Gemm: alpha/beta, transA/transB and the C broadcast forms, in both runtimes against refNnSpatial.gemm.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { randn } from '../../../helpers/refNn';
import { gemm } from '../../../helpers/refNnSpatial';
import { expectBothRuntimes, feed } from './harness';

describe('Gemm', () => {
  const rng = new Rng(30);
  const a = randn(rng, [3, 4]);
  const aT = randn(rng, [4, 3]);
  const bm = randn(rng, [4, 5]);
  const bT = randn(rng, [5, 4]);
  const cFull = randn(rng, [3, 5]);
  const cRow = randn(rng, [5]);
  const cCol = randn(rng, [3, 1]);

  it('computes every transpose and C broadcast combination like the reference', async () => {
    const b = new GraphBuilder('gemm');
    const [ai, aTi, bi, bTi] = [b.input('a', 'float32', a.shape), b.input('aT', 'float32', aT.shape), b.input('b', 'float32', bm.shape), b.input('bT', 'float32', bT.shape)];
    const [cf, cr, cc] = [b.input('cf', 'float32', cFull.shape), b.input('cr', 'float32', cRow.shape), b.input('cc', 'float32', cCol.shape)];
    b.output(op.Gemm(ai, bi), 'plain');
    b.output(op.Gemm(aTi, bTi, cf, { transA: true, transB: true, alpha: 0.5, beta: 2 }), 'both');
    b.output(op.Gemm(ai, bTi, cr, { transB: true }), 'linear');
    b.output(op.Gemm(aTi, bi, cc, { transA: true, beta: -1 }), 'col');
    const feeds = { a: feed(a), aT: feed(aT), b: feed(bm), bT: feed(bT), cf: feed(cFull), cr: feed(cRow), cc: feed(cCol) };
    await expectBothRuntimes(b, feeds, {
      plain: gemm(a, bm, undefined, {}),
      both: gemm(aT, bT, cFull, { transA: true, transB: true, alpha: 0.5, beta: 2 }),
      linear: gemm(a, bT, cRow, { transB: true }),
      col: gemm(aT, bm, cCol, { transA: true, beta: -1 }),
    });
  });

  it('refuses mismatched inner dimensions and a C that does not broadcast', () => {
    const b = new GraphBuilder('bad');
    const ai = b.input('a', 'float32', [3, 4]);
    expect(() => op.Gemm(ai, b.input('b', 'float32', [5, 4]))).toThrow(/inner dimensions differ: 4 vs 5.*float32\[3,4\], float32\[5,4\]/);
    expect(() => op.Gemm(ai, b.input('b2', 'float32', [4, 5]), b.input('c', 'float32', [2, 5]))).toThrow(/C \[2,5\] does not broadcast to \[3,5\]/);
  });
});
