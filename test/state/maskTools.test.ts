// The mask tools through the store: the fill tool is the magic wand once the reference's pixels are decoded,
// snap to edges is one undo step that moves the mask to the disc's edge, "Clear all masks" after a new
// reference, and project files carry regions and soft strokes (a malformed region is refused by field).
import { describe, expect, it } from 'vitest';
import { createTool, decodeRuns, imagePoint, rasterizeLayer } from '../../src/editor/index';
import type { ImagePx, MaskOp } from '../../src/editor/index';
import { createEditToolContext, createStudioStore, createToolContext, parseProjectFile, ProjectFileError, referencePixelsKey } from '../../src/state/index';
import type { StudioStore } from '../../src/state/index';
import { discScene, iou } from '../helpers/discScene';
import { pointer } from '../helpers/pointer';

/** A 256 px reference (training square 256) whose decoded pixels (at 128) show a disc at (120, 132) r 60. */
function storeWithDisc(): { store: StudioStore; disc: Uint8Array } {
  const store = createStudioStore();
  store.getState().setReference({ name: 'disc.png', dataUrl: 'data:image/png;base64,AAAA', width: 256, height: 256, originalWidth: 256, originalHeight: 256 });
  const { pixels, disc } = discScene(128, 60, 66, 30);
  store.getState().setReferencePixels(referencePixelsKey(store.getState().project.reference!), pixels);
  return { store, disc };
}

const activeMask = (store: StudioStore, res = 128): Uint8Array => {
  const s = store.getState();
  return rasterizeLayer(s.editor.masks.present[s.editor.activeConceptId!]!, 256, res);
};

describe('the fill tool in the studio', () => {
  it('adds the clicked colour region, then erases it in erase mode', () => {
    const { store, disc } = storeWithDisc();
    store.getState().setTool('fill');
    const p = pointer(() => createTool('fill', createToolContext(store)));
    p.down(120, 132).up(120, 132);
    expect(iou(activeMask(store), disc)).toBe(1);
    store.getState().setWandMode('erase');
    p.down(120, 132).up(120, 132);
    expect(activeMask(store).every((v) => v === 0)).toBe(true);
    expect(store.getState().editor.masks.past).toHaveLength(2); // add, erase: one undo step each
  });

  it('clamps the tolerance to 0–255 and falls back to the unpainted-region flood for pixels of another crop', () => {
    const { store } = storeWithDisc();
    store.getState().setWandTolerance(999);
    expect(store.getState().editor.wandTolerance).toBe(255);
    store.getState().setWandTolerance(-4);
    expect(store.getState().editor.wandTolerance).toBe(0);
    store.getState().setReferencePixels('another image', discScene(128, 60, 66, 30).pixels);
    pointer(() => createTool('fill', createToolContext(store))).down(10, 10).up(10, 10);
    const layer = store.getState().editor.masks.present.c1!;
    expect(layer.ops.at(-1)).toEqual({ kind: 'fill', at: { x: 10, y: 10 } });
  });
});

describe('the fill tool in the edit view', () => {
  it('is the wand on the edit source square once its pixels are decoded, else the unpainted-region flood', () => {
    const { store, disc } = storeWithDisc();
    store.getState().editReference();
    const source = store.getState().edit.source!;
    const p = pointer(() => createTool('fill', createEditToolContext(store)));
    p.down(5, 5).up(5, 5);
    expect(store.getState().edit.mask.present.ops.at(-1)).toEqual({ kind: 'fill', at: { x: 5, y: 5 } });
    store.getState().setEditSourcePixels(referencePixelsKey(source), discScene(128, 60, 66, 30).pixels);
    p.down(120, 132).up(120, 132);
    const op = store.getState().edit.mask.present.ops.at(-1)!;
    expect(op.kind).toBe('region');
    expect(iou(rasterizeLayer({ conceptId: 'edit', ops: [op] }, 256, 128), disc)).toBe(1);
  });
});

describe('snap to edges in the studio', () => {
  it('replaces a rough mask by one close to the disc, in one undo step', () => {
    const { store, disc } = storeWithDisc();
    store.getState().commitOp({ kind: 'stroke', mode: 'add', radius: 72 as ImagePx, points: [imagePoint(130, 124)] });
    const before = iou(activeMask(store), disc);
    expect(store.getState().snapActiveLayer()).toBe(true);
    const after = iou(activeMask(store), disc);
    expect(before).toBeLessThan(0.72);
    expect(after).toBeGreaterThan(0.97);
    store.getState().undo();
    expect(iou(activeMask(store), disc)).toBe(before);
  });

  it('does nothing without decoded pixels for this reference', () => {
    const store = createStudioStore();
    store.getState().setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    expect(store.getState().snapActiveLayer()).toBe(false);
  });
});

describe('replacing the reference', () => {
  it('offers to clear the masks; "Clear all masks" clears every layer in one undo step', () => {
    const { store } = storeWithDisc();
    store.getState().commitOp({ kind: 'stroke', mode: 'add', radius: 20 as ImagePx, points: [imagePoint(50, 50)] });
    store.getState().setReference({ name: 'other.png', dataUrl: 'data:image/png;base64,BBBB', width: 128, height: 128, originalWidth: 128, originalHeight: 128 });
    expect(store.getState().project.referenceNotice?.offer).toBe('clear-masks');
    store.getState().clearAllLayers();
    expect(activeMask(store).every((v) => v === 0)).toBe(true);
    store.getState().undo();
    expect(activeMask(store).some((v) => v !== 0)).toBe(true);
  });

  it('offers nothing when no mask is painted', () => {
    const store = createStudioStore();
    store.getState().setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    expect(store.getState().project.referenceNotice?.offer).toBeUndefined();
  });
});

describe('project files with regions and soft strokes', () => {
  function exported(): { text: string; store: StudioStore } {
    const { store } = storeWithDisc();
    pointer(() => createTool('fill', createToolContext(store))).down(120, 132).up(120, 132);
    store.getState().commitOp({ kind: 'stroke', mode: 'erase', radius: 10 as ImagePx, feather: 4 as ImagePx, points: [imagePoint(120, 132)] });
    return { text: store.getState().exportProject(), store };
  }

  it('round-trip the region and the feather', () => {
    const { text, store } = exported();
    const file = parseProjectFile(text);
    const ops = file.masks.c1!.ops;
    const region = ops.find((o): o is Extract<MaskOp, { kind: 'region' }> => o.kind === 'region')!;
    expect(region.side).toBe(128);
    expect(decodeRuns(region.runs, 128)).toEqual(decodeRuns((store.getState().editor.masks.present.c1!.ops.find((o) => o.kind === 'region') as typeof region).runs, 128));
    expect(ops.at(-1)).toMatchObject({ kind: 'stroke', feather: 4 });
    expect(rasterizeLayer(file.masks.c1!, 256, 64)).toEqual(rasterizeLayer(store.getState().editor.masks.present.c1!, 256, 64));
  });

  it.each([
    ['runs that do not cover the region', (op: Record<string, unknown>) => (op.runs = [1, 2, 3]), /"masks\.c1\.ops\[\d+\]\.runs" must cover the 128×128 region's 16384 cells exactly, got "6 cells"/],
    ['a negative run', (op: Record<string, unknown>) => (op.runs = [-1, 16385]), /masks\.c1\.ops\[\d+\]\.runs\[0\]/],
    ['a side past 512', (op: Record<string, unknown>) => (op.side = 4096), /masks\.c1\.ops\[\d+\]\.side/],
    ['no mode', (op: Record<string, unknown>) => delete op.mode, /masks\.c1\.ops\[\d+\]\.mode/],
  ])('refuse a region with %s, naming the field', (_what, spoil, field) => {
    const f = JSON.parse(exported().text) as { masks: { c1: { ops: Record<string, unknown>[] } } };
    spoil(f.masks.c1.ops.find((o) => o.kind === 'region')!);
    expect(() => parseProjectFile(JSON.stringify(f))).toThrow(ProjectFileError);
    expect(() => parseProjectFile(JSON.stringify(f))).toThrow(field);
  });

  it('refuses a feather past its limit', () => {
    const f = JSON.parse(exported().text) as { masks: { c1: { ops: Record<string, unknown>[] } } };
    f.masks.c1.ops.at(-1)!.feather = 1000;
    expect(() => parseProjectFile(JSON.stringify(f))).toThrow(/masks\.c1\.ops\[\d+\]\.feather/);
  });
});
