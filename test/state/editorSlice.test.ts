// The editor slice driven through real tools: strokes land in the active layer, rasterised bytes match,
// undo/redo step through committed operations, overlaps and empty masks are warned about.
import { describe, expect, it } from 'vitest';
import { createTool, rasterizeLayer } from '../../src/editor/index';
import type { ToolId } from '../../src/editor/index';
import { createStudioStore, createToolContext, selectConceptChecks, selectMaskStats } from '../../src/state/index';
import type { StudioStore } from '../../src/state/index';
import { pointer } from '../helpers/pointer';

function storeWithImage(): StudioStore {
  const store = createStudioStore();
  store.getState().setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
  return store;
}

function drive(store: StudioStore) {
  const tool = { current: createTool(store.getState().editor.tool, createToolContext(store)) };
  const use = (id: ToolId) => {
    store.getState().setTool(id);
    tool.current = createTool(id, createToolContext(store));
  };
  return { tool, use, p: pointer(() => tool.current, () => store.getState().editor.view) };
}

describe('when painting in the store', () => {
  it('commits a polygon to the active concept and rasterises it', () => {
    const store = storeWithImage();
    const { use, p } = drive(store);
    use('polygon');
    p.down(0, 0).up(0, 0).down(32, 0).up(32, 0).down(32, 32).up(32, 32).down(0, 32).up(0, 32).key('Enter');
    const layer = store.getState().editor.masks.present.c1!;
    expect(layer.ops).toHaveLength(1);
    const m = rasterizeLayer(layer, 64, 4);
    expect(Array.from(m)).toEqual([255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(store.getState().editor.preview).toBeNull();
  });

  it('undoes and redoes strokes one at a time', () => {
    const store = storeWithImage();
    const { p } = drive(store);
    store.getState().setBrushRadius(4);
    p.drag([[8, 8], [20, 8]]).drag([[8, 40], [20, 40]]);
    const ops = () => store.getState().editor.masks.present.c1!.ops.length;
    expect(ops()).toBe(2);
    store.getState().undo();
    expect(ops()).toBe(1);
    store.getState().undo();
    expect(ops()).toBe(0);
    expect(store.getState().canUndo()).toBe(false);
    expect(store.getState().canRedo()).toBe(true);
    store.getState().redo();
    expect(ops()).toBe(1);
    store.getState().clearActiveLayer();
    expect(selectMaskStats(store.getState()).coverage.c1).toBe(0);
    store.getState().undo();
    expect(selectMaskStats(store.getState()).coverage.c1).toBeGreaterThan(0);
  });

  it('paints into the active concept only, and warns about overlaps and empty masks', () => {
    const store = storeWithImage();
    const { use, p } = drive(store);
    store.getState().addConcept();
    expect(selectConceptChecks(store.getState()).c2!.some((k) => /mask of <concept2> is empty/.test(k.text))).toBe(true);
    use('fill');
    p.down(5, 5);
    store.getState().setActiveConcept('c1');
    use('brush');
    p.drag([[10, 10], [30, 10]]);
    const stats = selectMaskStats(store.getState());
    expect(stats.coverage.c2).toBe(1);
    expect(stats.overlaps).toHaveLength(1);
    expect(selectConceptChecks(store.getState()).c1!.map((k) => k.text).join()).toMatch(/<concept1> overlaps <concept2>/);
  });

  it('zooms around the cursor and pans with the pan tool', () => {
    const store = storeWithImage();
    const { use, p } = drive(store);
    store.getState().zoomBy(2, { x: 10, y: 10 } as never);
    expect(store.getState().editor.view).toEqual({ scale: 2, offsetX: -10, offsetY: -10 });
    use('pan');
    p.down(0, 0).move(5, 7).up(5, 7);
    expect(store.getState().editor.view).toEqual({ scale: 2, offsetX: -5, offsetY: -3 });
    store.getState().setStageSize(200, 100);
    store.getState().fitToStage();
    expect(store.getState().editor.view).toEqual({ scale: 100 / 64, offsetX: 50, offsetY: 0 });
    store.getState().zoomBy(2);
    expect(store.getState().editor.view).toEqual({ scale: 200 / 64, offsetX: 0, offsetY: -50 });
  });
});
