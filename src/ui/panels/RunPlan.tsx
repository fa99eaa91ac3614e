// The plan of the next training run, beside Train: regularisation images to render (those this browser rendered
// before are read back from IndexedDB, not rendered again), the optimiser steps, and the time on the current backend
// from the paces an earlier run measured there (state/runPlan.ts); "not measured yet" where none did. During the
// regularisation phase, the image count and the time left at the measured pace. Display only.
// Reference: the studio's training panel.
import { useMemo } from 'react';
import { estimateRun, paceKey, regularisationPlan, regularisationSecondsLeft, regularisationSetKey } from '../../state/index';
import type { RunEstimate, StudioState } from '../../state/index';
import { useStudio } from '../hooks/useStudio';
import { formatSeconds } from './EngineBanner';

const backendWords = (b: NonNullable<StudioState['engine']['backend']>): string => (b.ep === 'webgpu' ? `WebGPU${b.isSoftwareAdapter ? ' (software adapter)' : ''}` : b.ep);

function useRunPlan(): { estimate: RunEstimate; backend: string | null } {
  const settings = useStudio((s) => s.training.settings);
  const book = useStudio((s) => s.training.paceBook);
  const model = useStudio((s) => s.project.model);
  const backend = useStudio((s) => s.engine.backend);
  const concepts = useStudio((s) => s.project.concepts);
  return useMemo(() => {
    const words = concepts.map((c) => c.classWord);
    const cached = book.regularisation[regularisationSetKey(model, words, settings.seed, regularisationPlan(settings).samplerSteps)] ?? 0;
    const pace = backend ? book.paces[paceKey(model, backend)] : undefined;
    return { estimate: estimateRun(settings, pace, cached), backend: backend ? backendWords(backend) : null };
  }, [settings, book, model, backend, concepts]);
}

const part = (seconds: number | undefined): string => (seconds === undefined ? 'not measured yet' : `~${formatSeconds(seconds)}`);

/** The plan before Train: counts always, times where measured on this backend. */
export function RunPlan() {
  const { estimate: e, backend } = useRunPlan();
  const toRender = e.regularisationImages - e.regularisationCached;
  const reg = e.regularisationImages === 0
    ? 'no regularisation images (skipped: no prior preservation)'
    : e.regularisationCached === 0
    ? `render ${e.regularisationImages} regularisation images (${e.samplerSteps} sampler steps each)`
    : toRender === 0
      ? `all ${e.regularisationImages} regularisation images already rendered in this browser (read back from IndexedDB)`
      : `render ${toRender} of ${e.regularisationImages} regularisation images (${e.regularisationCached} already rendered in this browser, read back from IndexedDB)`;
  const where = backend ?? 'the backend (not chosen yet)';
  const isUnmeasured = e.seconds.training === undefined && e.seconds.setup === undefined && (e.seconds.regularisation === undefined || toRender === 0);
  return (
    <div className="run-plan" data-testid="run-plan" aria-label="Plan of the run">
      <p>
        <strong>Plan:</strong> {reg}, then build the training graph, then {e.steps} optimiser steps × {e.samplesPerStep} sample{e.samplesPerStep === 1 ? '' : 's'}.
      </p>
      <p data-testid="run-plan-time">
        {e.totalSeconds !== undefined
          ? <>On {where}: about <strong>{formatSeconds(e.totalSeconds)}</strong> (regularisation {part(e.seconds.regularisation)}, load and build {part(e.seconds.setup)}, steps {part(e.seconds.training)}; paces measured by an earlier run here).</>
          : isUnmeasured
            ? <>Time on {where}: not measured yet; the first run measures it and later plans use it.</>
            : <>On {where}: regularisation {part(e.seconds.regularisation)}, load and build {part(e.seconds.setup)}, steps {part(e.seconds.training)}.</>}
      </p>
    </div>
  );
}

/** "regularisation: image 12 of 200 (2 from the cache) · about 3 min left" while the phase runs, else null. */
export function useRegularisationLine(): string | null {
  const progress = useStudio((s) => s.training.progress);
  const book = useStudio((s) => s.training.paceBook);
  const model = useStudio((s) => s.project.model);
  const backend = useStudio((s) => s.engine.backend);
  const settings = useStudio((s) => s.training.settings);
  const r = progress?.stage === 'regularisation' ? progress.regularisation : undefined;
  if (!r) return null;
  const pace = backend ? book.paces[paceKey(model, backend)] : undefined;
  const left = regularisationSecondsLeft(r.done, r.total, regularisationPlan(settings).samplerSteps, pace);
  const cached = r.cached > 0 ? ` (${r.cached} read from the cache)` : '';
  return `regularisation images: ${r.done} of ${r.total}${cached}${left === undefined ? '' : ` · about ${formatSeconds(left)} left in this phase`}`;
}
