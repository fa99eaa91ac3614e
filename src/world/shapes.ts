// Inside tests for the world's shape classes in object-local coordinates (u right, v down, radius 1).
// Pure geometry: circle, square, diamond, triangle and star as polygons/implicit curves, heart as the
// implicit curve (x² + y² − 1)³ − x²y³ ≤ 0.
import type { ShapeClass } from './vocab';

type Pt = [number, number];

const TRIANGLE: Pt[] = [[0, -0.95], [0.95, 0.7], [-0.95, 0.7]];
const STAR: Pt[] = Array.from({ length: 10 }, (_, k) => {
  const r = k % 2 === 0 ? 1 : 0.45;
  const a = -Math.PI / 2 + (k * Math.PI) / 5;
  return [r * Math.cos(a), r * Math.sin(a) + 0.08] as Pt;
});

function insidePolygon(u: number, v: number, poly: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i] as Pt;
    const [xj, yj] = poly[j] as Pt;
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Is local point (u, v) inside a shape of class `shape` with unit radius? */
export function insideShape(shape: ShapeClass, u: number, v: number): boolean {
  switch (shape) {
    case 'circle':
      return u * u + v * v <= 1;
    case 'square':
      return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    case 'diamond':
      return Math.abs(u) * 0.95 + Math.abs(v) <= 1;
    case 'triangle':
      return insidePolygon(u, v, TRIANGLE);
    case 'star':
      return insidePolygon(u, v, STAR);
    case 'heart': {
      const x = u * 1.25;
      const y = -v * 1.25 + 0.25;
      const a = x * x + y * y - 1;
      return a * a * a - x * x * y * y * y <= 0;
    }
  }
}
