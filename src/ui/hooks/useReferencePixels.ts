// Decodes the reference's training square into RGBA bytes (at most 512 px across) for the magic wand and snap to
// edges, and hands them to the store (setReferencePixels). Browser-only (canvas). The pixels are a view of the
// reference, never saved; masks keep only the regions made from them (editor/model.ts RegionOp).
import { useEffect } from 'react';
import { referencePixelsKey } from '../../state/index';
import type { ReferenceImage, StudioStore } from '../../state/index';

/** The wand and snap read the square at most this many px across (the mask display's resolution). */
const PIXELS_MAX = 512;

export function useReferencePixels(store: StudioStore, reference: ReferenceImage | null, image: HTMLImageElement | null): void {
  useEffect(() => {
    if (!reference || !image) return;
    const side = Math.max(1, Math.round(Math.min(reference.crop.size, PIXELS_MAX)));
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const { x, y, size } = reference.crop;
    ctx.drawImage(image, x, y, size, size, 0, 0, side, side);
    store.getState().setReferencePixels(referencePixelsKey(reference), { side, data: ctx.getImageData(0, 0, side, side).data });
  }, [store, reference, image]);
}
