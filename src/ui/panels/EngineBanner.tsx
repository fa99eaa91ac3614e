// The honest "engine not available" banner and the run status line shared by the training and
// generation panels. Display only. Reference: the studio's training panel, generation panel.
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

/** "1 min 05 s" style duration for the ETA. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

type Progress = { done: number; total: number; etaSeconds?: number; phase?: string };

export function StatusLine({ status, progress }: { status: RunStatus; progress: Progress | null }) {
  if (status.kind === 'idle') return null;
  if (status.kind === 'running' || status.kind === 'paused') {
    const eta = status.kind !== 'running' ? '' : progress?.phase ? ` · ${progress.phase}` : progress?.etaSeconds !== undefined ? ` · about ${formatSeconds(progress.etaSeconds)} left` : '';
    return (
      <div className="status" role="status">
        <progress max={progress?.total ?? 1} value={progress?.done ?? 0} /> {progress ? `${progress.done}/${progress.total}` : 'starting…'}
        {status.kind === 'paused' ? ' · Paused (stops after the current step). Resume to continue.' : eta}
      </div>
    );
  }
  const text = status.kind === 'done' ? 'Done.' : status.kind === 'cancelled' ? (status.kept ?? 'Cancelled.') : status.message;
  return (
    <p className={`status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}
