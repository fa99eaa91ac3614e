// Decodes an image's square (the reference's training square, the edit source's) into RGBA bytes, at most 512 px
// across, for the magic wand and snap to edges, and hands them to the store with their referencePixelsKey.
// Browser-only (canvas). The pixels are a view of the image, never saved; masks keep only the regions made from
// them (editor/model.ts RegionOp).
import { useEffect } from 'react';
import type { PixelSquare } from '../../editor/index';
import { referencePixelsKey } from '../../state/index';
import type { ReferenceImage } from '../../state/index';

/** The wand and snap read the square at most this many px across (the mask display's resolution). */
const PIXELS_MAX = 512;

type Square = { readonly dataUrl: string; readonly crop: ReferenceImage['crop'] };

export function useSquarePixels(source: Square | null, image: HTMLImageElement | null, onPixels: (key: string, pixels: PixelSquare) => void): void {
  useEffect(() => {
    if (!source || !image) return;
    const side = Math.max(1, Math.round(Math.min(source.crop.size, PIXELS_MAX)));
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const { x, y, size } = source.crop;
    ctx.drawImage(image, x, y, size, size, 0, 0, side, side);
    onPixels(referencePixelsKey(source), { side, data: ctx.getImageData(0, 0, side, side).data });
  }, [source, image, onPixels]);
}
