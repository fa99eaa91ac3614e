// Pixel-grid helpers of the evaluator's 64×64 working image: its side and 4-/8-neighbourhoods of a flat index
// p = y·64 + x. Pure; no I/O.

/** Side of the image the evaluator works on (larger inputs are box-downsampled to it). */
export const SEG_SIZE = 64;

/** The 4-neighbours of pixel p inside the image. */
export function neighbours(p: number): number[] {
  const s = SEG_SIZE;
  const [x, y] = [p % s, Math.floor(p / s)];
  const out: number[] = [];
  if (x > 0) out.push(p - 1);
  if (x < s - 1) out.push(p + 1);
  if (y > 0) out.push(p - s);
  if (y < s - 1) out.push(p + s);
  return out;
}

/** The 8-neighbours of pixel p inside the image. */
export function neighbours8(p: number): number[] {
  const s = SEG_SIZE;
  const [x, y] = [p % s, Math.floor(p / s)];
  const out: number[] = [];
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    if ((dx || dy) && x + dx >= 0 && x + dx < s && y + dy >= 0 && y + dy < s) out.push(p + dy * s + dx);
  }
  return out;
}
