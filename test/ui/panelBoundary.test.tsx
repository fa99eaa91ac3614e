// PanelBoundary: a panel that throws while rendering shows its name and the error in its place; the panels beside
// it keep working (their fields still reach the store), the project in the store is untouched, and "Try again"
// renders the panel anew once the cause is gone.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useStudio } from '../../src/ui/index';
import { PanelBoundary } from '../../src/ui/PanelBoundary';
import { ConceptsPanel } from '../../src/ui/panels/ConceptsPanel';
import { TrainingPanel } from '../../src/ui/panels/TrainingPanel';
import { renderWithStore } from './render';

/** A panel with a rendering bug: throws a RangeError (as rasterizeLayer did for a zero crop) while the prompt says so. */
function Fragile() {
  const prompt = useStudio((s) => s.generation.settings.prompt);
  if (prompt === 'break') throw new RangeError('rasterizeLayer: size (training-square side in px) must be > 0, got 0');
  return <p>fragile panel fine</p>;
}

describe('PanelBoundary', () => {
  it('shows what broke in the failing panel only; the rest keeps working and nothing is lost', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { store } = renderWithStore(
      <>
        <PanelBoundary name="Mask canvas"><Fragile /></PanelBoundary>
        <PanelBoundary name="Concepts"><ConceptsPanel /></PanelBoundary>
        <PanelBoundary name="Training"><TrainingPanel /></PanelBoundary>
      </>,
    );
    const concepts = store.getState().project.concepts;
    act(() => store.getState().updateGeneration({ prompt: 'break' }));
    const alert = screen.getByRole('alert', { name: 'Mask canvas (failed)' });
    expect(alert.textContent).toMatch(/This panel stopped: rasterizeLayer: size .* must be > 0, got 0\. Your project is kept/);
    expect(screen.queryByText('fragile panel fine')).toBeNull();
    // the other panels still render and still reach the store
    fireEvent.change(screen.getByLabelText('Steps'), { target: { value: '42' } });
    expect(store.getState().training.settings.steps).toBe(42);
    expect(store.getState().project.concepts).toBe(concepts);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    // once the cause is gone, "Try again" brings the panel back
    act(() => store.getState().updateGeneration({ prompt: 'a cat' }));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('fragile panel fine')).toBeTruthy();
    quiet.mockRestore();
  });
});
