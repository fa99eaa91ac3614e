// The centre column: the concept-mask editor (default) or the edit view (inpainting, image-to-image), switched by
// two tabs. The mask toolbar serves both (the same tools paint concept masks or the edit mask). View state only.
import { useState } from 'react';
import type { SamplerName } from '../state/index';
import { MaskCanvas } from './canvas/MaskCanvas';
import { PanelBoundary } from './PanelBoundary';
import { EditPanel } from './panels/EditPanel';
import { MaskToolbar } from './panels/MaskToolbar';

export function CentreView({ engineSamplers }: { engineSamplers?: readonly SamplerName[] }) {
  const [view, setView] = useState<'masks' | 'edit'>('masks');
  return (
    <>
      <div role="tablist" aria-label="Centre view" className="actions">
        <button type="button" role="tab" aria-selected={view === 'masks'} onClick={() => setView('masks')}>Concept masks</button>
        <button type="button" role="tab" aria-selected={view === 'edit'} onClick={() => setView('edit')}>Edit (inpaint)</button>
      </div>
      <PanelBoundary name="Mask tools"><MaskToolbar surface={view} /></PanelBoundary>
      {view === 'masks' ? <PanelBoundary name="Mask canvas"><MaskCanvas /></PanelBoundary> : <PanelBoundary name="Edit"><EditPanel engineSamplers={engineSamplers} /></PanelBoundary>}
    </>
  );
}
