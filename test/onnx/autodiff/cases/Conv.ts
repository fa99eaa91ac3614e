// Gradient cases for Conv: both input-gradient paths (zero-insert + flipped-weight Conv, ConvTranspose), groups, dilation,
// stride with leftover rows (weight gradient slice), bias, 1-D.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'Conv 3x3 pad 1 with bias', build: (b, t) => ({ y: op.Conv(b.input('x', t, [2, 3, 5, 5]), b.input('w', t, [4, 3, 3, 3]), b.input('bias', t, [4]), { pads: [1, 1, 1, 1] }) }) },
  { name: 'Conv stride 2 pad 1 (zero-insert path, leftover row)', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 2, 6, 5]), b.input('w', t, [3, 2, 3, 3]), undefined, { strides: [2, 2], pads: [1, 1, 1, 1] }) }) },
  { name: 'Conv groups 2 dilation 2 asymmetric pads', build: (b, t) => ({ y: op.Conv(b.input('x', t, [2, 4, 6, 6]), b.input('w', t, [6, 2, 2, 3]), undefined, { group: 2, dilations: [2, 2], pads: [1, 0, 2, 1] }) }) },
  { name: 'Conv 1x1 pad 1 (pads beyond reach)', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 2, 3, 3]), b.input('w', t, [2, 2, 1, 1]), undefined, { pads: [1, 1, 1, 1] }) }) },
  { name: 'Conv depthwise stride 2', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 3, 5, 5]), b.input('w', t, [3, 1, 3, 3]), undefined, { group: 3, strides: [2, 2], pads: [1, 1, 1, 1] }) }) },
  { name: 'Conv 1x1 stride 2 (negative end pad, Slice)', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 2, 5, 6]), b.input('w', t, [3, 2, 1, 1]), undefined, { strides: [2, 2] }) }) },
  { name: 'Conv stride 3 dilation 2 mixed pads', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 2, 9, 8]), b.input('w', t, [2, 2, 2, 2]), undefined, { strides: [3, 3], dilations: [2, 1], pads: [0, 1, 0, 0] }) }) },
  { name: 'Conv grouped multiplier stride 2 (WebGPU ConvTranspose bug shape)', build: (b, t) => ({ y: op.Conv(b.input('x', t, [1, 2, 5, 5]), b.input('w', t, [4, 1, 3, 3]), undefined, { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] }) }) },
  { name: 'Conv 1-D', build: (b, t) => ({ y: op.Conv(b.input('x', t, [2, 2, 7]), b.input('w', t, [3, 2, 3]), undefined, { pads: [1, 1] }) }) },
];
