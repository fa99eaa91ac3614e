// The edit view's canvas: the source square (reference crop, generated image or upload) with the repaint mask
// drawn over it, painted with the mask editor's tools (brush, eraser, polygon, fill = the wand on the source's
// pixels, pan; same tool, brush size, feather and tolerance as the concept masks) into the edit mask (editSlice). Renders state and calls store actions only.
// Reference: MaskCanvas.tsx (the concept-mask canvas), editor/tools.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Circle, Group, Image as KonvaImage, Layer, Rect, Stage } from 'react-konva';
import type Konva from 'konva';
import { zoomAt } from '../../editor/index';
import type { ImagePoint, PixelSquare } from '../../editor/index';
import { createEditToolContext } from '../../state/index';
import { useHtmlImage } from '../hooks/useHtmlImage';
import { useSquarePixels } from '../hooks/useSquarePixels';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { useToolPointer } from '../hooks/useToolPointer';
import type { ToolSurface } from '../hooks/useToolPointer';
import { maskCanvas } from './maskBitmap';
import { PreviewShape } from './PreviewShape';

const MASK_COLOR = '#ff3ea5';
const STAGE = 360;

const EDIT_SURFACE: ToolSurface = {
  context: createEditToolContext,
  view: (store) => store.getState().edit.view,
  zoom: (store, factor, at) => store.getState().setEditView(zoomAt(store.getState().edit.view, at, factor)),
};

export function EditCanvas() {
  const store = useStudioStore();
  const source = useStudio((s) => s.edit.source);
  const layer = useStudio((s) => s.edit.mask.present);
  const preview = useStudio((s) => s.edit.preview);
  const view = useStudio((s) => s.edit.view);
  const toolId = useStudio((s) => s.editor.tool);
  const radius = useStudio((s) => s.editor.brushRadius);
  const box = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const { tool, handlers } = useToolPointer(store, toolId, stageRef, box, EDIT_SURFACE);
  const [hover, setHover] = useState<ImagePoint | null>(null);
  const image = useHtmlImage(source?.dataUrl ?? null);
  useSquarePixels(source, image, useCallback((key: string, pixels: PixelSquare) => store.getState().setEditSourcePixels(key, pixels), [store]));
  useEffect(() => store.getState().fitEditView(STAGE, STAGE), [store, source]);
  if (!source) return <p className="hint">Pick the image to edit: the reference, a generated image or an upload.</p>;
  const size = source.crop.size;
  return (
    <div
      ref={box}
      className="edit-canvas"
      tabIndex={0}
      role="application"
      aria-label={`Edit canvas, tool ${toolId}: paint the region to repaint. Polygon: click points, Enter closes, Escape cancels.`}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === 'Escape') && tool.key(e.key)}
      style={{ width: STAGE, height: STAGE }}
    >
      <Stage ref={stageRef} width={STAGE} height={STAGE} {...handlers} onPointerMove={(e) => setHover(handlers.onPointerMove(e))} onPointerLeave={() => setHover(null)}>
        <Layer>
          <Group x={view.offsetX} y={view.offsetY} scaleX={view.scale} scaleY={view.scale}>
            {image && <KonvaImage image={image} crop={{ x: source.crop.x, y: source.crop.y, width: size, height: size }} width={size} height={size} />}
            <KonvaImage image={maskCanvas(layer, size, Math.min(size, 512), MASK_COLOR)} width={size} height={size} opacity={0.5} listening={false} />
            <PreviewShape op={preview} color={MASK_COLOR} scale={view.scale} />
            <Rect width={size} height={size} stroke="#1b1f24" strokeWidth={1 / view.scale} listening={false} />
            {hover && (toolId === 'brush' || toolId === 'eraser') && <Circle x={hover.x} y={hover.y} radius={radius} stroke="#ffffff" strokeWidth={1.5 / view.scale} listening={false} />}
          </Group>
        </Layer>
      </Stage>
    </div>
  );
}
