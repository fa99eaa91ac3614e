// The studio's page layout: header (title, project bar), left column (reference, concepts), centre (mask
// toolbar + canvas, or the edit view: CentreView), right column (model, training, generation). Fits 1280×720 and up.
// Renders panels only, each inside its own PanelBoundary (a panel that throws shows why; the rest keeps working);
// no state of its own. Layout from 1280×720 up.
import type { SamplerName } from '../state/index';
import { CentreView } from './CentreView';
import { PanelBoundary } from './PanelBoundary';
import { useKeyboardShortcuts } from './hooks/useKeyboardShortcuts';
import { useStudioStore } from './hooks/useStudio';
import { ConceptsPanel } from './panels/ConceptsPanel';
import { GenerationPanel } from './panels/GenerationPanel';
import { ModelPanel } from './panels/ModelPanel';
import { ProjectBar } from './panels/ProjectBar';
import { ReferencePanel } from './panels/ReferencePanel';
import { TrainingPanel } from './panels/TrainingPanel';
import { AttentionPanel } from './panels/AttentionPanel';
import { TrainingOutput } from './panels/TrainingOutput';
import { ConceptMapsPanel } from './panels/ConceptMapsPanel';
import { TrainingSamples } from './panels/TrainingSamples';
import { GalleryPanel } from './panels/GalleryPanel';

type LayoutProps = { engineSamplers?: readonly SamplerName[]; onExportPack?: () => Promise<void>; onLoadModel?: (files: File[]) => void };

export function StudioLayout({ engineSamplers, onExportPack, onLoadModel }: LayoutProps) {
  useKeyboardShortcuts(useStudioStore());
  return (
    <div className="studio">
      <header className="topbar">
        <h1>DisenStudio</h1>
        <PanelBoundary name="Project"><ProjectBar /></PanelBoundary>
      </header>
      <aside className="col left" aria-label="Reference and concepts">
        <PanelBoundary name="Reference image"><ReferencePanel /></PanelBoundary>
        <PanelBoundary name="Concepts"><ConceptsPanel /></PanelBoundary>
      </aside>
      <main className="col centre" aria-label="Mask editor">
        <CentreView engineSamplers={engineSamplers} />
      </main>
      <aside className="col right" aria-label="Model, training and generation">
        <PanelBoundary name="Model"><ModelPanel onLoadModel={onLoadModel} /></PanelBoundary>
        <PanelBoundary name="Training"><TrainingPanel /></PanelBoundary>
        <PanelBoundary name="Training output"><TrainingOutput onExportPack={onExportPack} /></PanelBoundary>
        <PanelBoundary name="Concept maps"><ConceptMapsPanel /></PanelBoundary>
        <PanelBoundary name="Training samples"><TrainingSamples /></PanelBoundary>
        <PanelBoundary name="Generation"><GenerationPanel engineSamplers={engineSamplers} /></PanelBoundary>
        <PanelBoundary name="Attention"><AttentionPanel /></PanelBoundary>
        <PanelBoundary name="Gallery"><GalleryPanel /></PanelBoundary>
      </aside>
    </div>
  );
}
