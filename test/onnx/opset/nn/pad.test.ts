// Pad in constant (default and explicit value), reflect and edge modes, with cropping; both runtimes.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { pad, randn } from '../../../helpers/refNn';
import { expectBothRuntimes, feed } from './harness';

describe('Pad', () => {
  const x = randn(new Rng(20), [1, 2, 3, 4]);
  const pads = [0, 0, 1, 2, 0, 0, 2, 1];
  it('pads in every mode like the reference', async () => {
    const b = new GraphBuilder('pad');
    const xi = b.input('x', 'float32', x.shape);
    b.output(op.Pad(xi, pads), 'zero');
    b.output(op.Pad(xi, pads, { value: 1.5 }), 'value');
    b.output(op.Pad(xi, pads, { mode: 'reflect' }), 'reflect');
    b.output(op.Pad(xi, pads, { mode: 'edge' }), 'edge');
    b.output(op.Pad(xi, [0, 0, -1, 1, 0, 0, 0, -2]), 'crop');
    await expectBothRuntimes(b, { x: feed(x) }, {
      zero: pad(x, pads, 'constant'),
      value: pad(x, pads, 'constant', 1.5),
      reflect: pad(x, pads, 'reflect'),
      edge: pad(x, pads, 'edge'),
      crop: pad(x, [0, 0, -1, 1, 0, 0, 0, -2], 'constant'),
    });
  });

  it('refuses reflect pads as large as the axis', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.Pad(b.input('x', 'float32', [1, 3]), [0, 3, 0, 0], { mode: 'reflect' })).toThrow(/reflect pads 3\/0 on axis 1 must be < its size 3/);
  });
});
