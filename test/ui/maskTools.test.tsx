// The mask toolbar's new controls and the reference notice's offer (happy-dom, no Konva canvas): the fill's
// tolerance and add/erase show only for the fill tool and reach the store; feather is a slider in px; snap to
// edges waits for decoded pixels; a new reference over painted masks offers "Clear all masks" / "Keep masks".
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import type { ImagePx } from '../../src/editor/index';
import { referencePixelsKey } from '../../src/state/index';
import { MaskToolbar } from '../../src/ui/panels/MaskToolbar';
import { ReferencePanel } from '../../src/ui/panels/ReferencePanel';
import { discScene } from '../helpers/discScene';
import { renderWithStore } from './render';

const REF = { name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 };

describe('MaskToolbar mask tools', () => {
  it('shows tolerance and add/erase for the fill tool only, and sets them', () => {
    const { store } = renderWithStore(<MaskToolbar />);
    expect(screen.queryByLabelText(/^Tolerance/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Fill (wand)' }));
    const tolerance = screen.getByLabelText(/^Tolerance/);
    expect((tolerance as HTMLInputElement).value).toBe('32');
    fireEvent.change(tolerance, { target: { value: '80' } });
    fireEvent.click(screen.getByRole('button', { name: 'Erase region' }));
    expect([store.getState().editor.wandTolerance, store.getState().editor.wandMode]).toEqual([80, 'erase']);
    expect(screen.getByRole('button', { name: 'Erase region' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.change(screen.getByLabelText(/^Feather/), { target: { value: '9' } });
    expect(store.getState().editor.brushFeather).toBe(9);
    expect(screen.getByText('9 px')).toBeTruthy();
  });

  it('enables snap to edges once the reference pixels are decoded', () => {
    const { store } = renderWithStore(<MaskToolbar />);
    act(() => store.getState().setReference(REF));
    const snap = screen.getByRole('button', { name: 'Snap to edges' }) as HTMLButtonElement;
    expect(snap.disabled).toBe(true);
    act(() => store.getState().setReferencePixels(referencePixelsKey(store.getState().project.reference!), discScene(32, 16, 16, 8).pixels));
    expect(snap.disabled).toBe(false);
  });

  it('hides snap to edges over the edit view (it works on concept masks only)', () => {
    renderWithStore(<MaskToolbar surface="edit" />);
    expect(screen.queryByRole('button', { name: 'Snap to edges' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Fill (wand)' })).toBeTruthy();
  });
});

describe('ReferencePanel after a new reference over painted masks', () => {
  it('"Clear all masks" clears them; "Keep masks" keeps them', () => {
    const { store } = renderWithStore(<ReferencePanel />);
    act(() => store.getState().setReference(REF));
    act(() => store.getState().commitOp({ kind: 'stroke', mode: 'add', radius: 8 as ImagePx, points: [imagePoint(20, 20)] }));
    act(() => store.getState().setReference({ ...REF, name: 'other.png' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep masks' }));
    expect(screen.queryByRole('button', { name: 'Clear all masks' })).toBeNull();
    expect(store.getState().editor.masks.present.c1!.ops.at(-1)?.kind).toBe('stroke');
    act(() => store.getState().setReference({ ...REF, name: 'third.png' }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear all masks' }));
    expect(store.getState().editor.masks.present.c1!.ops.at(-1)?.kind).toBe('clear');
  });
});

describe('MaskToolbar while a run trains', () => {
  it('disables the concept-mask edits and says why; Pan and the edit view stay usable', () => {
    const { store, unmount } = renderWithStore(<MaskToolbar />);
    act(() => store.setState((s) => ({ training: { ...s.training, status: { kind: 'running' } } })));
    for (const name of ['Brush', 'Eraser', 'Polygon / lasso', 'Fill (wand)', 'Snap to edges', 'Undo', 'Redo']) {
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }
    expect((screen.getByRole('button', { name: 'Pan' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText(/^Locked while training/)).toBeTruthy();
    act(() => store.setState((s) => ({ training: { ...s.training, status: { kind: 'idle' } } })));
    expect((screen.getByRole('button', { name: 'Brush' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByText(/^Locked while training/)).toBeNull();
    unmount();
    const edit = renderWithStore(<MaskToolbar surface="edit" />);
    act(() => edit.store.setState((s) => ({ training: { ...s.training, status: { kind: 'running' } } })));
    expect((screen.getByRole('button', { name: 'Brush' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
