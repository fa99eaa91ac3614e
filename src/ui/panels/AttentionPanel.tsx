// The disentanglement view: each generated image with its concept tokens' cross-attention maps drawn over it,
// one colour per concept (the concept's mask colour), a toggle per token and an opacity slider; plus a PNG
// download per image (A1111 parameters inside); while generating, the per-step preview. Reads the store only.
// Reference: the studio's generation panel, disentanglement view.
import { useEffect, useRef, useState } from 'react';
import type { GeneratedImage, TokenAttentionMap } from '../../state/index';
import { useStudio } from '../hooks/useStudio';

function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Draws `maps` (each coloured) as a transparent overlay canvas at the map resolution. */
function Overlay({ maps, colors, opacity }: { maps: readonly TokenAttentionMap[]; colors: Record<string, string>; opacity: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const first = maps[0];
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !first) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(first.width, first.height);
    for (let p = 0; p < first.width * first.height; p++) {
      let best = 0;
      let rgb: [number, number, number] = [0, 0, 0];
      for (const m of maps) {
        const v = m.map[p] ?? 0;
        if (v > best) [best, rgb] = [v, rgbOf(colors[m.token] ?? '#ffffff')];
      }
      img.data.set([rgb[0], rgb[1], rgb[2], Math.round(255 * best)], p * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [maps, colors, first]);
  if (!first) return null;
  return <canvas ref={ref} width={first.width} height={first.height} className="attention-overlay" style={{ opacity, position: 'absolute', inset: 0, width: '100%', height: '100%' }} aria-hidden="true" />;
}

export function ImageCard({ img, k, colors, opacity }: { img: GeneratedImage; k: number; colors: Record<string, string>; opacity: number }) {
  const [hidden, setHidden] = useState<Record<string, boolean>>({});
  const maps = (img.attention ?? []).filter((m) => !hidden[m.token]);
  return (
    <figure className="attention-card">
      <div className="attention-stack" style={{ position: 'relative', width: 192 }}>
        <img src={img.dataUrl} alt={`Attention view of image ${k + 1}`} style={{ display: 'block', width: '100%' }} />
        <Overlay maps={maps} colors={colors} opacity={opacity} />
      </div>
      <figcaption>
        {(img.attention ?? []).map((m) => (
          <label key={m.token} className="inline" style={{ color: colors[m.token] }}>
            <input type="checkbox" checked={!hidden[m.token]} onChange={(e) => setHidden({ ...hidden, [m.token]: !e.target.checked })} />
            {m.token}
          </label>
        ))}
        <a href={img.dataUrl} download={`disenstudio-${img.seed}.png`} role="button">Download PNG {k + 1}</a>
      </figcaption>
    </figure>
  );
}

/** The per-step preview of image 1 while a generation runs (latent-size RGB, scaled up by CSS). */
function StepPreview({ preview }: { preview: { width: number; height: number; rgb: Uint8Array } }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(preview.width, preview.height);
    for (let p = 0; p < preview.width * preview.height; p++) img.data.set([preview.rgb[p * 3] ?? 0, preview.rgb[p * 3 + 1] ?? 0, preview.rgb[p * 3 + 2] ?? 0, 255], p * 4);
    ctx.putImageData(img, 0, 0);
  }, [preview]);
  return <canvas ref={ref} width={preview.width} height={preview.height} style={{ width: 192, imageRendering: 'pixelated' }} aria-label="Preview of the image being generated" role="img" />;
}

export function AttentionPanel() {
  const images = useStudio((s) => s.generation.images);
  const concepts = useStudio((s) => s.project.concepts);
  const preview = useStudio((s) => (s.generation.status.kind === 'running' ? s.generation.progress?.preview : undefined));
  const [opacity, setOpacity] = useState(0.6);
  if (preview) {
    return (
      <section className="panel" aria-labelledby="attention-title">
        <h2 id="attention-title">Preview</h2>
        <StepPreview preview={preview} />
      </section>
    );
  }
  if (images.length === 0) return null;
  const colors = Object.fromEntries(concepts.map((c) => [c.token, c.color]));
  const hasMaps = images.some((i) => (i.attention ?? []).length > 0);
  return (
    <section className="panel" aria-labelledby="attention-title">
      <h2 id="attention-title">Results and attention</h2>
      {hasMaps ? (
        <label>
          Overlay opacity
          <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} />
        </label>
      ) : (
        <p className="notice">No learned concept token in this prompt: nothing to show per token.</p>
      )}
      {images.map((img, k) => (
        <ImageCard key={`${img.seed}-${k}`} img={img} k={k} colors={colors} opacity={opacity} />
      ))}
    </section>
  );
}
