// Live training losses (latest values and the per-term chart), the concept-pack export button and, after a run, the
// export's per-tool usage (which file goes where, the prompt that works). The export
// itself is the composition root's callback (app/ owns the pack bytes; it resolves when the ZIP is written); this file
// only displays, asks, and says while the files are being written or why they could not be.
// Reference: the studio's training panel, src/train/pack (pack + ecosystem files).
import { useState } from 'react';
import { useStudio } from '../hooks/useStudio';
import { LossChart } from './LossChart';

export function TrainingOutput({ onExportPack }: { onExportPack?: () => Promise<void> }) {
  const [exporting, setExporting] = useState<{ kind: 'busy' } | { kind: 'error'; text: string } | null>(null);
  const progress = useStudio((s) => s.training.progress);
  const learned = useStudio((s) => s.training.learnedTokens);
  const usage = useStudio((s) => s.training.exportUsage);
  if (!progress && learned.length === 0) return null;
  return (
    <section className="panel compact" aria-label="Training output">
      {progress && (
        <dl className="losses" data-testid="train-losses">
          <dt>step</dt>
          <dd>{progress.step}/{progress.totalSteps}</dd>
          {Object.entries(progress.losses).map(([name, v]) => (
            <div key={name} className="loss-row">
              <dt>{name === 'total' ? 'loss' : name}</dt>
              <dd>{v.toPrecision(4)}</dd>
            </div>
          ))}
        </dl>
      )}
      <LossChart />
      {onExportPack && learned.length > 0 && (
        <button type="button" disabled={exporting?.kind === 'busy'} onClick={() => {
          setExporting({ kind: 'busy' });
          onExportPack().then(() => setExporting(null), (e: unknown) => setExporting({ kind: 'error', text: `The export failed: ${e instanceof Error ? e.message : String(e)}. The concepts are unchanged; try again.` }));
        }}>Export concept pack</button>
      )}
      {exporting?.kind === 'busy' && <p className="hint" role="status">Writing the files for other tools (a kohya LoRA by truncated SVD and a diffusers Custom Diffusion file)…</p>}
      {exporting?.kind === 'error' && <p className="error" role="alert">{exporting.text}</p>}
      {usage && learned.length > 0 && (
        <details>
          <summary>Use in other tools (AUTOMATIC1111, ComfyUI, diffusers)</summary>
          <pre className="export-usage" data-testid="export-usage">{usage}</pre>
        </details>
      )}
    </section>
  );
}
