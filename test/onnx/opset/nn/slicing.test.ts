// Slice, Gather, Split: clamping, negative steps and indices, int32/int64 indices, folding; both runtimes.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { gather, randn, slice, split } from '../../../helpers/refNn';
import { expectBothRuntimes, feed, feedI64 } from './harness';

describe('Slice', () => {
  const x = randn(new Rng(10), [3, 5, 4]);
  const cases: [string, number[], number[], number[] | undefined, number[] | undefined][] = [
    ['plain prefix', [0, 1], [2, 4], undefined, undefined],
    ['negative starts and clamped ends', [-2], [1e9], [1], undefined],
    ['step 2 on the last axis', [1], [4], [-1], [2]],
    ['reverse with negative step to the start', [-1, 3], [-Infinity, 0], [1, 2], [-1, -2]],
    ['empty range', [3], [1], [1], [1]],
  ];
  it.each(cases)('%s matches the reference in both runtimes', async (_label, starts, ends, axes, steps) => {
    const b = new GraphBuilder('slice');
    b.output(op.Slice(b.input('x', 'float32', x.shape), starts, ends, axes, steps), 'y');
    const ax = axes ?? starts.map((_, i) => i);
    await expectBothRuntimes(b, { x: feed(x) }, { y: slice(x, starts, ends, ax, steps ?? starts.map(() => 1)) });
  });

  it('folds a constant shape vector', () => {
    const b = new GraphBuilder('fold');
    const s = op.Slice(b.ints([2, 3, 4, 5]), [-3], [Infinity], undefined, [2]);
    expect(Array.from(s.constValue as BigInt64Array, Number)).toEqual([3, 5]);
  });

  it('refuses a zero step, naming the input shape', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.Slice(b.input('x', 'float32', [3, 5]), [0], [2], [1], [0])).toThrow(/step for axis 1 is 0.*float32\[3,5\]/);
  });
});

describe('Gather', () => {
  it('looks up embedding rows with int64 and int32 ids, and gathers on axis 1 with negative indices', async () => {
    const rng = new Rng(11);
    const table = randn(rng, [6, 4]);
    const ids = { shape: [2, 3], data: [0, 5, 2, 2, 1, 3] };
    const b = new GraphBuilder('gather');
    const t = b.input('table', 'float32', table.shape);
    b.output(op.Gather(t, b.input('ids', 'int64', ids.shape), 0), 'emb');
    b.output(op.Gather(t, b.constant(Int32Array.from([4, 1]), 'int32', [2]), 0), 'rows32');
    b.output(op.Gather(t, [-1, 0], 1), 'cols');
    await expectBothRuntimes(b, { table: feed(table), ids: feedI64(ids) }, {
      emb: gather(table, ids, 0),
      rows32: gather(table, { shape: [2], data: [4, 1] }, 0),
      cols: gather(table, { shape: [2], data: [-1, 0] }, 1),
    });
  });

  it('folds a scalar index out of a constant shape, as Shape→Gather does', () => {
    const b = new GraphBuilder('fold');
    const g = op.Gather(b.ints([7, 8, 9]), b.constant([1], 'int64', []), 0);
    expect(g.shape).toEqual([]);
    expect(Array.from(g.constValue as BigInt64Array, Number)).toEqual([8]);
  });

  it('refuses a constant index out of range', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.Gather(b.input('t', 'float32', [6, 4]), [6], 0)).toThrow(/index 6 is out of range for axis 0 of size 6/);
  });
});

describe('Split', () => {
  it('cuts into uneven pieces along a negative axis', async () => {
    const x = randn(new Rng(12), [2, 6]);
    const b = new GraphBuilder('split');
    const parts = op.Split(b.input('x', 'float32', x.shape), [1, 3, 2], -1);
    parts.forEach((p, i) => b.output(p, `p${i}`));
    const want = split(x, [1, 3, 2], 1);
    await expectBothRuntimes(b, { x: feed(x) }, { p0: want[0]!, p1: want[1]!, p2: want[2]! });
  });

  it('folds and refuses sizes that do not sum to the axis', () => {
    const b = new GraphBuilder('fold');
    const [p, q] = op.Split(b.ints([1, 2, 3]), [2, 1]);
    expect(Array.from(q!.constValue as BigInt64Array, Number)).toEqual([3]);
    expect(p!.shape).toEqual([2]);
    expect(() => op.Split(b.input('x', 'float32', [4]), [2, 1])).toThrow(/sizes \[2,1\] must be ≥ 0 and sum to 4/);
  });
});
