// Files written for a generation: the image PNG's A1111 `parameters` chunk, per-token heatmaps, and the
// `npm run generate` CLI end to end on the tiny folder (exit code, files, one-line errors).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../../src/diffusion/image/png';
import { parseInfotext } from '../../../src/diffusion/image/infotext';
import { writeFilesToFolder } from '../../../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { imagePng, infotextOf, tokenHeatmapPngs } from '../../../src/diffusion/pipeline/output';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { nodeOrt } from '../../helpers/ort';
import { loadTiny } from '../loaders/tinyFolder';

describe('when writing a generated image', () => {
  it('stores prompt, negative prompt, steps, sampler, CFG, seed and size in the parameters chunk', async () => {
    const pipe = new Txt2ImgPipeline(nodeOrt(), await loadTiny({ seed: 4 }));
    const r = await pipe.generate({ prompt: 'a photo of a cat', negativePrompt: 'dog', seed: 42, steps: 2, sampler: 'DPM++ 2M Karras', guidanceScale: 6, attention: true });
    const png = decodePng(imagePng(r, 0));
    expect([png.width, png.height]).toEqual([16, 16]);
    expect(png.data[0]).toBe(r.rgb[0]);
    const info = parseInfotext(png.text.parameters!);
    expect(info.prompt).toBe('a photo of a cat');
    expect(info.negativePrompt).toBe('dog');
    expect(info.params).toMatchObject({ Steps: '2', Sampler: 'DPM++ 2M', 'Schedule type': 'Karras', 'CFG scale': '6', Seed: '42', Size: '16x16' });
    const maps = tokenHeatmapPngs(r.attention!, 0);
    expect([...maps.keys()]).toEqual(['01-a.png', '02-photo.png', '03-of.png', '04-a.png', '05-cat.png']);
    expect(decodePng(maps.get('05-cat.png')!).text.token).toBe('cat</w>');
    await pipe.dispose();
  });

  it('writes samplers A1111 runs by default without a schedule type', () => {
    const text = infotextOf({ prompt: 'p', negativePrompt: '', steps: 20, sampler: 'Euler a', cfgScale: 7.5, seed: 1, width: 512, height: 512, model: 'sd15' });
    expect(text).toBe('p\nNegative prompt: \nSteps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 1, Size: 512x512, Model: sd15, Version: DisenStudio 0.1.0');
  });

  it('tells DPM++ 2M from its Karras form, names DDPM in its own key, and writes the hashes it is given', () => {
    const base = { prompt: 'p', negativePrompt: 'n', steps: 20, cfgScale: 7, seed: 1, width: 512, height: 512, model: 'sd15' };
    expect(infotextOf({ ...base, sampler: 'DPM++ 2M' })).toContain('Sampler: DPM++ 2M, Schedule type: Uniform,');
    expect(infotextOf({ ...base, sampler: 'DPM++ 2M Karras' })).toContain('Sampler: DPM++ 2M, Schedule type: Karras,');
    const ddpm = infotextOf({ ...base, sampler: 'DDPM', modelHash: '0123456789', tiHashes: { cat1: 'aaaaaaaaaaaa', dog1: 'bbbbbbbbbbbb' }, loraHashes: { pack: 'cccccccccccc' } });
    expect(ddpm).not.toContain('Sampler: ');
    expect(ddpm).toBe('p\nNegative prompt: n\nSteps: 20, CFG scale: 7, Seed: 1, Size: 512x512, Model hash: 0123456789, Model: sd15, TI hashes: "cat1: aaaaaaaaaaaa, dog1: bbbbbbbbbbbb", Lora hashes: "pack: cccccccccccc", DisenStudio sampler: DDPM, Version: DisenStudio 0.1.0');
  });
});

describe('when running npm run generate', () => {
  let dir = '';
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'tools/generate.ts', ...args], { encoding: 'utf8', timeout: 600_000 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'disen-cli-'));
    await writeFilesToFolder(join(dir, 'tiny'), writeDiffusersFolder({ seed: 6 }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the image and one heatmap per prompt token, and repeats itself for the same seed', async () => {
    const args = ['--model', join(dir, 'tiny'), '--prompt', 'a cat and a dog', '--seed', '3', '--steps', '2', '--sampler', 'DDIM'];
    const first = cli(...args, '--out', join(dir, 'a.png'), '--attention-out', join(dir, 'maps'));
    expect(first.stderr).not.toMatch(/generate:/);
    expect(first.status).toBe(0);
    const second = cli(...args, '--out', join(dir, 'b.png'));
    expect(second.status).toBe(0);
    expect(await readFile(join(dir, 'b.png'))).toEqual(await readFile(join(dir, 'a.png')));
    expect((await readdir(join(dir, 'maps'))).sort()).toEqual(['01-a.png', '02-cat.png', '03-and.png', '04-a.png', '05-dog.png']);
    expect(parseInfotext(decodePng(await readFile(join(dir, 'a.png'))).text.parameters!).params).toMatchObject({ Seed: '3', Steps: '2', Sampler: 'DDIM', 'CFG scale': '7.5' });
  });

  it('fails with one line naming an unknown sampler or a missing part', async () => {
    const bad = cli('--model', join(dir, 'tiny'), '--prompt', 'x', '--sampler', 'k_euler', '--steps', '1');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/generate: ConfigError: Unknown sampler "k_euler"/);
    const missing = cli('--model', join(dir, 'nowhere'), '--prompt', 'x');
    expect(missing.stderr).toMatch(/generate: ModelAssetError: Model folder ".*nowhere" does not exist/);
  });
});
