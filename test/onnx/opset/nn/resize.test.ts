// Resize: nearest (asymmetric/floor 2× as diffusers exports, half_pixel round_prefer_floor, sizes input) and linear
// (half_pixel, align_corners, asymmetric, pytorch_half_pixel, downsampling), both runtimes vs refNnSpatial.resize.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/random';
import { GraphBuilder, op } from '../../../../src/onnx/index';
import { randn } from '../../../helpers/refNn';
import { resize } from '../../../helpers/refNnSpatial';
import { expectBothRuntimes, feed } from './harness';

type Case = [string, op.ResizeOptions, number[]];

describe('Resize', () => {
  const x = randn(new Rng(70), [1, 2, 3, 4]);
  const cases: Case[] = [
    ['nearest 2× asymmetric floor (diffusers Upsample2D)', { mode: 'nearest', scales: [1, 1, 2, 2], coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' }, [1, 2, 6, 8]],
    ['nearest half_pixel round_prefer_floor to sizes', { mode: 'nearest', sizes: [1, 2, 5, 7] }, [1, 2, 5, 7]],
    ['nearest 0.5× round_prefer_ceil', { mode: 'nearest', scales: [1, 1, 0.5, 0.5], coordinateTransformationMode: 'asymmetric', nearestMode: 'round_prefer_ceil' }, [1, 2, 1, 2]],
    ['linear 2× half_pixel', { mode: 'linear', scales: [1, 1, 2, 2] }, [1, 2, 6, 8]],
    ['linear align_corners to sizes', { mode: 'linear', sizes: [1, 2, 5, 6], coordinateTransformationMode: 'align_corners' }, [1, 2, 5, 6]],
    ['linear asymmetric 1.5×', { mode: 'linear', scales: [1, 1, 1.5, 1.5], coordinateTransformationMode: 'asymmetric' }, [1, 2, 4, 6]],
    ['linear pytorch_half_pixel downsample', { mode: 'linear', sizes: [1, 2, 2, 2], coordinateTransformationMode: 'pytorch_half_pixel' }, [1, 2, 2, 2]],
  ];

  it.each(cases)('%s matches the reference in both runtimes', async (_l, o, outShape) => {
    const b = new GraphBuilder('resize');
    b.output(op.Resize(b.input('x', 'float32', x.shape), o), 'y');
    const scales = o.scales ?? outShape.map((d, i) => d / (x.shape[i] as number));
    const want = resize(x, { outShape, scales, mode: o.mode, ctm: o.coordinateTransformationMode ?? 'half_pixel', nearestMode: o.nearestMode });
    await expectBothRuntimes(b, { x: feed(x) }, { y: want }, { atol: 1e-5 });
  });

  it('refuses both scales and sizes, and an unsupported transformation mode', () => {
    const b = new GraphBuilder('bad');
    const xi = b.input('x', 'float32', [1, 1, 2, 2]);
    expect(() => op.Resize(xi, { mode: 'nearest', scales: [1, 1, 2, 2], sizes: [1, 1, 4, 4] })).toThrow(/exactly one of scales/);
    expect(() => op.Resize(xi, { mode: 'linear', scales: [1, 1, 2, 2], coordinateTransformationMode: 'tf_crop_and_resize' as never })).toThrow(/coordinate_transformation_mode "tf_crop_and_resize" is not supported/);
    expect(() => op.Resize(xi, { mode: 'nearest', scales: [2, 2] })).toThrow(/scales \[2,2\] must be 4 positive numbers/);
  });
});
