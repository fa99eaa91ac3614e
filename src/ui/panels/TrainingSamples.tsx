// Samples during training: how often to sample (every N optimiser steps, 0 = off; the generation panel's sampler,
// steps, guidance, seed and size) and the latest sampled image with its step. Display and one setting only.
// Reference: the studio's training panel ("a sample preview every N steps using the same sampler settings as generation").
import { SAMPLE_EVERY_LIMITS } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { NumberField } from './NumberField';

export function TrainingSamples() {
  const s = useStudioStore().getState();
  const every = useStudio((st) => st.training.sampleEvery);
  const sample = useStudio((st) => st.training.sample);
  const isAvailable = useStudio((st) => st.engine.isEngineAvailable);
  if (!isAvailable) return null;
  return (
    <section className="panel compact" aria-labelledby="samples-title">
      <h2 id="samples-title">Samples during training</h2>
      <NumberField label="Sample every N steps (0 = off)" value={every} min={SAMPLE_EVERY_LIMITS.min} max={SAMPLE_EVERY_LIMITS.max} onChange={(v) => s.setSampleEvery(Math.round(v))} />
      <p className="hint">Uses the generation settings (sampler, steps, guidance, seed, size) and the generation prompt when it names a concept being trained. Each sample costs one generation.</p>
      {sample && (
        <figure className="training-sample">
          <img src={sample.dataUrl} alt={`Sample at step ${sample.step}`} width={128} height={128} style={{ imageRendering: 'pixelated' }} />
          <figcaption>Step {sample.step}</figcaption>
        </figure>
      )}
    </section>
  );
}
