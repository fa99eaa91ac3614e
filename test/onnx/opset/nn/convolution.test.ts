// Conv and ConvTranspose: groups, strides, pads, dilations, bias, output_padding; both runtimes against
// refNnSpatial (direct-sum Conv and scatter-form ConvTranspose).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { randn } from '../../../helpers/refNn';
import type { Nd } from '../../../helpers/refNn';
import { conv2d, convTranspose2d } from '../../../helpers/refNnSpatial';
import type { Conv2dOptions } from '../../../helpers/refNnSpatial';
import { expectBothRuntimes, feed } from './harness';

type Case = [string, number[], number[], boolean, Conv2dOptions];

async function check(kind: 'Conv' | 'ConvTranspose', xShape: number[], wShape: number[], withBias: boolean, o: Conv2dOptions, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const x = randn(rng, xShape);
  const w = randn(rng, wShape);
  const m = kind === 'Conv' ? (wShape[0] as number) : (wShape[1] as number) * (o.group ?? 1);
  const bias: Nd | undefined = withBias ? randn(rng, [m]) : undefined;
  const b = new GraphBuilder(kind);
  const xi = b.input('x', 'float32', x.shape);
  const wi = b.input('w', 'float32', w.shape);
  const bi = bias ? b.input('bias', 'float32', bias.shape) : undefined;
  const y = kind === 'Conv' ? op.Conv(xi, wi, bi, o) : op.ConvTranspose(xi, wi, bi, o);
  b.output(y, 'y');
  const want = kind === 'Conv' ? conv2d(x, w, bias, o) : convTranspose2d(x, w, bias, o);
  await expectBothRuntimes(b, { x: feed(x), w: feed(w), ...(bias ? { bias: feed(bias) } : {}) }, { y: want }, { atol: 1e-4 });
}

describe('Conv', () => {
  const cases: Case[] = [
    ['3×3 same padding with bias', [1, 2, 5, 5], [3, 2, 3, 3], true, { pads: [1, 1, 1, 1] }],
    ['stride 2 and asymmetric pads', [2, 2, 6, 5], [2, 2, 3, 3], false, { strides: [2, 2], pads: [1, 0, 0, 1] }],
    ['dilation 2', [1, 1, 7, 7], [2, 1, 3, 3], true, { dilations: [2, 2], pads: [2, 2, 2, 2] }],
    ['groups 2 (depthwise-like)', [1, 4, 4, 4], [6, 2, 3, 3], true, { group: 2, pads: [1, 1, 1, 1] }],
  ];
  it.each(cases)('%s matches the reference in both runtimes', async (_l, xs, ws, bias, o) => check('Conv', xs, ws, bias, o, 50));

  it('refuses channels that do not match weight × group', () => {
    const b = new GraphBuilder('bad');
    expect(() => op.Conv(b.input('x', 'float32', [1, 4, 4, 4]), b.input('w', 'float32', [2, 3, 3, 3]))).toThrow(/input channels 4 ≠ weight channels 3 × group 1/);
  });
});

describe('ConvTranspose', () => {
  const cases: Case[] = [
    ['stride 1 with bias', [1, 2, 3, 3], [2, 3, 3, 3], true, {}],
    ['stride 2, pads 1, output_padding 1 (2× upsampling)', [1, 2, 3, 4], [2, 2, 3, 3], true, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }],
    ['groups 2 and dilation 2', [2, 4, 3, 3], [4, 1, 2, 2], false, { group: 2, dilations: [2, 2] }],
    ['stride 2 kernel 4 pads 1 (the 4×4 up-conv)', [1, 1, 3, 3], [1, 2, 4, 4], false, { strides: [2, 2], pads: [1, 1, 1, 1] }],
  ];
  it.each(cases)('%s matches the reference in both runtimes', async (_l, xs, ws, bias, o) => check('ConvTranspose', xs, ws, bias, o, 60));

  it('infers [N, M, H′, W′] and refuses output_padding ≥ stride', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [1, 4, 8, 8]);
    const w = b.input('w', 'float32', [4, 3, 3, 3]);
    expect(op.ConvTranspose(x, w, undefined, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1], group: 2 }).shape).toEqual([1, 6, 16, 16]);
    expect(() => op.ConvTranspose(x, w, undefined, { outputPadding: [1, 1] })).toThrow(/output_padding 1 on spatial axis 0 must be < stride 1/);
  });
});
