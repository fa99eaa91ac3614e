// The studio's page layout: header (title, project bar), left column (reference, concepts), centre (mask
// toolbar + canvas), right column (model, training, generation). Fits 1280×720 and up.
// Renders panels only; no state of its own. Layout from 1280×720 up.
import type { SamplerId } from '../state/index';
import { MaskCanvas } from './canvas/MaskCanvas';
import { useKeyboardShortcuts } from './hooks/useKeyboardShortcuts';
import { useStudioStore } from './hooks/useStudio';
import { ConceptsPanel } from './panels/ConceptsPanel';
import { GenerationPanel } from './panels/GenerationPanel';
import { MaskToolbar } from './panels/MaskToolbar';
import { ModelPanel } from './panels/ModelPanel';
import { ProjectBar } from './panels/ProjectBar';
import { ReferencePanel } from './panels/ReferencePanel';
import { TrainingPanel } from './panels/TrainingPanel';
import { AttentionPanel } from './panels/AttentionPanel';
import { TrainingOutput } from './panels/TrainingOutput';
import { ConceptMapsPanel } from './panels/ConceptMapsPanel';
import { TrainingSamples } from './panels/TrainingSamples';

type LayoutProps = { engineSamplers?: readonly SamplerId[]; onExportPack?: () => void; onLoadModel?: (files: File[]) => void };

export function StudioLayout({ engineSamplers, onExportPack, onLoadModel }: LayoutProps) {
  useKeyboardShortcuts(useStudioStore());
  return (
    <div className="studio">
      <header className="topbar">
        <h1>DisenStudio</h1>
        <ProjectBar />
      </header>
      <aside className="col left" aria-label="Reference and concepts">
        <ReferencePanel />
        <ConceptsPanel />
      </aside>
      <main className="col centre" aria-label="Mask editor">
        <MaskToolbar />
        <MaskCanvas />
      </main>
      <aside className="col right" aria-label="Model, training and generation">
        <ModelPanel onLoadModel={onLoadModel} />
        <TrainingPanel />
        <TrainingOutput onExportPack={onExportPack} />
        <ConceptMapsPanel />
        <TrainingSamples />
        <GenerationPanel engineSamplers={engineSamplers} />
        <AttentionPanel />
      </aside>
    </div>
  );
}
