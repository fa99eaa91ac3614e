// Renders a Scene to RGBA pixels (supersampled anti-aliasing) and one coverage mask per object. Pure: the
// same scene always gives the same bytes, in Node and in the browser.
import type { Scene, WorldObject } from './scene';
import { insideShape } from './shapes';
import { BACKGROUND_RGB, COLOR_RGB } from './vocab';

export type Rendered = {
  size: number;
  /** [size, size, 4] row-major RGBA, alpha 255 */
  rgba: Uint8ClampedArray;
  /** per object: [size, size] coverage 0..255 (fraction of subsamples inside) */
  masks: Uint8Array[];
};

/** The pattern's second colour: darker for light colours, lighter for dark ones. */
export function secondaryColor(rgb: [number, number, number]): [number, number, number] {
  const lum = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  return lum > 140 ? (rgb.map((c) => c * 0.45) as [number, number, number]) : (rgb.map((c) => c + (255 - c) * 0.6) as [number, number, number]);
}

function patternMix(o: WorldObject, u: number, v: number): number {
  switch (o.pattern) {
    case 'solid': return 0;
    case 'striped': return Math.floor((u + 1.2) * 2.5) % 2;
    case 'dotted': {
      const gu = u * 2.2 - Math.round(u * 2.2);
      const gv = v * 2.2 - Math.round(v * 2.2);
      return gu * gu + gv * gv < 0.09 ? 1 : 0;
    }
    case 'checkered': return (Math.floor((u + 1.2) * 2.2) + Math.floor((v + 1.2) * 2.2)) % 2;
    case 'gradient': return Math.min(1, Math.max(0, (v + 1) / 2));
  }
}

/** Colour of object `o` at unit point (x, y), or undefined when outside it. */
function sampleObject(o: WorldObject, x: number, y: number): [number, number, number] | undefined {
  const dx = (x - o.cx) / o.radius;
  const dy = (y - o.cy) / o.radius;
  const c = Math.cos(o.angle);
  const s = Math.sin(o.angle);
  const u = c * dx + s * dy;
  const v = -s * dx + c * dy;
  if (!insideShape(o.shape, u, v)) return undefined;
  const base = COLOR_RGB[o.color];
  const sec = secondaryColor(base);
  const t = patternMix(o, u, v);
  return [base[0] + (sec[0] - base[0]) * t, base[1] + (sec[1] - base[1]) * t, base[2] + (sec[2] - base[2]) * t];
}

/** Renders `scene` at `size`×`size` with `ss`×`ss` supersampling. */
export function renderScene(scene: Scene, size = 64, ss = 3): Rendered {
  const rgba = new Uint8ClampedArray(size * size * 4);
  const masks = scene.objects.map(() => new Uint8Array(size * size));
  const bg = BACKGROUND_RGB[scene.background];
  const inv = 1 / (size * ss);
  const hits = new Array<number>(scene.objects.length);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0;
      hits.fill(0);
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px * ss + sx + 0.5) * inv;
          const y = (py * ss + sy + 0.5) * inv;
          let col: [number, number, number] = [bg[0] * (1.08 - 0.16 * y), bg[1] * (1.08 - 0.16 * y), bg[2] * (1.08 - 0.16 * y)];
          for (let k = scene.objects.length - 1; k >= 0; k--) {
            const c = sampleObject(scene.objects[k] as WorldObject, x, y);
            if (c) {
              col = c;
              hits[k] = (hits[k] as number) + 1;
              break;
            }
          }
          r += col[0]; g += col[1]; b += col[2];
        }
      }
      const n = ss * ss;
      const i = (py * size + px) * 4;
      rgba[i] = r / n; rgba[i + 1] = g / n; rgba[i + 2] = b / n; rgba[i + 3] = 255;
      hits.forEach((h, k) => ((masks[k] as Uint8Array)[py * size + px] = Math.round((h / n) * 255)));
    }
  }
  return { size, rgba, masks };
}
