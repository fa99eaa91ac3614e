// The edit view's panel (happy-dom, no Konva canvas: no source picked): the repaint choice and strength reach
// the store (the inpaint area and its padding too), and generating without an image shows the store's message instead of calling the engine.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EnginePort, GenerateRequest } from '../../src/state/index';
import { EditPanel } from '../../src/ui/panels/EditPanel';
import { renderWithStore } from './render';

describe('EditPanel', () => {
  it('sets what is repainted and the strength, and names the missing image', async () => {
    const requests: GenerateRequest[] = [];
    const engine: EnginePort = { modelName: 'recording port', samplers: ['DDIM'], generate: (req) => (requests.push(req), new Promise(() => undefined)), train: () => new Promise(() => undefined) };
    const { store } = renderWithStore(<EditPanel engineSamplers={engine.samplers} />, { engine });
    act(() => store.getState().updateGeneration({ prompt: 'a <cat1> sleeping' }));
    expect(screen.getByText('a <cat1> sleeping')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Inpaint not masked'));
    expect(store.getState().edit).toMatchObject({ mode: 'inpaint', invertMask: true });
    expect((screen.getByLabelText('Only masked padding (px)') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Only masked'));
    expect(store.getState().edit.onlyMasked).toBe(true);
    fireEvent.change(screen.getByLabelText('Only masked padding (px)'), { target: { value: '48' } });
    expect(store.getState().edit.maskedPadding).toBe(48);
    fireEvent.click(screen.getByLabelText('Whole picture'));
    expect(store.getState().edit.onlyMasked).toBe(false);
    fireEvent.click(screen.getByLabelText('Whole image (image-to-image)'));
    expect(store.getState().edit.mode).toBe('img2img');
    fireEvent.change(screen.getByLabelText('Denoising strength'), { target: { value: '0.4' } });
    expect(store.getState().edit.strength).toBe(0.4);
    expect((screen.getByRole('button', { name: 'Edit the reference' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Generate edit' })));
    expect(screen.getByText(/Pick the image to edit first/)).toBeTruthy();
    expect(requests).toEqual([]);
  });
});
