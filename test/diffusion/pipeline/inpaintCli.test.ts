// `npm run inpaint` / `npm run generate -- --init` on the tiny folder: the PNG keeps unmasked pixels byte for byte
// and records A1111's "Denoising strength" and "Mask blur"; a mask of another size is refused naming both files.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfotext } from '../../../src/diffusion/image/infotext';
import { decodePng, encodePng } from '../../../src/diffusion/image/png';
import { writeFilesToFolder } from '../../../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';

describe('when running npm run inpaint', () => {
  let dir = '';
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'tools/generate.ts', ...args], { encoding: 'utf8', timeout: 600_000 });
  const common = () => ['--model', join(dir, 'tiny'), '--prompt', 'a cat', '--seed', '2', '--steps', '4', '--sampler', 'DDIM'];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'disen-inpaint-'));
    await writeFilesToFolder(join(dir, 'tiny'), writeDiffusersFolder({ seed: 6 }));
    const img = new Uint8Array(16 * 16 * 3).map((_, i) => (i * 7) % 256);
    await writeFile(join(dir, 'in.png'), encodePng({ width: 16, height: 16, channels: 3, data: img }));
    const mask = new Uint8Array(16 * 16).map((_, p) => (p % 16 >= 8 ? 255 : 0));
    await writeFile(join(dir, 'mask.png'), encodePng({ width: 16, height: 16, channels: 1, data: mask }));
    await writeFile(join(dir, 'small.png'), encodePng({ width: 8, height: 8, channels: 1, data: new Uint8Array(64) }));
    await writeFile(join(dir, 'in32.png'), encodePng({ width: 32, height: 32, channels: 3, data: new Uint8Array(32 * 32 * 3).map((_, i) => (i * 11) % 256) }));
    await writeFile(join(dir, 'mask32.png'), encodePng({ width: 32, height: 32, channels: 1, data: new Uint8Array(32 * 32).map((_, p) => (p % 32 >= 20 && p % 32 < 26 && p >> 5 >= 4 && p >> 5 < 10 ? 255 : 0)) }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('repaints the right half only and writes the inpainting settings', async () => {
    const run = cli('--inpaint', ...common(), '--image', join(dir, 'in.png'), '--mask', join(dir, 'mask.png'), '--strength', '0.5', '--mask-blur', '1', '--out', join(dir, 'out.png'));
    expect(run.stderr).not.toMatch(/generate:/);
    expect(run.status).toBe(0);
    const src = decodePng(await readFile(join(dir, 'in.png')));
    const out = decodePng(await readFile(join(dir, 'out.png')));
    let changedRight = 0;
    for (let p = 0; p < 256; p++) {
      for (let c = 0; c < 3; c++) {
        // σ = 1 px feathers 3 px to the left of column 8
        if (p % 16 < 5) expect(out.data[p * 4 + c]).toBe(src.data[p * 4 + c]);
        if (p % 16 >= 8 && out.data[p * 4 + c] !== src.data[p * 4 + c]) changedRight++;
      }
    }
    expect(changedRight).toBeGreaterThan(100);
    expect(parseInfotext(out.text.parameters!).params).toMatchObject({ Steps: '4', 'Denoising strength': '0.5', 'Mask blur': '1' });
  });

  it('--only-masked --padding 2 inpaints the mask\'s box at --width × --height and pastes it back, recording A1111\'s keys', async () => {
    const run = cli('--inpaint', ...common(), '--image', join(dir, 'in32.png'), '--mask', join(dir, 'mask32.png'), '--strength', '1', '--mask-blur', '1', '--only-masked', '--padding', '2', '--width', '16', '--height', '16', '--out', join(dir, 'only.png'));
    expect(run.stderr).not.toMatch(/generate:/);
    expect(run.status).toBe(0);
    const src = decodePng(await readFile(join(dir, 'in32.png')));
    const out = decodePng(await readFile(join(dir, 'only.png')));
    expect([out.width, out.height]).toEqual([32, 32]);
    let changed = 0;
    for (let p = 0; p < 32 * 32; p++) {
      const [x, y] = [p % 32, p >> 5];
      // the blur-1 feathered mask reaches 3 px past the painted box (x 20…25, y 4…9)
      const far = x < 17 || x > 28 || y > 12;
      for (let c = 0; c < 3; c++) {
        if (far) expect(out.data[p * 4 + c]).toBe(src.data[p * 4 + c]);
        else if (out.data[p * 4 + c] !== src.data[p * 4 + c]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(20);
    expect(parseInfotext(out.text.parameters!).params).toMatchObject({ Size: '16x16', 'Mask blur': '1', 'Inpaint area': 'Only masked', 'Masked area padding': '2' });
    const bad = cli('--inpaint', ...common(), '--image', join(dir, 'in32.png'), '--mask', join(dir, 'mask32.png'), '--padding', '2');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--padding is the margin of --only-masked; pass --only-masked too/);
  });

  it('runs image-to-image from --init and refuses a mask of another size', async () => {
    const i2i = cli(...common(), '--init', join(dir, 'in.png'), '--strength', '0.25', '--out', join(dir, 'i2i.png'));
    expect(i2i.status).toBe(0);
    const params = parseInfotext(decodePng(await readFile(join(dir, 'i2i.png'))).text.parameters!).params;
    expect(params['Denoising strength']).toBe('0.25');
    expect(params['Mask blur']).toBeUndefined();
    const bad = cli('--inpaint', ...common(), '--image', join(dir, 'in.png'), '--mask', join(dir, 'small.png'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/mask .*small.png is 8×8 but image .*in.png is 16×16/);
    const noMask = cli('--inpaint', ...common(), '--image', join(dir, 'in.png'));
    expect(noMask.stderr).toMatch(/inpaint needs --image and --mask/);
  });
});
