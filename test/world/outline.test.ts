// objectOutline: the traced polygon of each world shape, rasterised by the mask editor, covers the rendered
// object's own mask (render.ts) with IoU ≥ 0.97 at 128 px; and the example project gets those masks and class words.
import { describe, expect, it } from 'vitest';
import { imagePoint, rasterizeLayer } from '../../src/editor/index';
import { exampleToProject } from '../../src/state/example';
import { objectOutline, renderScene, SHAPES } from '../../src/world/index';
import type { WorldObject } from '../../src/world/index';
import { makeExample } from '../../src/app/example';

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128;
    const y = b[i]! >= 128;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return inter / union;
}

describe('when a world object is outlined as a polygon', () => {
  it.each(SHAPES)('the %s polygon matches its rendered mask', (shape) => {
    const size = 128;
    const o: WorldObject = { shape, color: 'red', pattern: 'solid', size: 'large', cx: 0.5, cy: 0.45, radius: 0.3, angle: 0.2 };
    const rendered = renderScene({ background: 'grey', objects: [o] }, size, 4).masks[0]!;
    const points = objectOutline(o).map(([x, y]) => imagePoint(x * size, y * size));
    const mask = rasterizeLayer({ conceptId: 'c', ops: [{ kind: 'polygon', mode: 'add', points }] }, size, size);
    expect(iou(mask, rendered)).toBeGreaterThanOrEqual(0.97);
  });

  it('the example project has the circle and the square with their own class words and non-overlapping masks', () => {
    const { reference, concepts, masks } = exampleToProject(makeExample());
    expect(concepts.map((c) => [c.token, c.classWord])).toEqual([['<circle1>', 'circle'], ['<square2>', 'square']]);
    expect(reference.crop).toEqual({ x: 0, y: 0, size: 256 });
    const a = rasterizeLayer(masks.c1!, 256, 64);
    const b = rasterizeLayer(masks.c2!, 256, 64);
    expect(a.some((v, i) => v > 0 && b[i]! > 0)).toBe(false);
    expect(a.filter((v) => v > 0).length).toBeGreaterThan(300);
  });
});
