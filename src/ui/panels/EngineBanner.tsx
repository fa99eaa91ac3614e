// The honest "engine not available" banner and the run status line shared by the training and
// generation panels. Display only. Reference: issue 7 §5/§6.
import { ENGINE_UNAVAILABLE } from '../../state/index';
import type { RunStatus } from '../../state/index';
import { useStudio } from '../hooks/useStudio';

export function EngineBanner() {
  const isAvailable = useStudio((s) => s.engine.isEngineAvailable);
  if (isAvailable) return null;
  return (
    <p className="notice warn" role="status" data-testid="engine-unavailable">
      {ENGINE_UNAVAILABLE}
    </p>
  );
}

export function StatusLine({ status, progress }: { status: RunStatus; progress: { done: number; total: number } | null }) {
  if (status.kind === 'idle') return null;
  if (status.kind === 'running') {
    return (
      <div className="status" role="status">
        <progress max={progress?.total ?? 1} value={progress?.done ?? 0} /> {progress ? `${progress.done}/${progress.total}` : 'starting…'}
      </div>
    );
  }
  const text = status.kind === 'done' ? 'Done.' : status.kind === 'cancelled' ? 'Cancelled.' : status.message;
  return (
    <p className={`status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}
