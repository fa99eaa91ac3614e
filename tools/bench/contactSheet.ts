// A contact sheet PNG of benchmark images: rows of equally sized RGBA tiles, each scaled ×`zoom` (nearest), 4 px
// white gaps. bench:disentangle --save writes one per variant and scene (reference, then each prompt's images), so
// the figures can be looked at. Node tools only.
import { encodePngAsync } from '../../src/diffusion/index';

export type Tile = { size: number; rgba: Uint8ClampedArray | Uint8Array };

/** The white gap between tiles and the default zoom, in pixels / times (readers of a sheet need them too). */
export const SHEET_GAP = 4;
export const SHEET_ZOOM = 2;

/** Deflated PNG bytes of `rows` (ragged rows allowed; every tile must share one size). */
export async function contactSheet(rows: readonly (readonly Tile[])[], zoom = SHEET_ZOOM): Promise<Uint8Array> {
  const size = rows[0]?.[0]?.size ?? 0;
  if (!size) throw new Error('contactSheet: no tiles');
  const gap = SHEET_GAP;
  const tile = size * zoom;
  const cols = Math.max(...rows.map((r) => r.length));
  const w = cols * (tile + gap) + gap;
  const h = rows.length * (tile + gap) + gap;
  const data = new Uint8Array(w * h * 3).fill(255);
  rows.forEach((row, r) => row.forEach((img, c) => {
    if (img.size !== size) throw new Error(`contactSheet: tiles of ${img.size} and ${size} px`);
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile; x++) {
        const src = (Math.floor(y / zoom) * size + Math.floor(x / zoom)) * 4;
        const dst = ((gap + r * (tile + gap) + y) * w + gap + c * (tile + gap) + x) * 3;
        for (let k = 0; k < 3; k++) data[dst + k] = img.rgba[src + k] as number;
      }
    }
  }));
  return encodePngAsync({ width: w, height: h, channels: 3, data });
}
