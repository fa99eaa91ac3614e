// The training panel's runs: "Resume run (step k of n)" for the newest run that stopped short with a checkpoint (a
// reload, a cancel, an error), and the run history (newest first) with each run's steps, status and backend; "Use"
// applies the concept pack an earlier run left. Renders store state and calls store actions only.
// Reference: the studio's training panel, src/state/runs.ts.
import { resumableRun } from '../../state/index';
import type { RunRecord } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

const STATUS_WORDS: Record<RunRecord['status'], string> = { running: 'running', interrupted: 'interrupted (page closed)', done: 'done', cancelled: 'cancelled', error: 'failed' };

function RunLine({ run, isApplied, isBusy }: { run: RunRecord; isApplied: boolean; isBusy: boolean }) {
  const s = useStudioStore().getState();
  const when = run.startedAt.replace('T', ' ').slice(0, 16);
  return (
    <li className={isApplied ? 'run applied' : 'run'}>
      <span>
        <strong>{run.tokens.join(', ')}</strong> · {run.step} of {run.totalSteps} steps · {STATUS_WORDS[run.status]}
        {run.trainedOn ? ` · ${run.trainedOn}` : ''} · <time dateTime={run.startedAt}>{when}</time>
      </span>
      {isApplied ? <span className="hint"> in use</span> : run.hasPack && <button type="button" disabled={isBusy} onClick={() => void s.useRun(run.id)} aria-label={`Use run ${run.id}`}>Use</button>}
    </li>
  );
}

export function RunHistory() {
  const s = useStudioStore().getState();
  const runs = useStudio((st) => st.training.runs);
  const applied = useStudio((st) => st.training.appliedRunId);
  const isBusy = useStudio((st) => st.training.activeRunId !== null);
  const isAvailable = useStudio((st) => st.engine.isEngineAvailable);
  const offer = isBusy ? null : resumableRun(runs);
  if (runs.length === 0) return null;
  return (
    <div className="runs">
      {offer && (
        <p>
          <button type="button" className="primary" disabled={!isAvailable} onClick={() => void s.resumeRun()}>
            Resume run (step {offer.checkpointStep} of {offer.totalSteps})
          </button>{' '}
          <span className="hint">continues {offer.tokens.join(', ')} from its last checkpoint, with that run&apos;s settings</span>
        </p>
      )}
      <details>
        <summary>Run history ({runs.length})</summary>
        <ol aria-label="Run history">
          {runs.map((r) => <RunLine key={r.id} run={r} isApplied={r.id === applied} isBusy={isBusy} />)}
        </ol>
      </details>
    </div>
  );
}
