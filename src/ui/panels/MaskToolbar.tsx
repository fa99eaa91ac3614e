// Mask tools: tool buttons (with shortcut hints), brush size and feather, the fill's tolerance and add/erase,
// snap to edges, overlay opacity, zoom, undo/redo, clear.
// Calls store actions only. Reference: the studio's mask editor, accessibility (labels, keyboard reachable).
import type { ToolId } from '../../editor/index';
import { WAND_TOLERANCE } from '../../editor/index';
import { isTrainingActive, LOCKED_WHILE_TRAINING, MAX_BRUSH_FEATHER, MAX_BRUSH_RADIUS, MIN_BRUSH_RADIUS, referencePixelsKey, selectActiveConcept } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

const TOOLS: readonly { id: ToolId; label: string; key: string; hint: string }[] = [
  { id: 'brush', label: 'Brush', key: 'B', hint: 'Drag to paint. [ and ] change the size.' },
  { id: 'eraser', label: 'Eraser', key: 'E', hint: 'Drag to erase from the selected concept.' },
  { id: 'polygon', label: 'Polygon / lasso', key: 'P', hint: 'Click corners, then Enter, a double click or a click on the first corner; or drag a lasso. Esc cancels.' },
  { id: 'fill', label: 'Fill (wand)', key: 'F', hint: 'Click the reference: the connected region of similar colour (within the tolerance) is added, or erased.' },
  { id: 'pan', label: 'Pan', key: 'H', hint: 'Drag to move the view; the wheel zooms.' },
];

/** @param surface the canvas the tools paint: snap to edges works on concept masks only, so the edit view hides it */
export function MaskToolbar({ surface = 'masks' }: { surface?: 'masks' | 'edit' }) {
  const store = useStudioStore();
  const s = store.getState();
  const tool = useStudio((st) => st.editor.tool);
  const radius = useStudio((st) => st.editor.brushRadius);
  const feather = useStudio((st) => st.editor.brushFeather);
  const tolerance = useStudio((st) => st.editor.wandTolerance);
  const wandMode = useStudio((st) => st.editor.wandMode);
  const hasPixels = useStudio((st) => st.project.reference !== null && st.editor.referencePixels?.key === referencePixelsKey(st.project.reference));
  const opacity = useStudio((st) => st.editor.maskOpacity);
  const history = useStudio((st) => st.editor.masks);
  const active = useStudio(selectActiveConcept);
  const cropSize = useStudio((st) => st.project.reference?.crop.size ?? 0);
  // concept masks are locked while a run trains (the store refuses the edits): the buttons say so instead of looking usable
  const isLocked = useStudio((st) => surface === 'masks' && isTrainingActive(st));
  const lockedTitle = isLocked ? LOCKED_WHILE_TRAINING : undefined;
  return (
    <div className="toolbar" role="toolbar" aria-label="Mask tools">
      <div className="tool-group">
        {TOOLS.map((t) => (
          <button key={t.id} type="button" aria-pressed={tool === t.id} title={t.id !== 'pan' && lockedTitle ? lockedTitle : `${t.label} (${t.key})`} disabled={isLocked && t.id !== 'pan'} onClick={() => s.setTool(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <label className="inline">
        Brush size
        <input type="range" min={MIN_BRUSH_RADIUS} max={96} value={Math.min(radius, MAX_BRUSH_RADIUS)} onChange={(e) => s.setBrushRadius(Number(e.target.value))} />
        <span className="num" title={`radius ${radius} px`}>⌀ {2 * radius} px</span>
      </label>
      <label className="inline" title="Soft brush: the edge fades over this many px (0 = hard edge)">
        Feather
        <input type="range" min={0} max={MAX_BRUSH_FEATHER} value={feather} onChange={(e) => s.setBrushFeather(Number(e.target.value))} />
        <span className="num">{feather} px</span>
      </label>
      {tool === 'fill' && (
        <div className="tool-group" role="group" aria-label="Fill options">
          <label className="inline" title="Largest difference of a colour channel from the clicked pixel (0–255)">
            Tolerance
            <input type="range" min={WAND_TOLERANCE.min} max={WAND_TOLERANCE.max} value={tolerance} onChange={(e) => s.setWandTolerance(Number(e.target.value))} />
            <span className="num">{tolerance}</span>
          </label>
          <button type="button" aria-pressed={wandMode === 'add'} onClick={() => s.setWandMode('add')}>Add region</button>
          <button type="button" aria-pressed={wandMode === 'erase'} onClick={() => s.setWandMode('erase')}>Erase region</button>
        </div>
      )}
      {surface === 'masks' && (
        <button
          type="button"
          onClick={() => s.snapActiveLayer()}
          disabled={!active || !hasPixels || isLocked}
          title={lockedTitle ?? "Turns the selected concept's rough mask into reference superpixels that follow the image's edges (one undo step)"}
        >
          Snap to edges
        </button>
      )}
      <label className="inline">
        Mask opacity
        <input type="range" min={0} max={100} value={Math.round(opacity * 100)} onChange={(e) => s.setMaskOpacity(Number(e.target.value) / 100)} />
      </label>
      <div className="tool-group">
        <button type="button" onClick={() => s.zoomBy(1.25)} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => s.zoomBy(0.8)} aria-label="Zoom out">-</button>
        <button type="button" onClick={s.fitToStage} disabled={!cropSize}>Fit</button>
      </div>
      <div className="tool-group">
        <button type="button" onClick={s.undo} disabled={history.past.length === 0 || isLocked} title={lockedTitle ?? 'Undo (Ctrl+Z)'}>Undo</button>
        <button type="button" onClick={s.redo} disabled={history.future.length === 0 || isLocked} title={lockedTitle ?? 'Redo (Ctrl+Shift+Z)'}>Redo</button>
        <button type="button" onClick={s.clearActiveLayer} disabled={!active || isLocked} title={lockedTitle}>Clear {active?.token ?? ''}</button>
      </div>
      <p className="hint tool-hint" aria-live="polite">{isLocked ? LOCKED_WHILE_TRAINING : `${TOOLS.find((t) => t.id === tool)?.hint ?? ''} Ctrl+Z undoes, Ctrl+Shift+Z redoes.`}</p>
    </div>
  );
}
