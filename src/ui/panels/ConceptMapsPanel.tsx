// Disentanglement view of the reference image during and after training: each learned token's attention map on
// the training view next to the user's mask at the same size, map-vs-mask IoU per concept and map-vs-map IoU per
// concept pair (state/overlap.ts). Display only; reads the store. Reference: the studio's training panel (maps update) and disentanglement view.
import { useEffect, useMemo, useRef } from 'react';
import { conceptOverlap } from '../../state/index';
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

export function ConceptMapsPanel() {
  const attention = useStudio((s) => s.training.attention);
  const concepts = useStudio((s) => s.project.concepts);
  const masks = useStudio((s) => s.editor.masks.present);
  const cropSize = useStudio((s) => s.project.reference?.crop.size ?? 0);
  const report = useMemo(() => (attention && cropSize > 0 ? conceptOverlap(attention, concepts, masks, cropSize) : null), [attention, concepts, masks, cropSize]);
  if (!report || report.concepts.length === 0) return null;
  const colorOf = (id: string) => concepts.find((c) => c.id === id)?.color ?? '#333333';
  return (
    <section className="panel compact" aria-labelledby="concept-maps-title" data-testid="concept-maps">
      <h2 id="concept-maps-title">Concepts vs masks (step {report.step})</h2>
      <p className="hint">Attention of each learned token on one training view of the reference image, next to its mask. That view may be zoomed or mirrored by the training augmentation, so the map–mask IoU is approximate. Map–mask IoU: higher is better; map–map IoU: lower means the concepts are apart.</p>
      <ul className="concept-maps">
        {report.concepts.map((c) => (
          <li key={c.conceptId}>
            <MapCanvas values={c.map.map} width={c.map.width} height={c.map.height} color={colorOf(c.conceptId)} label={`Attention map of ${c.token}`} />
            <MapCanvas values={c.mask} width={c.map.width} height={c.map.height} color={colorOf(c.conceptId)} label={`Mask of ${c.token}`} />
            <span data-testid="mask-iou">{c.token}: map–mask IoU {pct(c.maskIoU)}</span>
          </li>
        ))}
      </ul>
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
