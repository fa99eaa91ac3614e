// Progress bar of `npm run train:base` on stderr: bar, step/total, loss (last and running mean), s/step, ETA.
// Only formats and writes one line; never touches training state.
export function progressLine(label: string, step: number, total: number, loss: number, mean: number, secPerStep: number): string {
  const width = 24;
  const frac = total > 0 ? Math.min(1, step / total) : 1;
  const filled = Math.round(frac * width);
  const eta = Math.max(0, (total - step) * secPerStep);
  const mmss = `${Math.floor(eta / 60)}m${String(Math.round(eta % 60)).padStart(2, '0')}s`;
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}/${total} loss ${loss.toFixed(4)} (mean50 ${mean.toFixed(4)}) ${secPerStep.toFixed(2)} s/step ETA ${mmss}`;
}

/** Writes the line in place on a TTY, one line per `every` steps otherwise (log files). */
export function reportProgress(line: string, step: number, every = 10): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else if (step % every === 0 || step === 1) process.stderr.write(`${line}\n`);
}
