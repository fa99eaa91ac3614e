// `npm run bench:snap`: time of the mask editor's snap to edges and magic wand on a 512² square (the largest the
// studio decodes), as the store runs them: box-average to 256, SLIC, coverage + colour vote (editor/slic.ts), and
// a wand click at full size (editor/region.ts). Seeded synthetic photo (test/helpers/discScene.ts: a disc on
// noisy checkers). Median of 5 runs after one warm-up; IoUs against the disc. Prints JSON.
import { downsamplePixels, imagePoint, rasterizeLayer, slic, snapToEdges, wandRegion } from '../../src/editor/index';
import type { ImagePx } from '../../src/editor/index';
import { discScene, iou } from '../../test/helpers/discScene';

const SIDE = 512;
const SNAP = 256;
const { pixels, disc } = discScene(SIDE, 240, 264, 120);
const rough = rasterizeLayer({ conceptId: 'c', ops: [{ kind: 'stroke', mode: 'add', radius: 144 as ImagePx, points: [imagePoint(260, 248)] }] }, SIDE, SNAP);
const truth = rasterizeLayer({ conceptId: 'c', ops: [{ kind: 'stroke', mode: 'add', radius: 120 as ImagePx, points: [imagePoint(240, 264)] }] }, SIDE, SNAP);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = <T>(f: () => T): [number, T] => {
  const t0 = performance.now();
  const out = f();
  return [performance.now() - t0, out];
};

const runs: { slicMs: number; snapMs: number; wandMs: number }[] = [];
let snapped: Uint8Array = new Uint8Array(0);
let wand: Uint8Array = new Uint8Array(0);
for (let k = 0; k < 6; k++) {
  const [slicMs, seg] = time(() => {
    const small = downsamplePixels(pixels, SNAP);
    return { small, labels: slic(small) };
  });
  const [snapMs, s] = time(() => snapToEdges(rough, seg.small, seg.labels));
  const [wandMs, w] = time(() => wandRegion(pixels, imagePoint(240, 264), SIDE, 32));
  snapped = s;
  wand = w;
  if (k > 0) runs.push({ slicMs, snapMs, wandMs });
}
process.stdout.write(`${JSON.stringify({
  bench: 'mask-snap', square: SIDE, snapSide: SNAP, runs: runs.length,
  medianMs: { slic: Math.round(median(runs.map((r) => r.slicMs))), snap: Math.round(median(runs.map((r) => r.snapMs))), wand: Math.round(median(runs.map((r) => r.wandMs))) },
  iou: { rough: Math.round(iou(rough, truth) * 1000) / 1000, snapped: Math.round(iou(snapped, truth) * 1000) / 1000, wand: Math.round(iou(wand, disc) * 1000) / 1000 },
}, null, 2)}\n`);
