// Loss-curve PNG of npm run train:base: one panel per stage (A: VAE loss, B: ε-MSE), x = step, y = log10 loss
// between the panel's min and max; grey dots = per-step loss, blue line = 50-step moving mean. Horizontal
// gridlines at every power of ten within range. Pure raster drawing; the card states the axes in words.
import { encodePng } from '../../src/diffusion/image/png';

const W = 360;
const H = 220;
const PAD = 12;

type Canvas = { data: Uint8Array; width: number };

function dot(c: Canvas, x: number, y: number, rgb: [number, number, number]): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= c.width || yi >= c.data.length / 3 / c.width) return;
  c.data.set(rgb, (yi * c.width + xi) * 3);
}

function movingMean(xs: readonly number[], k: number): number[] {
  let s = 0;
  return xs.map((v, i) => {
    s += v - (i >= k ? (xs[i - k] as number) : 0);
    return s / Math.min(i + 1, k);
  });
}

function panel(c: Canvas, x0: number, losses: readonly number[]): void {
  const logs = losses.map((v) => Math.log10(Math.max(v, 1e-8)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const sx = (i: number): number => x0 + PAD + ((W - 2 * PAD) * i) / Math.max(1, losses.length - 1);
  const sy = (v: number): number => H - PAD - ((H - 2 * PAD) * (v - lo)) / Math.max(1e-9, hi - lo);
  for (let x = x0 + PAD; x <= x0 + W - PAD; x++) for (const y of [PAD, H - PAD]) dot(c, x, y, [0, 0, 0]);
  for (let y = PAD; y <= H - PAD; y++) for (const x of [x0 + PAD, x0 + W - PAD]) dot(c, x, y, [0, 0, 0]);
  for (let p = Math.ceil(lo); p <= Math.floor(hi); p++) for (let x = x0 + PAD; x <= x0 + W - PAD; x += 3) dot(c, x, sy(p), [170, 170, 170]);
  logs.forEach((v, i) => dot(c, sx(i), sy(v), [120, 120, 120]));
  const smooth = movingMean(losses, 50).map((v) => Math.log10(Math.max(v, 1e-8)));
  for (let i = 1; i < smooth.length; i++) {
    const steps = Math.max(1, Math.ceil(Math.abs(sy(smooth[i] as number) - sy(smooth[i - 1] as number)) + 1));
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      dot(c, sx(i - 1 + t), sy((smooth[i - 1] as number) * (1 - t) + (smooth[i] as number) * t), [20, 70, 200]);
    }
  }
}

/** PNG with the two panels side by side (stage A left, stage B right). */
export function lossCurvePng(vaeLoss: readonly number[], unetLoss: readonly number[]): Uint8Array {
  const width = 2 * W;
  const c: Canvas = { data: new Uint8Array(width * H * 3).fill(255), width };
  if (vaeLoss.length > 0) panel(c, 0, vaeLoss);
  if (unetLoss.length > 0) panel(c, W, unetLoss);
  return encodePng({ width, height: H, channels: 3, data: c.data });
}
