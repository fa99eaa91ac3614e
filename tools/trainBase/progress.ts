// Progress bar of npm run train:base on stderr: stage, step/total, loss (mean of the last 50), it/s and ETA.
// On a TTY the line is redrawn in place; otherwise one line is printed every `every` steps. No other output.
export class Progress {
  private readonly t0 = performance.now();
  private readonly window: number[] = [];

  constructor(private readonly label: string, private readonly start: number, private total: number, private readonly every = 25) {}

  /** A new planned total (a --minutes budget re-planned the stage). */
  retarget(total: number): void {
    this.total = total;
  }

  /** Records the loss of step `step` (1-based, absolute) and redraws. */
  tick(step: number, loss: number): void {
    this.window.push(loss);
    if (this.window.length > 50) this.window.shift();
    const tty = process.stderr.isTTY;
    if (!tty && step % this.every !== 0 && step !== this.total) return;
    const done = step - this.start;
    const rate = done / ((performance.now() - this.t0) / 1000);
    const eta = rate > 0 ? (this.total - step) / rate : 0;
    const frac = step / this.total;
    const bar = '█'.repeat(Math.round(frac * 24)).padEnd(24, '░');
    const mean = this.window.reduce((a, b) => a + b, 0) / this.window.length;
    const line = `[${this.label}] ${bar} ${step}/${this.total} ${(frac * 100).toFixed(0)}%  loss ${mean.toFixed(4)}  ${rate.toFixed(2)} it/s  ETA ${clock(eta)}`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  }

  end(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}

/** Seconds as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
