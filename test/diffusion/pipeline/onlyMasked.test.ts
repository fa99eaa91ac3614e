// "Inpaint area: Only masked": the crop box and its expansion against A1111's own masking.py
// (test/fixtures/diffusion/crop-region.json, tools/fixtures/crop_region.py), crop-resize and paste-back exactness
// outside the mask, and the pipeline end to end on the tiny random model (the crop is generated at the request
// size, pasted back, unmasked pixels are the init's bytes, infotext says "Inpaint area: Only masked").
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { featherMask } from '../../../src/diffusion/pipeline/mask';
import { cropResizeMask, cropResizeRgb, expandCropRegion, maskCropRegion, pasteBack } from '../../../src/diffusion/pipeline/onlyMasked';
import { infotextOf } from '../../../src/diffusion/pipeline/output';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { nodeOrt } from '../../helpers/ort';
import { loadTiny } from '../loaders/tinyFolder';

type Case = { width: number; height: number; mask: number[]; pad: number; processing: [number, number]; box: number[]; expanded: number[] };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/diffusion/crop-region.json', import.meta.url), 'utf8')) as { cases: Case[] };
const arr = (b: { x1: number; y1: number; x2: number; y2: number } | undefined): number[] => (b ? [b.x1, b.y1, b.x2, b.y2] : []);

describe('the crop box of "Only masked"', () => {
  it(`equals A1111 get_crop_region_v2 and expand_crop_region on ${fx.cases.length} seeded masks, pads and aspects`, () => {
    for (const c of fx.cases) {
      const box = maskCropRegion(c.mask, c.width, c.height, c.pad);
      expect(arr(box)).toEqual(c.box);
      expect(arr(expandCropRegion(box as NonNullable<typeof box>, c.processing[0], c.processing[1], c.width, c.height))).toEqual(c.expanded);
    }
  });

  it('is undefined for an empty mask', () => {
    expect(maskCropRegion(new Uint8Array(64), 8, 8, 4)).toBeUndefined();
  });
});

describe('crop, resize and paste back', () => {
  const [W, H] = [24, 16];
  const init = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 53 + 7) % 256);
  const box = { x1: 6, y1: 2, x2: 18, y2: 10 };

  it('at the box size is the identity crop, and pasting the crop back returns the init byte for byte', () => {
    const crop = cropResizeRgb(init, W, box, 12, 8);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 12; x++) for (let c = 0; c < 3; c++) expect(crop[(y * 12 + x) * 3 + c]).toBe(init[((y + 2) * W + x + 6) * 3 + c]);
    const mask = new Uint8Array(W * H);
    for (let y = 3; y < 9; y++) for (let x = 7; x < 17; x++) mask[y * W + x] = 255;
    expect(pasteBack(crop, 12, 8, init, W, H, box, featherMask(mask, W, H, 1))).toEqual(init);
  });

  it('pastes an upscaled crop back so that every pixel the feathered mask does not reach is the init\'s byte, and the rest is the generation', () => {
    const mask = new Uint8Array(W * H);
    for (let y = 4; y < 8; y++) for (let x = 9; x < 15; x++) mask[y * W + x] = 255;
    const feathered = featherMask(mask, W, H, 1);
    const generated = new Uint8Array(48 * 32 * 3).fill(200); // a crop generated at 48 × 32 (4× the box)
    const out = pasteBack(generated, 48, 32, init, W, H, box, feathered);
    let inside = 0;
    for (let p = 0; p < W * H; p++) {
      const m = feathered[p] as number;
      // a constant generation resizes to itself, so the paste is exactly the feathered blend of 200 over the init
      const [x, y] = [p % W, Math.floor(p / W)];
      const inBox = x >= box.x1 && x < box.x2 && y >= box.y1 && y < box.y2;
      for (let c = 0; c < 3; c++) expect(out[p * 3 + c]).toBe(m === 0 || !inBox ? init[p * 3 + c] : Math.round(m * 200 + (1 - m) * (init[p * 3 + c] as number)));
      if (m > 0.5) inside++;
    }
    expect(inside).toBeGreaterThan(0);
    // the crop's mask at the box size is the feathered mask's bytes there
    const cm = cropResizeMask(feathered, W, box, 12, 8);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 12; x++) expect(cm[y * 12 + x]).toBe(Math.round((feathered[(y + 2) * W + x + 6] as number) * 255));
    expect(cm.some((v) => v > 200)).toBe(true);
  });
});

describe('the pipeline with init.onlyMasked', () => {
  let model: LoadedModel;
  let pipe: Txt2ImgPipeline;
  beforeAll(async () => {
    model = await loadTiny({ seed: 5 });
    pipe = new Txt2ImgPipeline(nodeOrt(), model);
  });

  it('generates the padded box at the request size and pastes it back: unmasked pixels exact, masked ones changed, infotext as A1111', async () => {
    const [W, H] = [32, 24];
    const data = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 29 + 11) % 256);
    const mask = new Uint8Array(W * H);
    for (let y = 6; y < 12; y++) for (let x = 20; x < 26; x++) mask[y * W + x] = 255;
    const seen: number[] = [];
    const r = await pipe.generate(
      { prompt: 'a photo of a cat', seed: 2, steps: 4, sampler: 'DDIM', guidanceScale: 3, width: 16, height: 16, preview: 'none', init: { data, width: W, height: H, channels: 3, mask, maskBlur: 1, strength: 1, onlyMasked: true, maskedPadding: 2 } },
      { onProgress: (p) => seen.push(p.stepIndex) },
    );
    expect([r.width, r.height, r.rgb.length]).toEqual([W, H, W * H * 3]);
    // bbox of the blur-1 feathered mask (kernel radius 3: x 17…28, y 3…14) ± 2, squared to the 16×16 aspect
    expect(r.crop).toEqual(expandCropRegion(maskCropRegion(featherMask(mask, W, H, 1), W, H, 2) as NonNullable<ReturnType<typeof maskCropRegion>>, 16, 16, W, H));
    expect(r.crop).toEqual({ x1: 15, y1: 1, x2: 31, y2: 17 });
    expect(seen).toEqual([0, 1, 2, 3]);
    const feathered = featherMask(mask, W, H, 1);
    let changed = 0;
    for (let p = 0; p < W * H; p++) {
      for (let c = 0; c < 3; c++) {
        if (feathered[p] === 0) expect(r.rgb[p * 3 + c]).toBe(data[p * 3 + c]);
        else if (r.rgb[p * 3 + c] !== data[p * 3 + c]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
    const info = infotextOf(r.parameters[0] as NonNullable<(typeof r.parameters)[0]>);
    expect(info).toContain('Size: 16x16');
    expect(info).toContain('Denoising strength: 1, Mask blur: 1, Inpaint area: Only masked, Masked area padding: 2');
  });

  it('places the crop\'s attention maps over the box of the full image', async () => {
    const [W, H] = [32, 32];
    const mask = new Uint8Array(W * H);
    for (let y = 20; y < 28; y++) for (let x = 4; x < 12; x++) mask[y * W + x] = 255;
    const r = await pipe.generate({ prompt: 'a photo of a cat', seed: 1, steps: 2, sampler: 'DDIM', width: 16, height: 16, attention: true, preview: 'none', init: { data: new Uint8Array(W * H * 3).fill(90), width: W, height: H, channels: 3, mask, maskBlur: 0, onlyMasked: true, maskedPadding: 0 } });
    const a = r.attention as NonNullable<typeof r.attention>;
    expect(r.crop).toEqual({ x1: 4, y1: 20, x2: 12, y2: 28 });
    expect([a.width, a.height, a.maps.length]).toEqual([W, H, a.seqLen * W * H]);
    const m = a.maps.subarray(W * H, 2 * W * H); // token position 1
    let [inBox, outside] = [0, 0];
    for (let p = 0; p < W * H; p++) {
      const [x, y] = [p % W, Math.floor(p / W)];
      if (x >= 4 && x < 12 && y >= 20 && y < 28) inBox += m[p] as number;
      else outside += Math.abs(m[p] as number);
    }
    expect(outside).toBe(0);
    expect(inBox).toBeGreaterThan(0);
  });

  it('names the field when the mask is missing or the padding is out of range', async () => {
    const data = new Uint8Array(16 * 16 * 3);
    const base = { prompt: 'x', seed: 1, steps: 2 };
    await expect(pipe.generate({ ...base, init: { data, width: 16, height: 16, channels: 3, onlyMasked: true } })).rejects.toThrow(/init.onlyMasked \("Inpaint area: Only masked"\) needs init.mask/);
    await expect(pipe.generate({ ...base, init: { data, width: 16, height: 16, channels: 3, mask: new Uint8Array(256).fill(255), onlyMasked: true, maskedPadding: 300 } })).rejects.toThrow(/init.maskedPadding must be an integer in 0…256 px, got 300/);
  });
});
