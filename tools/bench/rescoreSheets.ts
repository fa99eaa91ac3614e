// `npm run bench:disentangle:pixels -- <bench.json> <sheet dir> [--json]`: re-scores a saved bench:disentangle run
// with the pixel-share figures (src/train/loop/disentanglement.ts referencePalette / pixelShares) from its contact
// sheets (--save DIR: row 0 the reference, then one row per single-concept prompt, then the combined prompt; tiles
// zoomed ×2 nearest, so every generated pixel is recovered exactly). The reference scenes are re-rendered from
// HELD_OUT_SCENES as the bench does. Prints the bench JSON with, per variant and scene, `pixel`:
//   leakage = mean share_j over images of <ci> alone (j ≠ i), own = mean share_i, empty = images whose own and
//   other shares sum below 1% (nothing of either concept drawn: the small model's empty canvas).
// bench:disentangle:compare pools these figures like the others. Runs since 2026-11-28 compute them directly.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodePng } from '../../src/diffusion/image/png';
import { pixelFigures, pixelShares, referencePalette } from '../../src/train/loop/disentanglement';
import type { PixelShareImage } from '../../src/train/loop/disentanglement';
import { SHEET_GAP, SHEET_ZOOM } from './contactSheet';
import { HELD_OUT_SCENES, VARIANTS } from './disentangleScenes';
import { referenceScene } from './worldScenes';

const ZOOM = SHEET_ZOOM;
const GAP = SHEET_GAP;

type Settings = { first: number; seed: number; images: number };
type PerScene = { scene: number; pixel?: { leakage: number; own: number; empty: number } };
type Report = { settings: Settings & Record<string, unknown>; variants: { variant: string; perScene: PerScene[]; pixel?: unknown }[] };

/** Tile (row r, column c) of a contact sheet as [size²·4] RGBA at the original size. */
function tile(png: ReturnType<typeof decodePng>, size: number, r: number, c: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const span = size * ZOOM + GAP;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = ((GAP + r * span + y * ZOOM) * png.width + GAP + c * span + x * ZOOM) * 4;
      out.set(png.data.subarray(src, src + 4), (y * size + x) * 4);
    }
  }
  return out;
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  const [file, dir] = positionals;
  if (!file || !dir) throw new Error('usage: bench:disentangle:pixels -- <bench.json> <sheet dir> [--json]');
  const report = JSON.parse(await readFile(file, 'utf8')) as Report;
  const { first, images } = report.settings;
  for (const v of report.variants) {
    const key = VARIANTS.find((x) => x.name === v.variant)?.key;
    if (!key) throw new Error(`no bench variant is named "${v.variant}"`);
    const all: PixelShareImage[] = [];
    for (const ps of v.perScene) {
      const spec = HELD_OUT_SCENES[ps.scene % HELD_OUT_SCENES.length] as (typeof HELD_OUT_SCENES)[number];
      const png = decodePng(new Uint8Array(await readFile(join(dir, `${key}-scene${ps.scene}.png`))));
      const size = (png.height - GAP) / (spec.length + 2) - GAP;
      if (!Number.isInteger(size / ZOOM)) throw new Error(`${key}-scene${ps.scene}.png is not a ${spec.length + 2}-row contact sheet`);
      const px = size / ZOOM;
      const ref = referenceScene(spec, 100 + ps.scene, px);
      const palette = referencePalette(ref.rendered.rgba, ref.rendered.masks);
      const shown: PixelShareImage[] = spec.flatMap((_, i) => Array.from({ length: images }, (_b, b) => ({ concept: i, shares: pixelShares(palette, tile(png, px, 1 + i, b), spec.length) })));
      const f = pixelFigures(shown);
      ps.pixel = { leakage: round(f.leakage), own: round(f.own), empty: f.empty };
      all.push(...shown);
    }
    const f = pixelFigures(all);
    v.pixel = { leakage: round(f.leakage), own: round(f.own), empty: f.empty };
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : report.variants.map((v) => `${v.variant} (seed ${report.settings.seed}, first ${first}): ${JSON.stringify(v.pixel)}`).join('\n'));
}

main().catch((e: unknown) => {
  console.error(`bench:disentangle:pixels: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
