// Gradient cases for ConvTranspose: stride 2 with output_padding, groups with dilation, bias.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [
  { name: 'ConvTranspose stride 2 pads 1 output_padding 1 bias', build: (b, t) => ({ y: op.ConvTranspose(b.input('x', t, [1, 2, 3, 3]), b.input('w', t, [2, 3, 3, 3]), b.input('bias', t, [3]), { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }) }) },
  { name: 'ConvTranspose groups 2 dilation 2', build: (b, t) => ({ y: op.ConvTranspose(b.input('x', t, [2, 4, 3, 3]), b.input('w', t, [4, 2, 2, 2]), undefined, { group: 2, dilations: [2, 2], pads: [0, 1, 1, 0] }) }) },
];
