// `npm run bench:decode`: time and peak memory to accept or refuse an 8192×8192 PNG (MAX_PNG_PIXELS, the PNG
// decoder's largest) through the project's own decoder, src/diffusion/image/png.ts, in Node. Each case runs in a
// child process (tools/bench/decodeChild.ts) for its own peak RSS, --runs times (median ms, largest peak):
//   decodePng       pixels + text: the CLIs' path (personalize --image, generate/inpaint --init, tools/lib/initImage.ts)
//   settings        text only (readPngText + readGenerationSettings): the studio's path when a PNG is dropped on the
//                   Generation panel to read its settings (src/app/App.tsx)
//   refused         decodePng of the same file with its header saying 8192×8193: refused before any allocation
// The studio's reference image does not go through this decoder: the browser decodes it (createImageBitmap,
// src/ui/canvas/decodeImage.ts) and a canvas downscales it to 2048 px a side (state/image.ts planDownscale).
// The image: seeded (Rng 1) RGB, a smooth gradient plus ±12 noise (a photograph-like ratio after deflate), with an
// A1111 `parameters` chunk, encoded by encodePngAsync (CompressionStream). Prints ONE JSON object; --out FILE also
// writes it. Options: --side N (8192), --runs N (3), --out FILE. No timing assertions anywhere.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { crc32, encodePngAsync, MAX_PNG_PIXELS } from '../../src/diffusion/index';
import { Rng } from '../../src/lib/random';
import { median } from './stats';

const { values: a } = parseArgs({ options: { side: { type: 'string', default: '8192' }, runs: { type: 'string', default: '3' }, out: { type: 'string' } } });
const side = Number(a.side);
const runs = Number(a.runs);
if (!Number.isInteger(side) || side < 1 || side * side > MAX_PNG_PIXELS) throw new Error(`--side must be an integer in 1..${Math.sqrt(MAX_PNG_PIXELS)}, got "${a.side}"`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${a.runs}"`);

function image(n: number): Uint8Array {
  const rng = new Rng(1);
  const data = new Uint8Array(n * n * 3);
  for (let y = 0, i = 0; y < n; y++) {
    for (let x = 0; x < n; x++, i += 3) {
      const g = ((x + y) * 255) / (2 * n);
      data[i] = Math.max(0, Math.min(255, g + (rng.uniform() - 0.5) * 24));
      data[i + 1] = Math.max(0, Math.min(255, (x * 255) / n + (rng.uniform() - 0.5) * 24));
      data[i + 2] = Math.max(0, Math.min(255, (y * 255) / n + (rng.uniform() - 0.5) * 24));
    }
  }
  return data;
}

/** The same PNG with its IHDR height one row more (CRC fixed): over MAX_PNG_PIXELS at side 8192. */
function taller(png: Uint8Array): Uint8Array {
  const b = png.slice();
  const v = new DataView(b.buffer);
  v.setUint32(20, v.getUint32(20) + 1);
  v.setUint32(29, crc32(b.subarray(12, 29)));
  return b;
}

function runChild(kase: string, file: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', join(import.meta.dirname, 'decodeChild.ts'), kase, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench:decode: case ${kase} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-decode-'));
try {
  let t = performance.now();
  const pixels = image(side);
  const makeMs = performance.now() - t;
  t = performance.now();
  const png = await encodePngAsync({ width: side, height: side, channels: 3, data: pixels }, { parameters: 'a photo of a cat\nSteps: 20, Sampler: DDIM, CFG scale: 7, Seed: 1234, Size: 512x512' });
  const encodeMs = performance.now() - t;
  const good = join(dir, 'big.png');
  const bad = join(dir, 'taller.png');
  await writeFile(good, png);
  await writeFile(bad, taller(png));
  const cases = [['decodePng', 'decodePng', good], ['settings', 'settings', good], ['refused', 'decodePng', bad]] as const;
  const results: Record<string, unknown> = {};
  for (const [name, kase, file] of cases) {
    const all = Array.from({ length: runs }, () => runChild(kase, file));
    const first = all[0] as Record<string, unknown>;
    results[name] = {
      ...first,
      ms: median(all.map((r) => r.ms as number)), msAll: all.map((r) => r.ms),
      maxRssMB: Math.max(...all.map((r) => r.maxRssMB as number)), rssBeforeMB: Math.max(...all.map((r) => r.rssBeforeMB as number)),
      rssAddedMB: Math.max(...all.map((r) => (r.rssAfterMB as number) - (r.rssBeforeMB as number))),
      arrayBuffersAddedMB: Math.max(...all.map((r) => (r.arrayBuffersAfterMB as number) - (r.arrayBuffersBeforeMB as number))),
    };
  }
  const report = {
    bench: 'decode', date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    image: { side, channels: 3, rawMB: Math.round(pixels.length / 2 ** 20), fileMB: Math.round((png.length / 2 ** 20) * 10) / 10, makeMs: Math.round(makeMs), encodeMs: Math.round(encodeMs), maxPngPixels: MAX_PNG_PIXELS },
    runs, cases: results,
    notes: 'Per case, over the runs: ms median (msAll each run); rssAddedMB and arrayBuffersAddedMB the largest growth of the child process RSS and of its typed-array bytes from after reading the file to right after the case, its result still held (live data plus garbage not yet collected: what the process pays then). maxRssMB is the child high-water mark, which tsx start-up already raises past one decode. Timings depend on loadavg (the machine is shared). The studio reference image is decoded by the browser (createImageBitmap, src/ui/canvas/decodeImage.ts), not by this decoder.',
  };
  const text = JSON.stringify(report, null, 2);
  process.stdout.write(`${text}\n`);
  if (a.out) await writeFile(a.out, `${text}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
