// Raster figures for the model card: a loss curve (log-scale y, raw losses faint, 25-step moving average
// solid, one panel per stage) and an image grid. Pure pixel drawing into RGB buffers; the caller encodes PNG.
export type Rgb = { width: number; height: number; data: Uint8Array };

const blank = (width: number, height: number): Rgb => ({ width, height, data: new Uint8Array(width * height * 3).fill(255) });

function dot(img: Rgb, x: number, y: number, c: readonly number[]): void {
  const xi = Math.round(x), yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= img.width || yi >= img.height) return;
  img.data.set(c, (yi * img.width + xi) * 3);
}

function line(img: Rgb, x0: number, y0: number, x1: number, y1: number, c: readonly number[]): void {
  const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let i = 0; i <= n; i++) dot(img, x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n, c);
}

export function movingAverage(xs: readonly number[], k: number): number[] {
  return xs.map((_, i) => {
    const s = xs.slice(Math.max(0, i - k + 1), i + 1);
    return s.reduce((a, v) => a + v, 0) / s.length;
  });
}

/** One panel per series, side by side; y is log10(loss) between the series' min and max, grid at each decade. */
export function lossCurve(series: readonly (readonly number[])[], panelW = 400, panelH = 260): Rgb {
  const img = blank(panelW * series.length, panelH);
  series.forEach((losses, p) => {
    const x0 = p * panelW + 30, w = panelW - 45, y0 = 15, h = panelH - 40;
    const logs = losses.map((v) => Math.log10(Math.max(v, 1e-8)));
    const lo = Math.floor(Math.min(...logs)), hi = Math.ceil(Math.max(...logs));
    const Y = (v: number): number => y0 + h - ((v - lo) / Math.max(hi - lo, 1e-9)) * h;
    const X = (i: number): number => x0 + (i / Math.max(losses.length - 1, 1)) * w;
    for (let d = lo; d <= hi; d++) line(img, x0, Y(d), x0 + w, Y(d), [225, 225, 225]);
    line(img, x0, y0, x0, y0 + h, [0, 0, 0]);
    line(img, x0, y0 + h, x0 + w, y0 + h, [0, 0, 0]);
    logs.forEach((v, i) => dot(img, X(i), Y(v), [170, 200, 240]));
    const avg = movingAverage(logs, 25);
    for (let i = 1; i < avg.length; i++) line(img, X(i - 1), Y(avg[i - 1] as number), X(i), Y(avg[i] as number), [20, 60, 160]);
  });
  return img;
}

/** Grid of equal square RGB tiles (row-major), each upscaled ×`scale` (nearest), 2-pixel white gutters. */
export function imageGrid(tiles: readonly Uint8Array[], size: number, cols: number, scale = 2): Rgb {
  const rows = Math.ceil(tiles.length / cols), cell = size * scale + 2;
  const img = blank(cols * cell, rows * cell);
  tiles.forEach((t, k) => {
    const ox = (k % cols) * cell + 1, oy = Math.floor(k / cols) * cell + 1;
    for (let y = 0; y < size * scale; y++) {
      for (let x = 0; x < size * scale; x++) {
        const s = (Math.floor(y / scale) * size + Math.floor(x / scale)) * 3;
        img.data.set(t.subarray(s, s + 3), ((oy + y) * img.width + ox + x) * 3);
      }
    }
  });
  return img;
}
