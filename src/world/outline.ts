// The outline of a world object as a polygon in unit image coordinates: for each of `n` directions from the
// object's centre, the farthest point still inside the shape (insideShape, marched outward in 1/400 of the
// radius). Every world shape is star-shaped around its centre, so the polygon is its boundary to within one
// march step; used for exact masks of rendered example scenes. Pure.
import type { WorldObject } from './scene';
import { insideShape } from './shapes';

const MARCH = 400;
/** shapes reach at most this far from the centre, in radii */
const REACH = 1.5;

/** `n` boundary points [x, y] of `o` in unit image coordinates (0..1, y down), counter-clockwise from +x. */
export function objectOutline(o: WorldObject, n = 96): [number, number][] {
  const c = Math.cos(o.angle);
  const s = Math.sin(o.angle);
  const points: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const theta = (2 * Math.PI * k) / n;
    // direction in the object's frame (u, v), as render.ts maps image offsets to it
    const du = Math.cos(theta);
    const dv = Math.sin(theta);
    let r = 0;
    for (let i = 1; i <= MARCH; i++) {
      const t = (REACH * i) / MARCH;
      if (insideShape(o.shape, du * t, dv * t)) r = t;
    }
    // inverse of u = c·dx + s·dy, v = −s·dx + c·dy
    const dx = (c * du - s * dv) * r;
    const dy = (s * du + c * dv) * r;
    points.push([o.cx + dx * o.radius, o.cy + dy * o.radius]);
  }
  return points;
}
