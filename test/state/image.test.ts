// Reference-image rules: format sniffing by magic bytes, downscale plan, crop placement.
import { describe, expect, it } from 'vitest';
import { centredCrop, clampCrop, planDownscale, sniffImageType } from '../../src/state/index';

describe('image rules', () => {
  it('recognises common formats by signature and refuses text', () => {
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('hello, world'))).toBeNull();
    expect(sniffImageType(new Uint8Array([0x89, 0x50]))).toBeNull();
  });

  it('downscales the longest side to the limit, keeping the aspect', () => {
    expect(planDownscale(4096, 1024, 2048)).toEqual({ width: 2048, height: 512, isDownscaled: true });
    expect(planDownscale(800, 600, 2048)).toEqual({ width: 800, height: 600, isDownscaled: false });
    // an 8192² reference (the PNG decoder's largest) is taken in at the studio's default limit, 2048 px a side
    expect(planDownscale(8192, 8192)).toEqual({ width: 2048, height: 2048, isDownscaled: true });
  });

  it('centres the largest square and keeps moves inside the image', () => {
    expect(centredCrop(640, 480)).toEqual({ x: 80, y: 0, size: 480 });
    expect(clampCrop({ x: -5, y: 9 }, 640, 480)).toEqual({ x: 0, y: 0, size: 480 });
    expect(clampCrop({ x: 0, y: 300 }, 480, 640)).toEqual({ x: 0, y: 160, size: 480 });
  });
});
