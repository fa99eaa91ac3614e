// Training: preset, settings (steps, learning rate, batch, accumulation, attention-loss weight, seed, the mask extras
// beyond the paper — mask guidance, union sampling, concept isolation — and the token initialisation), what
// still blocks training, and train/pause/resume/cancel wired to store actions (EnginePort), with progress and ETA;
// a cancel in flight says so ("Stopping…"), and RunHistory offers to resume a run and lists earlier ones.
// No engine → banner, disabled.
// Reference: the studio's training panel, docs/disendiff.md §2.8 (preset values).
import { isTrainingActive, regularisationPlan, selectTrainBlockers, TRAIN_PRESETS, TRAINING_LIMITS as TL } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { EngineBanner, StatusLine } from './EngineBanner';
import { KvLoraOption } from './KvLoraOption';
import { MemoryPlan } from './MemoryPlan';
import type { ModifierInit } from '../../state/index';
import { NumberField } from './NumberField';
import { RunHistory } from './RunHistory';
import { RunPlan, useRegularisationLine } from './RunPlan';

function TrainingFields() {
  const s = useStudioStore().getState();
  const set = useStudio((st) => st.training.settings);
  return (
    <div className="grid2">
      <NumberField label="Steps" value={set.steps} min={TL.steps.min} max={TL.steps.max} onChange={(v) => s.updateTraining({ steps: v })} />
      <NumberField label="Learning rate" value={set.learningRate} min={TL.learningRate.min} max={TL.learningRate.max} step={TL.learningRate.step} onChange={(v) => s.updateTraining({ learningRate: v })} />
      <NumberField label="Batch" value={set.batchSize} min={TL.batchSize.min} max={TL.batchSize.max} onChange={(v) => s.updateTraining({ batchSize: v })} help="Training images per micro-step (each costs one forward and backward pass; memory grows with it)." />
      <NumberField label="Grad. accumulation" value={set.gradAccumulation} min={TL.gradAccumulation.min} max={TL.gradAccumulation.max} onChange={(v) => s.updateTraining({ gradAccumulation: v })} help="Micro-steps summed before one optimiser step: the effective batch is Batch × this, at the memory of one micro-step and this many times the time." />
      <NumberField label="Attention loss weight" value={set.attentionLossWeight} min={TL.attentionLossWeight.min} max={TL.attentionLossWeight.max} step={TL.attentionLossWeight.step} onChange={(v) => s.updateTraining({ attentionLossWeight: v })} help="λ of DisenDiff's attention calibration terms (binding L_bind and separate-and-strengthen L_s&s, docs/disendiff.md §10.3) against the diffusion loss; the released code uses 0.01." />
      <NumberField label="Seed" value={set.seed} min={TL.seed.min} max={TL.seed.max} onChange={(v) => s.updateTraining({ seed: v })} />
      <div>
        <NumberField label="Regularisation images" value={regularisationPlan(set).count} min={TL.regularisationImages.min} max={TL.regularisationImages.max} onChange={(v) => s.updateTraining({ regularisationImages: v })} />
        <p className="hint">Class-prompt images the base model renders before step 1 (prior preservation; DisenDiff used 200), kept in this browser and reused. 0 skips the phase; the class word may then drift toward the reference.</p>
      </div>
      <fieldset className="options" aria-label="Beyond the paper (masks)">
        <legend>Mask extras (beyond the paper; all off = DisenDiff as released)</legend>
        <label className="inline" title="Restrict the diffusion loss to the concepts' masks and pull each learned token's attention onto its mask (Break-A-Scene). Off: the masks are not used for training at all.">
          <input type="checkbox" checked={set.maskGuidance} onChange={(e) => s.updateTraining({ maskGuidance: e.target.checked })} />
          Mask guidance
        </label>
        <p className="hint">Loss only inside the masks, plus attention pulled onto each mask.</p>
        <label className="inline" title="Training captions name random subsets of the concepts, so each token is also learned alone (Break-A-Scene union sampling). Needs mask guidance.">
          <input type="checkbox" checked={set.unionSampling} disabled={!set.maskGuidance} onChange={(e) => s.updateTraining({ unionSampling: e.target.checked })} />
          Union sampling
        </label>
        <p className="hint">Captions name subsets of the concepts; needs mask guidance.</p>
        <label className="inline" title="When a training caption names only some concepts, erase the others from the reference (filled from the background) so that a prompt for one concept draws only that concept. Needs union sampling.">
          <input type="checkbox" checked={set.isolateConcepts} disabled={!set.maskGuidance || !set.unionSampling} onChange={(e) => s.updateTraining({ isolateConcepts: e.target.checked })} />
          Isolate concepts
        </label>
        <p className="hint">Erase the concepts a caption leaves out; needs union sampling.</p>
      </fieldset>
      <label>
        Token initialisation
        <select value={set.modifierInit} onChange={(e) => s.updateTraining({ modifierInit: e.target.value as ModifierInit })} title="How the new tokens' embeddings start. Rare tokens: the released DisenDiff rows (CLIP vocabularies only; other models use their default).">
          <option value="rare">Rare tokens (as released)</option>
          <option value="class-word">Class word</option>
          <option value="model-default">Model default</option>
        </select>
      </label>
      <KvLoraOption />
    </div>
  );
}

export function TrainingPanel() {
  const s = useStudioStore().getState();
  const training = useStudio((st) => st.training);
  const isAvailable = useStudio((st) => st.engine.isEngineAvailable);
  const blockers = useStudio((st) => selectTrainBlockers(st).join('\n'));
  const isRunning = training.status.kind === 'running';
  const isPaused = training.status.kind === 'paused';
  const isLocked = useStudio(isTrainingActive);
  const regLine = useRegularisationLine();
  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">Training</h2>
      <EngineBanner />
      {isLocked && <p className="hint" data-testid="settings-locked">Settings locked while training: this run uses the values it started with. Cancel, or wait for the end, to change them for the next run.</p>}
      <fieldset className="plain" disabled={isLocked}>
      <label>
        Preset
        <select value={training.preset} onChange={(e) => s.choosePreset(e.target.value)}>
          {TRAIN_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>{p.label}</option>
          ))}
          {training.preset === 'custom' && <option value="custom">Custom</option>}
        </select>
      </label>
      <TrainingFields />
      </fieldset>
      <MemoryPlan />
      {!isLocked && <RunPlan />}
      {blockers && (
        <ul className="checks" aria-label="Before training">
          {blockers.split('\n').map((b) => (
            <li key={b} className="warning">{b}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void s.train()} disabled={!isAvailable || isRunning || isPaused || blockers !== ''}>Train</button>
        {isRunning && <button type="button" onClick={s.pauseTraining}>Pause</button>}
        {isPaused && <button type="button" onClick={s.resumeTraining}>Resume</button>}
        {(isRunning || isPaused) && <button type="button" onClick={s.cancelTraining} disabled={training.isStopping}>{training.isStopping ? 'Stopping…' : 'Cancel'}</button>}
      </div>
      {training.isStopping && <p role="status" className="hint">Stopping after the optimiser step in flight (on a slow backend one step can take minutes); the steps done so far are kept.</p>}
      <RunHistory />
      <StatusLine status={training.status} progress={training.progress ? { done: training.progress.step, total: training.progress.totalSteps, etaSeconds: training.progress.etaSeconds, phase: regLine ?? training.progress.phase } : null} />
      {training.learnedTokens.length > 0 && <p>Learned: {training.learnedTokens.join(', ')}{training.trainedOn ? ` (trained on ${training.trainedOn})` : ''}</p>}
    </section>
  );
}
