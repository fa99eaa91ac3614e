// The Konva content of the mask canvas in image pixels: the cropped reference, one coloured raster per
// concept (from editor/raster.ts via maskBitmap.ts; soft edges as partial alpha), the live preview, the square's outline and the brush outline.
// Display only; never the source of truth for masks. Also hands the decoded square to the store for the wand.
import { useCallback } from 'react';
import { Circle, Group, Image as KonvaImage, Rect } from 'react-konva';
import type { ImagePoint, PixelSquare } from '../../editor/index';
import { selectActiveConcept } from '../../state/index';
import type { ReferenceImage } from '../../state/index';
import { useHtmlImage } from '../hooks/useHtmlImage';
import { useSquarePixels } from '../hooks/useSquarePixels';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { maskCanvas } from './maskBitmap';
import { PreviewShape } from './PreviewShape';

/** Masks are shown at most this many pixels across (the data stays resolution-free). */
const DISPLAY_MAX = 512;

function BrushCursor({ at, scale }: { at: ImagePoint | null; scale: number }) {
  const tool = useStudio((s) => s.editor.tool);
  const radius = useStudio((s) => s.editor.brushRadius);
  if (!at || (tool !== 'brush' && tool !== 'eraser')) return null;
  return <Circle x={at.x} y={at.y} radius={radius} stroke="#ffffff" strokeWidth={1.5 / scale} dash={[4 / scale, 3 / scale]} listening={false} />;
}

/** @param hover the pointer in image pixels (for the brush outline), null when outside */
export function MaskLayers({ reference, hover }: { reference: ReferenceImage; hover: ImagePoint | null }) {
  const concepts = useStudio((s) => s.project.concepts);
  const doc = useStudio((s) => s.editor.masks.present);
  const view = useStudio((s) => s.editor.view);
  const opacity = useStudio((s) => s.editor.maskOpacity);
  const preview = useStudio((s) => s.editor.preview);
  const active = useStudio(selectActiveConcept);
  const image = useHtmlImage(reference.dataUrl);
  const store = useStudioStore();
  useSquarePixels(reference, image, useCallback((key: string, pixels: PixelSquare) => store.getState().setReferencePixels(key, pixels), [store]));
  const size = reference.crop.size;
  const res = Math.min(size, DISPLAY_MAX);
  return (
    <Group x={view.offsetX} y={view.offsetY} scaleX={view.scale} scaleY={view.scale}>
      {image && <KonvaImage image={image} crop={{ x: reference.crop.x, y: reference.crop.y, width: size, height: size }} width={size} height={size} />}
      {concepts.map((c) => {
        const layer = doc[c.id];
        return layer ? <KonvaImage key={c.id} image={maskCanvas(layer, size, res, c.color)} width={size} height={size} opacity={opacity} listening={false} /> : null;
      })}
      <PreviewShape op={preview} color={active?.color ?? '#888'} scale={view.scale} />
      <Rect width={size} height={size} stroke="#1b1f24" strokeWidth={1 / view.scale} listening={false} />
      <BrushCursor at={hover} scale={view.scale} />
    </Group>
  );
}
