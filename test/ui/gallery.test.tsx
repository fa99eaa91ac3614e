// The gallery panel against a real store: kept images are listed with prompt, seed and infotext, each has a
// download link named after its seed and prompt, Delete asks once before removing, and the viewer opens and closes.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/state/index';
import { GalleryPanel } from '../../src/ui/panels/GalleryPanel';
import { renderWithStore } from './render';

const request = { prompt: 'a <c1> star', expandedPrompt: 'a <c1> star', negativePrompt: '', seed: 4, steps: 5, guidance: 2, sampler: 'DDIM' as const, batch: 1, width: 64, height: 64 };

describe('GalleryPanel', () => {
  it('lists kept images with their settings, downloads, asks before deleting, opens the viewer', async () => {
    const r = renderWithStore(<GalleryPanel />, { storage: memoryStorage() });
    expect(screen.getByText(/kept here, with their settings, across reloads/)).toBeTruthy();
    await act(() => r.store.getState().keepInGallery([{ dataUrl: 'data:image/png;base64,AA', seed: 4, width: 64, height: 64, infotext: 'a <c1> star\nSteps: 5, Seed: 4' }], request));
    expect(screen.getByRole('heading', { name: 'Gallery (1)' })).toBeTruthy();
    expect(screen.getByText(/seed 4 · 5 steps · DDIM · CFG 2 · 64×64/)).toBeTruthy();
    expect(screen.getByText(/Steps: 5, Seed: 4/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download' }).getAttribute('download')).toBe('disenstudio-4-a-c1-star.png');
    fireEvent.click(screen.getByRole('button', { name: 'Open image seed 4 full size' }));
    expect(screen.getByRole('dialog', { name: 'Image viewer' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Delete image seed 4' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep' }));
    expect(r.store.getState().gallery.items).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Delete image seed 4' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Delete it' })));
    expect(r.store.getState().gallery.items).toHaveLength(0);
  });
});
