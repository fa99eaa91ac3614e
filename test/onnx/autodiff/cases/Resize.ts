// Gradient cases for Resize: diffusers' 2× nearest (asymmetric, floor), default nearest, linear modes, downsampling.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

const x = [1, 2, 3, 4];

export const cases: GradCase[] = [
  { name: 'Resize nearest 2x asymmetric floor', build: (b, t) => ({ y: op.Resize(b.input('x', t, x), { scales: [1, 1, 2, 2], mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' }) }) },
  { name: 'Resize nearest half_pixel sizes', build: (b, t) => ({ y: op.Resize(b.input('x', t, x), { sizes: [1, 2, 5, 7], mode: 'nearest' }) }) },
  { name: 'Resize linear 2x half_pixel', build: (b, t) => ({ y: op.Resize(b.input('x', t, x), { scales: [1, 1, 2, 2], mode: 'linear' }) }) },
  { name: 'Resize linear align_corners sizes', build: (b, t) => ({ y: op.Resize(b.input('x', t, x), { sizes: [1, 2, 5, 6], mode: 'linear', coordinateTransformationMode: 'align_corners' }) }) },
  { name: 'Resize linear 0.5x pytorch_half_pixel', build: (b, t) => ({ y: op.Resize(b.input('x', t, [1, 1, 4, 6]), { scales: [1, 1, 0.5, 0.5], mode: 'linear', coordinateTransformationMode: 'pytorch_half_pixel' }) }) },
];
