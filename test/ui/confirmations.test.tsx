// Confirmations before work is lost: removing a concept with a painted mask, and importing over a project that holds
// work (the file picker opens only after "OK"). window.confirm is stubbed with the user's answer.
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { ConceptsPanel } from '../../src/ui/panels/ConceptsPanel';
import { ProjectBar } from '../../src/ui/panels/ProjectBar';
import { renderWithStore } from './render';

afterEach(() => vi.restoreAllMocks());

/** window.confirm answering `answer` (happy-dom has none), with its calls. */
function stubConfirm(answer: boolean) {
  const ask = vi.fn((_message?: string) => answer);
  Object.defineProperty(window, 'confirm', { value: ask, configurable: true, writable: true });
  return ask;
}

describe('confirmations', () => {
  it('asks before removing a painted concept, and not for an empty one', () => {
    const { store } = renderWithStore(<ConceptsPanel />);
    act(() => {
      store.getState().addConcept();
      store.getState().addConcept();
      store.getState().setActiveConcept('c2');
      store.getState().commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    });
    const ask = stubConfirm(false);
    fireEvent.click(screen.getByRole('button', { name: 'Remove concept 2' }));
    expect(ask).toHaveBeenCalledTimes(1);
    expect(ask.mock.calls[0]![0]).toContain('Remove <concept2> and its painted mask (100% of the square)?');
    expect(store.getState().project.concepts).toHaveLength(3);
    ask.mockImplementation(() => true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove concept 2' }));
    expect(store.getState().project.concepts.map((c) => c.id)).toEqual(['c1', 'c3']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove concept 2' }));
    expect(ask).toHaveBeenCalledTimes(2);
    expect(store.getState().project.concepts.map((c) => c.id)).toEqual(['c1']);
  });

  it('asks before an import replaces work; the file picker opens only after OK', () => {
    const { store } = renderWithStore(<ProjectBar />);
    const picker = vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => undefined);
    const ask = stubConfirm(false);
    fireEvent.click(screen.getByRole('button', { name: 'Import project…' }));
    expect([ask.mock.calls.length, picker.mock.calls.length]).toEqual([0, 1]);
    act(() => store.getState().setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 }));
    fireEvent.click(screen.getByRole('button', { name: 'Import project…' }));
    expect([ask.mock.calls.length, picker.mock.calls.length]).toEqual([1, 1]);
    ask.mockImplementation(() => true);
    fireEvent.click(screen.getByRole('button', { name: 'Import project…' }));
    expect([ask.mock.calls.length, picker.mock.calls.length]).toEqual([2, 2]);
  });
});
