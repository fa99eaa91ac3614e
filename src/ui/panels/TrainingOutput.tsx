// Live training losses (latest values and the per-term chart) and the concept-pack export button. The export
// itself is the composition root's callback (app/ owns the pack bytes); this file only displays and asks.
// Reference: the studio's training panel, src/train/pack (pack + ecosystem files).
import { useStudio } from '../hooks/useStudio';
import { LossChart } from './LossChart';

export function TrainingOutput({ onExportPack }: { onExportPack?: () => void }) {
  const progress = useStudio((s) => s.training.progress);
  const learned = useStudio((s) => s.training.learnedTokens);
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
    </section>
  );
}
