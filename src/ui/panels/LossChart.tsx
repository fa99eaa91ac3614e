// Live loss chart of the training run: one SVG polyline per loss term that the engine reports (whatever keys
// arrive: total, loss_base, loss_bind, …), a legend with the latest values, and an optional log y-axis.
// Display only; non-finite and (on the log axis) non-positive values are skipped. Reference: the studio's training panel.
import { useId, useMemo, useState } from 'react';
import type { LossPoint } from '../../state/index';
import { useStudio } from '../hooks/useStudio';

const WIDTH = 280;
const HEIGHT = 120;
const PAD = 6;
const COLORS = ['#1f5fbf', '#d4471f', '#2e8b57', '#8a2be2', '#b8860b', '#c71585', '#20808d', '#555555'];

export type LossSeries = { name: string; color: string; points: string; last: number };

/** Polyline points of each loss term in a WIDTH×HEIGHT box (x: step, y: value, linear or log10). */
export function lossSeries(history: readonly LossPoint[], isLog: boolean): LossSeries[] {
  const names = [...new Set(history.flatMap((p) => Object.keys(p.losses)))];
  const y = (v: number) => (isLog ? Math.log10(v) : v);
  const usable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!isLog || v > 0);
  const values = history.flatMap((p) => Object.values(p.losses).filter(usable).map(y));
  const steps = history.map((p) => p.step);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const sx = (s: number) => PAD + (x1 > x0 ? (s - x0) / (x1 - x0) : 0.5) * (WIDTH - 2 * PAD);
  const sy = (v: number) => HEIGHT - PAD - (y1 > y0 ? (y(v) - y0) / (y1 - y0) : 0.5) * (HEIGHT - 2 * PAD);
  return names.map((name, i) => {
    const pts = history.filter((p) => usable(p.losses[name]));
    return {
      name,
      color: COLORS[i % COLORS.length]!,
      points: pts.map((p) => `${sx(p.step).toFixed(1)},${sy(p.losses[name]!).toFixed(1)}`).join(' '),
      last: pts.length ? pts[pts.length - 1]!.losses[name]! : Number.NaN,
    };
  });
}

export function LossChart() {
  const history = useStudio((s) => s.training.lossHistory);
  const [isLog, setLog] = useState(false);
  const series = useMemo(() => lossSeries(history, isLog), [history, isLog]);
  const titleId = useId();
  if (history.length === 0) return null;
  return (
    <figure className="loss-chart" aria-labelledby={titleId}>
      <figcaption id={titleId}>Losses by step ({history[0]!.step}–{history[history.length - 1]!.step})</figcaption>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Loss chart" data-testid="loss-chart">
        <rect x={0} y={0} width={WIDTH} height={HEIGHT} fill="#fafafa" stroke="#ccc" />
        {series.map((s) => (
          <polyline key={s.name} points={s.points} fill="none" stroke={s.color} strokeWidth={1.5} data-term={s.name} />
        ))}
      </svg>
      <ul className="legend" aria-label="Loss terms">
        {series.map((s) => (
          <li key={s.name}>
            <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.name === 'total' ? 'loss' : s.name} {Number.isFinite(s.last) ? s.last.toPrecision(4) : '—'}
          </li>
        ))}
      </ul>
      <label className="inline">
        <input type="checkbox" checked={isLog} onChange={(e) => setLog(e.target.checked)} />
        Log scale
      </label>
    </figure>
  );
}
