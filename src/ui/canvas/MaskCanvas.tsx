// The mask editor canvas: the cropped reference image, one coloured layer per concept, the live preview,
// zoom (wheel) and pan; pointer events go to the current tool (editor/tools). Renders state, calls actions.
// Masks shown here are rasterised from data (maskBitmap.ts); Konva nodes are never the source of truth.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Group, Image as KonvaImage, Layer, Rect, Stage } from 'react-konva';
import type Konva from 'konva';
import { createTool, fitView, stagePoint, stageToImage } from '../../editor/index';
import type { ToolPointer } from '../../editor/index';
import { createToolContext, selectActiveConcept } from '../../state/index';
import { useHtmlImage } from '../hooks/useHtmlImage';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { maskCanvas } from './maskBitmap';
import { PreviewShape } from './PreviewShape';

const DISPLAY_MAX = 512;
const CURSORS: Record<string, string> = { brush: 'crosshair', eraser: 'cell', polygon: 'crosshair', fill: 'copy', pan: 'grab' };

function useElementSize(ref: React.RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 560, height: 560 });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.max(200, Math.floor(entry.contentRect.width)), height: Math.max(200, Math.floor(entry.contentRect.height)) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

export function MaskCanvas() {
  const store = useStudioStore();
  const reference = useStudio((s) => s.project.reference);
  const concepts = useStudio((s) => s.project.concepts);
  const doc = useStudio((s) => s.editor.masks.present);
  const view = useStudio((s) => s.editor.view);
  const opacity = useStudio((s) => s.editor.maskOpacity);
  const preview = useStudio((s) => s.editor.preview);
  const toolId = useStudio((s) => s.editor.tool);
  const active = useStudio(selectActiveConcept);
  const image = useHtmlImage(reference?.dataUrl ?? null);
  const box = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const { width, height } = useElementSize(box);
  const tool = useMemo(() => createTool(toolId, createToolContext(store)), [toolId, store]);
  const cropSize = reference?.crop.size ?? 0;

  useEffect(() => {
    if (cropSize > 0) store.getState().setView(fitView(cropSize, width, height));
  }, [store, reference?.dataUrl, cropSize, width, height]);

  const at = (evt: Event): ToolPointer | null => {
    const stage = stageRef.current;
    if (!stage) return null;
    stage.setPointersPositions(evt);
    const pos = stage.getPointerPosition();
    if (!pos) return null;
    const sp = stagePoint(pos.x, pos.y);
    return { stage: sp, image: stageToImage(sp, store.getState().editor.view) };
  };

  useEffect(() => {
    const onUp = (evt: PointerEvent): void => {
      const p = at(evt);
      if (p) tool.pointerUp(p);
    };
    window.addEventListener('pointerup', onUp);
    return () => {
      window.removeEventListener('pointerup', onUp);
      tool.cancel();
    };
  }, [tool]);

  if (!reference) {
    return (
      <div className="canvas-empty" ref={box}>
        <p>Load a reference image (left) to start painting concept masks.</p>
      </div>
    );
  }
  const res = Math.min(cropSize, DISPLAY_MAX);
  const onKey = (e: ReactKeyboardEvent): void => {
    if (e.key === 'Enter' || e.key === 'Escape') tool.key(e.key);
  };
  return (
    <div
      ref={box}
      className="mask-canvas"
      tabIndex={0}
      role="application"
      aria-label={`Mask canvas, tool ${toolId}, painting ${active?.token ?? 'no concept'}. Polygon: click points, Enter closes, Escape cancels.`}
      style={{ cursor: CURSORS[toolId] }}
      onKeyDown={onKey}
    >
      <Stage
        ref={stageRef}
        width={width}
        height={height}
        onPointerDown={(e) => {
          box.current?.focus({ preventScroll: true });
          const p = at(e.evt);
          if (p && e.evt.button === 0) tool.pointerDown(p);
        }}
        onPointerMove={(e) => {
          const p = at(e.evt);
          if (p) tool.pointerMove(p);
        }}
        onDblClick={(e) => {
          const p = at(e.evt);
          if (p) tool.doubleClick(p);
        }}
        onWheel={(e) => {
          e.evt.preventDefault();
          const p = at(e.evt);
          if (p) store.getState().zoomBy(e.evt.deltaY < 0 ? 1.1 : 1 / 1.1, p.stage);
        }}
      >
        <Layer>
          <Group x={view.offsetX} y={view.offsetY} scaleX={view.scale} scaleY={view.scale}>
            {image && <KonvaImage image={image} crop={{ x: reference.crop.x, y: reference.crop.y, width: cropSize, height: cropSize }} width={cropSize} height={cropSize} />}
            {concepts.map((c) => {
              const layer = doc[c.id];
              return layer ? <KonvaImage key={c.id} image={maskCanvas(layer, cropSize, res, c.color)} width={cropSize} height={cropSize} opacity={opacity} listening={false} /> : null;
            })}
            <PreviewShape op={preview} color={active?.color ?? '#888'} scale={view.scale} />
            <Rect width={cropSize} height={cropSize} stroke="#1b1f24" strokeWidth={1 / view.scale} listening={false} />
          </Group>
        </Layer>
      </Stage>
    </div>
  );
}
