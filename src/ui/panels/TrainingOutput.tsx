// Live training losses (latest values and the per-term chart), the concept-pack export button and, after a run, the
// export's per-tool usage (which file goes where, the prompt that works). The export
// itself is the composition root's callback (app/ owns the pack bytes); this file only displays and asks.
// Reference: the studio's training panel, src/train/pack (pack + ecosystem files).
import { useStudio } from '../hooks/useStudio';
import { LossChart } from './LossChart';

export function TrainingOutput({ onExportPack }: { onExportPack?: () => void }) {
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
        <button type="button" onClick={onExportPack}>Export concept pack</button>
      )}
      {usage && learned.length > 0 && (
        <details>
          <summary>Use in other tools (AUTOMATIC1111, ComfyUI, diffusers)</summary>
          <pre className="export-usage" data-testid="export-usage">{usage}</pre>
        </details>
      )}
    </section>
  );
}
