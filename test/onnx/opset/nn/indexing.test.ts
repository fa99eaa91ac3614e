// GatherElements, ScatterElements (none/add), ScatterND (none/add) and CumSum (exclusive/reverse),
// both runtimes against refNn.ts.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { cumsum, gatherElements, randn, scatterElements, scatterND } from '../../../helpers/refNn';
import type { Nd } from '../../../helpers/refNn';
import { expectBothRuntimes, feed, feedI64 } from './harness';

/** Seeded integer indices in [lo, hi]. */
function ints(rng: Rng, shape: number[], lo: number, hi: number): Nd {
  return { shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(lo, hi)) };
}

describe('GatherElements', () => {
  it('picks along axis 0 and axis -1 with negative indices', async () => {
    const rng = new Rng(80);
    const data = randn(rng, [3, 4]);
    const i0 = ints(rng, [2, 4], -3, 2);
    const i1 = ints(rng, [3, 2], 0, 3);
    const b = new GraphBuilder('gatherelements');
    const d = b.input('d', 'float32', data.shape);
    b.output(op.GatherElements(d, b.input('i0', 'int64', i0.shape), 0), 'g0');
    b.output(op.GatherElements(d, b.input('i1', 'int64', i1.shape), -1), 'g1');
    await expectBothRuntimes(b, { d: feed(data), i0: feedI64(i0), i1: feedI64(i1) }, { g0: gatherElements(data, i0, 0), g1: gatherElements(data, i1, 1) });
  });

  it('refuses indices of another rank', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.GatherElements(b.input('d', 'float32', [3, 4]), b.input('i', 'int64', [4]))).toThrow(/indices rank 1 must equal data rank 2/);
  });
});

describe('ScatterElements', () => {
  it('writes unique indices and accumulates duplicates with add', async () => {
    const rng = new Rng(81);
    const data = randn(rng, [4, 3]);
    const upd = randn(rng, [2, 3]);
    const unique = { shape: [2, 3], data: [3, 0, 1, 1, 2, 0] };
    const dup = { shape: [2, 3], data: [2, 2, 0, 2, 2, 0] };
    const b = new GraphBuilder('scatterelements');
    const [d, u] = [b.input('d', 'float32', data.shape), b.input('u', 'float32', upd.shape)];
    b.output(op.ScatterElements(d, b.input('iu', 'int64', unique.shape), u, 0), 'set');
    b.output(op.ScatterElements(d, b.input('id', 'int64', dup.shape), u, 0, 'add'), 'add');
    await expectBothRuntimes(b, { d: feed(data), u: feed(upd), iu: feedI64(unique), id: feedI64(dup) }, {
      set: scatterElements(data, unique, upd, 0, 'none'),
      add: scatterElements(data, dup, upd, 0, 'add'),
    });
  });
});

describe('ScatterND', () => {
  it('replaces rows and adds into single elements', async () => {
    const rng = new Rng(82);
    const data = randn(rng, [4, 3]);
    const rows = { shape: [2, 1], data: [3, 1] };
    const rowUpd = randn(rng, [2, 3]);
    const cells = { shape: [3, 2], data: [0, 0, 2, 1, 0, 0] };
    const cellUpd = randn(rng, [3]);
    const b = new GraphBuilder('scatternd');
    const d = b.input('d', 'float32', data.shape);
    b.output(op.ScatterND(d, b.input('ir', 'int64', rows.shape), b.input('ur', 'float32', rowUpd.shape)), 'rows');
    b.output(op.ScatterND(d, b.input('ic', 'int64', cells.shape), b.input('uc', 'float32', cellUpd.shape), 'add'), 'cells');
    await expectBothRuntimes(b, { d: feed(data), ir: feedI64(rows), ur: feed(rowUpd), ic: feedI64(cells), uc: feed(cellUpd) }, {
      rows: scatterND(data, rows, rowUpd, 'none'),
      cells: scatterND(data, cells, cellUpd, 'add'),
    });
  });

  it('refuses updates of the wrong shape', () => {
    const b = new GraphBuilder('bad');
    const d = b.input('d', 'float32', [4, 3]);
    expect(() => op.ScatterND(d, b.input('i', 'int64', [2, 1]), b.input('u', 'float32', [2, 4]))).toThrow(/updates must be float32\[2,3\]/);
  });
});

describe('CumSum', () => {
  it('sums forward, exclusive and reversed along an axis', async () => {
    const x = randn(new Rng(83), [2, 5]);
    const b = new GraphBuilder('cumsum');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.CumSum(xi, 1), 'fwd');
    b.output(op.CumSum(xi, -1, { exclusive: true }), 'excl');
    b.output(op.CumSum(xi, 0, { reverse: true }), 'rev');
    b.output(op.CumSum(xi, 1, { reverse: true, exclusive: true }), 'both');
    await expectBothRuntimes(b, { x: feed(x) }, {
      fwd: cumsum(x, 1, false, false),
      excl: cumsum(x, 1, true, false),
      rev: cumsum(x, 0, false, true),
      both: cumsum(x, 1, true, true),
    });
  });
});
