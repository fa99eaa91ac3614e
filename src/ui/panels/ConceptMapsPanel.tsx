// Disentanglement view of the reference image during and after training: per concept the learned token's
// attention map next to its class word's map (DisenDiff's C_i, squared) and the user's mask, at any probed step
// (slider), with map-vs-mask IoU, map-vs-map IoU per concept pair, and the calibration over the steps: binding IoU
// (modifier vs class map, what L_bind raises) per concept and the class maps' overlap (what L_s&s lowers)
// (state/overlap.ts conceptOverlap, calibrationCurve). Display only; reads the store.
import { useEffect, useMemo, useRef, useState } from 'react';
import { calibrationCurve, conceptOverlap } from '../../state/index';
import type { CalibrationPoint } from '../../state/index';
import { useStudio } from '../hooks/useStudio';

function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A [height, width] map in [0, 1] drawn in `color` over white, scaled up by CSS. */
function MapCanvas({ values, width, height, color, label }: { values: Float32Array; width: number; height: number; color: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const [r, g, b] = rgbOf(color);
    const img = ctx.createImageData(width, height);
    for (let p = 0; p < width * height; p++) {
      const v = Math.min(1, Math.max(0, values[p] ?? 0));
      img.data.set([255 + (r - 255) * v, 255 + (g - 255) * v, 255 + (b - 255) * v, 255], p * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, width, height, color]);
  return <canvas ref={ref} width={width} height={height} className="concept-map" role="img" aria-label={label} style={{ width: 72, height: 72, imageRendering: 'pixelated' }} />;
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;

/** Binding IoU per concept and the class maps' overlap over the probed steps, as lines on a 0–100 % scale. */
function CalibrationCurves({ points, colors }: { points: readonly CalibrationPoint[]; colors: Record<string, string> }) {
  if (points.length < 2) return null;
  const w = 240;
  const h = 90;
  const first = points[0]!.step;
  const last = points[points.length - 1]!.step;
  const x = (step: number) => 24 + ((step - first) / Math.max(1, last - first)) * (w - 32);
  const y = (v: number) => 8 + (1 - v) * (h - 24);
  const line = (vals: { step: number; v: number }[]) => vals.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const tokens = [...new Set(points.flatMap((p) => p.binding.map((b) => b.token)))];
  const overlap = points.flatMap((p) => (p.classOverlap === null ? [] : [{ step: p.step, v: p.classOverlap }]));
  return (
    <figure className="calibration-curves">
      <svg width={w} height={h} role="img" aria-label="Calibration over the steps: binding IoU per concept and class-map overlap">
        <line x1={24} x2={w - 8} y1={y(0)} y2={y(0)} stroke="#999" />
        <text x={0} y={y(1) + 4} fontSize={9}>100%</text>
        <text x={8} y={y(0) + 3} fontSize={9}>0</text>
        <text x={24} y={h - 2} fontSize={9}>step {first}</text>
        <text x={w - 56} y={h - 2} fontSize={9}>step {last}</text>
        {tokens.map((t) => (
          <path key={t} d={line(points.flatMap((p) => p.binding.filter((b) => b.token === t).map((b) => ({ step: p.step, v: b.iou }))))} fill="none" stroke={colors[t] ?? '#333'} strokeWidth={2} />
        ))}
        {overlap.length > 1 && <path d={line(overlap)} fill="none" stroke="#555" strokeDasharray="4 3" strokeWidth={1.5} />}
      </svg>
      <figcaption>Solid: binding IoU of each token with its class word (higher = bound). Dashed: overlap of the class maps (lower = apart).</figcaption>
    </figure>
  );
}

export function ConceptMapsPanel() {
  const latest = useStudio((s) => s.training.attention);
  const history = useStudio((s) => s.training.attentionHistory);
  const concepts = useStudio((s) => s.project.concepts);
  const masks = useStudio((s) => s.editor.masks.present);
  const cropSize = useStudio((s) => s.project.reference?.crop.size ?? 0);
  const [picked, setPicked] = useState<number | null>(null);
  const shown = picked !== null && history[picked] ? history[picked] : latest;
  const report = useMemo(() => (shown && cropSize > 0 ? conceptOverlap(shown, concepts, masks, cropSize) : null), [shown, concepts, masks, cropSize]);
  const curve = useMemo(() => calibrationCurve(history, concepts), [history, concepts]);
  if (!report || report.concepts.length === 0 || !shown) return null;
  const colorOf = (id: string) => concepts.find((c) => c.id === id)?.color ?? '#333333';
  const colors = Object.fromEntries(concepts.map((c) => [c.token, c.color]));
  const bindingAt = curve.find((p) => p.step === report.step);
  return (
    <section className="panel compact" aria-labelledby="concept-maps-title" data-testid="concept-maps">
      <h2 id="concept-maps-title">Concepts: token, class word, mask (step {report.step})</h2>
      <p className="hint">Per concept: the learned token's attention on one training view of the reference image, its class word's map (as DisenDiff's calibration sees it: normalised, blurred, squared), and its mask. Calibration binds the token's map to the class word's and keeps the class words apart. The view may be zoomed or mirrored by the training augmentation, so the map–mask IoU is approximate.</p>
      {history.length > 1 && (
        <label className="inline">
          Step
          <input type="range" min={0} max={history.length - 1} value={picked ?? history.length - 1} onChange={(e) => setPicked(Number(e.target.value) === history.length - 1 ? null : Number(e.target.value))} aria-label="Attention snapshot step" />
        </label>
      )}
      <ul className="concept-maps">
        {report.concepts.map((c) => {
          const concept = concepts.find((k) => k.id === c.conceptId);
          const index = shown.maps.findIndex((m) => m.token === c.token);
          const cls = index >= 0 ? shown.maps[shown.maps.length / 2 + index] : undefined;
          const binding = bindingAt?.binding.find((b) => b.token === c.token);
          return (
            <li key={c.conceptId}>
              <MapCanvas values={c.map.map} width={c.map.width} height={c.map.height} color={colorOf(c.conceptId)} label={`Attention map of ${c.token}`} />
              {cls && <MapCanvas values={cls.map} width={cls.width} height={cls.height} color="#444444" label={`Class-word map of ${concept?.classWord ?? ''}`} />}
              <MapCanvas values={c.mask} width={c.map.width} height={c.map.height} color={colorOf(c.conceptId)} label={`Mask of ${c.token}`} />
              <span data-testid="mask-iou">{c.token}: map–mask IoU {pct(c.maskIoU)}</span>
              {binding && <span data-testid="binding-iou">binding IoU with “{concept?.classWord}” {pct(binding.iou)}</span>}
            </li>
          );
        })}
      </ul>
      {bindingAt?.classOverlap !== null && bindingAt?.classOverlap !== undefined && <p data-testid="class-overlap">Class-word maps overlap {pct(bindingAt.classOverlap)}</p>}
      <CalibrationCurves points={curve} colors={colors} />
      {report.pairs.length > 0 && (
        <table className="overlap-table">
          <caption>Overlap between concepts (map–map IoU)</caption>
          <tbody>
            {report.pairs.map((p) => (
              <tr key={`${p.a}|${p.b}`}>
                <th scope="row">{p.a} × {p.b}</th>
                <td data-testid="pair-iou">{pct(p.iou)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
