// Generation: prompt (chips, autocomplete), negative prompt, LoRA / embedding files (NetworksPanel), seed (randomise, lock), steps, guidance,
// sampler, batch, size; generate/cancel wired to store actions (EnginePort). No engine → banner, disabled.
// Results shown only when the engine returned them. Reference: the studio's generation panel.
import { GENERATION_LIMITS as GL, GENERATION_SIZES, SAMPLER_NAMES } from '../../state/index';
import { useState } from 'react';
import type { DragEvent } from 'react';
import type { SamplerName } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { EngineBanner, StatusLine } from './EngineBanner';
import { NetworksPanel } from './NetworksPanel';
import { NumberField } from './NumberField';
import { PromptField } from './PromptField';

export function SeedRow() {
  const s = useStudioStore().getState();
  const set = useStudio((st) => st.generation.settings);
  return (
    <div className="seed-row">
      <NumberField label="Seed" value={set.seed} min={GL.seed.min} max={GL.seed.max} onChange={(v) => s.updateGeneration({ seed: v })} />
      <button type="button" onClick={s.randomizeSeed} disabled={set.isSeedLocked}>Randomise</button>
      <label className="inline">
        <input type="checkbox" checked={set.isSeedLocked} onChange={(e) => s.updateGeneration({ isSeedLocked: e.target.checked })} />
        Lock seed
      </label>
    </div>
  );
}

export function SamplingFields({ engineSamplers }: { engineSamplers?: readonly SamplerName[] }) {
  const s = useStudioStore().getState();
  const set = useStudio((st) => st.generation.settings);
  return (
    <div className="grid2">
      <NumberField label="Steps" value={set.steps} min={GL.steps.min} max={GL.steps.max} onChange={(v) => s.updateGeneration({ steps: v })} />
      <NumberField label="Guidance" value={set.guidance} min={GL.guidance.min} max={GL.guidance.max} step={GL.guidance.step} onChange={(v) => s.updateGeneration({ guidance: v })} />
      <label>
        Sampler
        <select value={set.sampler} onChange={(e) => s.updateGeneration({ sampler: e.target.value as SamplerName })}>
          {/* the sampler registry's names, in its order; the engine's list decides which are enabled */}
          {SAMPLER_NAMES.map((name) => (
            <option key={name} value={name} disabled={engineSamplers ? !engineSamplers.includes(name) : false}>{name}</option>
          ))}
        </select>
      </label>
      <NumberField label="Batch" value={set.batch} min={GL.batch.min} max={GL.batch.max} onChange={(v) => s.updateGeneration({ batch: v })} />
      <label>
        Size
        <select value={set.size} onChange={(e) => s.updateGeneration({ size: Number(e.target.value) })}>
          {GENERATION_SIZES.map((px) => (
            <option key={px} value={px}>{px}×{px}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** A PNG dropped on the panel: its A1111 / ComfyUI / studio settings fill the fields (store action). */
async function dropPng(e: DragEvent, importPng: (bytes: Uint8Array, name: string) => string, show: (note: string) => void): Promise<void> {
  const file = e.dataTransfer.files[0];
  if (!file || !/\.png$/i.test(file.name)) return;
  e.preventDefault();
  show(importPng(new Uint8Array(await file.arrayBuffer()), file.name));
}

export function GenerationPanel({ engineSamplers }: { engineSamplers?: readonly SamplerName[] }) {
  const s = useStudioStore().getState();
  const gen = useStudio((st) => st.generation);
  const isAvailable = useStudio((st) => st.engine.isEngineAvailable);
  // the default model reads only its world words: a pattern word is a negative prompt it understands
  const isDefaultModel = useStudio((st) => st.project.model.kind === 'default');
  const isRunning = gen.status.kind === 'running';
  const [dropNote, setDropNote] = useState('');
  return (
    <section className="panel" aria-labelledby="gen-title" onDragOver={(e) => e.preventDefault()} onDrop={(e) => void dropPng(e, s.importGenerationPng, setDropNote)}>
      <h2 id="gen-title">Generation</h2>
      {dropNote && <p role="status" className="hint">{dropNote}</p>}
      <EngineBanner />
      <PromptField />
      <label>
        Negative prompt
        <input value={gen.settings.negativePrompt} onChange={(e) => s.updateGeneration({ negativePrompt: e.target.value })} placeholder={isDefaultModel ? 'e.g. striped' : 'blurry, low quality'} />
      </label>
      <NetworksPanel disabled={!isAvailable || isRunning} />
      <SeedRow />
      <SamplingFields engineSamplers={engineSamplers} />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void s.generate()} disabled={!isAvailable || isRunning}>Generate</button>
        {isRunning && <button type="button" onClick={s.cancelGeneration}>Cancel</button>}
      </div>
      <StatusLine status={gen.status} progress={gen.progress ? { done: gen.progress.stepIndex, total: gen.progress.totalSteps } : null} />
      {gen.images.length > 0 && (
        <div className="gallery">
          {gen.images.map((img, k) => (
            <img key={`${img.seed}-${k}`} src={img.dataUrl} alt={`Generated image ${k + 1}, seed ${img.seed}`} width={128} height={128} />
          ))}
        </div>
      )}
    </section>
  );
}
