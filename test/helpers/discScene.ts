// A synthetic photo for mask tools: a disc on a textured background, seeded, with its true mask; and the IoU of
// two masks (≥ 128 counts as painted). No DOM.
import type { PixelSquare } from '../../src/editor/index';
import { Rng } from '../../src/lib/index';

/** A disc (reddish, ±8 noise) on a textured background (4-px checkers of two greens, ±20 noise), seeded. */
export function discScene(side: number, cx: number, cy: number, r: number, seed = 7): { pixels: PixelSquare; disc: Uint8Array } {
  const rng = new Rng(seed);
  const data = new Uint8ClampedArray(side * side * 4);
  const disc = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const p = y * side + x;
      const isIn = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;
      disc[p] = isIn ? 255 : 0;
      const checker = ((x >> 2) + (y >> 2)) % 2 === 0;
      const base = isIn ? [200, 70, 60] : checker ? [70, 140, 90] : [110, 170, 120];
      const noise = isIn ? 8 : 20;
      for (let c = 0; c < 3; c++) data[4 * p + c] = base[c]! + Math.round((rng.uniform() * 2 - 1) * noise);
      data[4 * p + 3] = 255;
    }
  }
  return { pixels: { side, data }, disc };
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]! >= 128;
    const y = b[k]! >= 128;
    if (x && y) both++;
    if (x || y) either++;
  }
  return either === 0 ? 1 : both / either;
}
