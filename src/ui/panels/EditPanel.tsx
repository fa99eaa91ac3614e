// The edit view (inpainting and image-to-image): pick the image (the reference, a generated or edited image, an
// upload), paint the region on the edit canvas with the mask tools, choose what is repainted (the masked region,
// everything but it, or the whole image), denoising strength and mask blur, and generate with the Generation
// panel's prompt (learned tokens included), seed, sampler, CFG, steps and size. Results keep their per-token
// attention overlays. Store actions only. Reference: docs/inpainting.md, state/slices/editSlice.ts.
import { useState } from 'react';
import { EDIT_LIMITS as EL } from '../../state/index';
import type { SamplerName } from '../../state/index';
import { EditCanvas } from '../canvas/EditCanvas';
import { ImageIntakeError, readImageFile } from '../canvas/decodeImage';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { ImageCard } from './AttentionPanel';
import { EngineBanner, StatusLine } from './EngineBanner';
import { SamplingFields, SeedRow } from './GenerationPanel';
import { NumberField } from './NumberField';

type Repaint = 'masked' | 'not-masked' | 'whole';

function SourcePicker() {
  const s = useStudioStore().getState();
  const generated = useStudio((st) => st.generation.images);
  const edited = useStudio((st) => st.edit.images);
  const hasReference = useStudio((st) => st.project.reference !== null);
  const [note, setNote] = useState('');
  const upload = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    try {
      const img = await readImageFile(file, file.name);
      setNote('');
      s.editUpload(img.dataUrl, img.width, img.height, file.name);
    } catch (e) {
      setNote(e instanceof ImageIntakeError ? e.message : `${file.name}: ${String(e)}`);
    }
  };
  return (
    <div className="actions">
      <button type="button" onClick={s.editReference} disabled={!hasReference}>Edit the reference</button>
      {generated.map((img, k) => (
        <button key={`g${k}`} type="button" onClick={() => s.editGenerated(k)}>Generated {k + 1} (seed {img.seed})</button>
      ))}
      {edited.map((img, k) => (
        <button key={`e${k}`} type="button" onClick={() => s.editGenerated(k, 'edit')}>Edited {k + 1}</button>
      ))}
      <label className="inline">
        Upload
        <input type="file" accept="image/png,image/jpeg,image/webp" aria-label="Upload an image to edit" onChange={(e) => void upload(e.target.files?.[0])} />
      </label>
      {note && <p role="alert" className="notice">{note}</p>}
    </div>
  );
}

function Options() {
  const s = useStudioStore().getState();
  const e = useStudio((st) => st.edit);
  const repaint: Repaint = e.mode === 'img2img' ? 'whole' : e.invertMask ? 'not-masked' : 'masked';
  const choose = (r: Repaint): void => s.updateEdit(r === 'whole' ? { mode: 'img2img' } : { mode: 'inpaint', invertMask: r === 'not-masked' });
  return (
    <>
      <fieldset>
        <legend>Repaint</legend>
        {([['masked', 'Inpaint masked'], ['not-masked', 'Inpaint not masked'], ['whole', 'Whole image (image-to-image)']] as const).map(([id, label]) => (
          <label key={id} className="inline">
            <input type="radio" name="edit-repaint" checked={repaint === id} onChange={() => choose(id)} />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="grid2">
        <NumberField label="Denoising strength" value={e.strength} min={EL.strength.min} max={EL.strength.max} step={EL.strength.step} onChange={(v) => s.updateEdit({ strength: v })} />
        <NumberField label="Mask blur (px)" value={e.maskBlur} min={EL.maskBlur.min} max={EL.maskBlur.max} onChange={(v) => s.updateEdit({ maskBlur: v })} disabled={e.mode === 'img2img'} />
      </div>
      <fieldset disabled={e.mode === 'img2img'}>
        <legend>Inpaint area</legend>
        {([[false, 'Whole picture'], [true, 'Only masked']] as const).map(([only, label]) => (
          <label key={label} className="inline">
            <input type="radio" name="edit-area" checked={e.onlyMasked === only} onChange={() => s.updateEdit({ onlyMasked: only })} />
            {label}
          </label>
        ))}
        <NumberField label="Only masked padding (px)" value={e.maskedPadding} min={EL.maskedPadding.min} max={EL.maskedPadding.max} onChange={(v) => s.updateEdit({ maskedPadding: v })} disabled={e.mode === 'img2img' || !e.onlyMasked} />
      </fieldset>
    </>
  );
}

export function EditPanel({ engineSamplers }: { engineSamplers?: readonly SamplerName[] }) {
  const s = useStudioStore().getState();
  const e = useStudio((st) => st.edit);
  const prompt = useStudio((st) => st.generation.settings.prompt);
  const concepts = useStudio((st) => st.project.concepts);
  const isAvailable = useStudio((st) => st.engine.isEngineAvailable);
  const isRunning = e.status.kind === 'running';
  const colors = Object.fromEntries(concepts.map((c) => [c.token, c.color]));
  return (
    <section className="panel edit-panel" aria-labelledby="edit-title">
      <h2 id="edit-title">Edit: inpainting and image-to-image</h2>
      <EngineBanner />
      <SourcePicker />
      {e.source && <p className="hint">Editing {e.source.label}. Paint the region to repaint with the mask tools above.</p>}
      <EditCanvas />
      <div className="actions">
        <button type="button" onClick={s.undoEdit} disabled={!s.canUndoEdit()}>Undo mask</button>
        <button type="button" onClick={s.redoEdit} disabled={!s.canRedoEdit()}>Redo mask</button>
        <button type="button" onClick={s.clearEditMask} disabled={!e.source}>Clear mask</button>
      </div>
      <Options />
      <p className="hint">Prompt (from the Generation panel): {prompt.trim() === '' ? <em>empty — write one there, e.g. "a &lt;cat1&gt; cat sleeping"</em> : <q>{prompt}</q>}</p>
      <SeedRow />
      <SamplingFields engineSamplers={engineSamplers} />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void s.generateEdit()} disabled={!isAvailable || isRunning}>Generate edit</button>
        {isRunning && <button type="button" onClick={s.cancelEdit}>Cancel</button>}
      </div>
      <StatusLine status={e.status} progress={e.progress ? { done: e.progress.stepIndex, total: e.progress.totalSteps } : null} />
      {e.images.map((img, k) => (
        <ImageCard key={`${img.seed}-${k}`} img={img} k={k} colors={colors} opacity={0.6} />
      ))}
    </section>
  );
}
