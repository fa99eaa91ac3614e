// ReferencePanel: a non-image file is refused with a message naming it; the crop box moves with arrow keys
// and stays inside the image. (Real decoding and downscaling are covered by e2e/studio.spec.ts.)
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReferencePanel } from '../../src/ui/panels/ReferencePanel';
import { renderWithStore } from './render';

describe('ReferencePanel', () => {
  it('refuses a text file with a visible alert', async () => {
    const { store } = renderWithStore(<ReferencePanel />);
    const file = new File(['hello, these are notes'], 'notes.txt', { type: 'text/plain' });
    fireEvent.change(screen.getByLabelText('Reference image file'), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/"notes.txt" is not an image the studio can read/));
    expect(store.getState().project.reference).toBeNull();
  });

  it('moves the crop box with arrow keys, clamped to the image', () => {
    const { store } = renderWithStore(<ReferencePanel />);
    act(() => store.getState().setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 640, height: 480, originalWidth: 640, originalHeight: 480 }));
    const box = screen.getByRole('group', { name: /Crop box at x 80, y 0/ });
    fireEvent.keyDown(box, { key: 'ArrowLeft' });
    expect(store.getState().project.reference?.crop).toEqual({ x: 72, y: 0, size: 480 });
    fireEvent.keyDown(box, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(box, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(store.getState().project.reference?.crop).toEqual({ x: 160, y: 0, size: 480 });
    expect(screen.getByRole('status').textContent).toMatch(/Loaded "r.png" \(640×480\)/);
  });
});
