// The mask editor canvas: a Konva stage sized to its box, showing MaskLayers; pointer events go to the
// current tool (useToolPointer), the wheel zooms, Enter/Escape reach the polygon tool. Renders state and
// calls actions only. Reference: the studio's mask editor.
import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { Layer, Stage } from 'react-konva';
import type Konva from 'konva';
import type { ImagePoint } from '../../editor/index';
import { selectActiveConcept } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { useToolPointer } from '../hooks/useToolPointer';
import { MaskLayers } from './MaskLayers';

/** tool id → CSS cursor */
const CURSORS: Record<string, string> = { brush: 'crosshair', eraser: 'cell', polygon: 'crosshair', fill: 'copy', pan: 'grab' };

function useElementSize(ref: RefObject<HTMLDivElement | null>): { width: number; height: number } {
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
  const toolId = useStudio((s) => s.editor.tool);
  const active = useStudio(selectActiveConcept);
  const box = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const { width, height } = useElementSize(box);
  const { tool, handlers } = useToolPointer(store, toolId, stageRef, box);
  const [hover, setHover] = useState<ImagePoint | null>(null);
  const cropSize = reference?.crop.size ?? 0;
  useEffect(() => {
    store.getState().setStageSize(width, height);
    store.getState().fitToStage();
  }, [store, reference?.dataUrl, cropSize, width, height]);
  if (!reference) {
    return (
      <div className="canvas-empty" ref={box}>
        <p>Load a reference image (left) to start painting concept masks.</p>
      </div>
    );
  }
  return (
    <div
      ref={box}
      className="mask-canvas"
      tabIndex={0}
      role="application"
      aria-label={`Mask canvas, tool ${toolId}, painting ${active?.token ?? 'no concept'}. Polygon: click points, Enter closes, Escape cancels.`}
      style={{ cursor: CURSORS[toolId] }}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === 'Escape') && tool.key(e.key)}
    >
      <Stage
        ref={stageRef}
        width={width}
        height={height}
        {...handlers}
        onPointerMove={(e) => setHover(handlers.onPointerMove(e))}
        onPointerLeave={() => setHover(null)}
      >
        <Layer>
          <MaskLayers reference={reference} hover={hover} />
        </Layer>
      </Stage>
    </div>
  );
}
