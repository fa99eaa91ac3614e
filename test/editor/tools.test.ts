// Tools driven by the pointer helper: state paths, committed operations, previews, pan deltas.
import { describe, expect, it } from 'vitest';
import { createTool } from '../../src/editor/index';
import type { ImagePx, MaskOp, ToolContext, ToolId, View } from '../../src/editor/index';
import { pointer } from '../helpers/pointer';

function setup(id: ToolId, view: View = { scale: 1, offsetX: 0, offsetY: 0 }) {
  const committed: MaskOp[] = [];
  const previews: (MaskOp | null)[] = [];
  const pans: [number, number][] = [];
  const ctx: ToolContext = {
    commit: (op) => committed.push(op),
    preview: (op) => previews.push(op),
    panBy: (dx, dy) => pans.push([dx, dy]),
    brushRadius: () => 8 as ImagePx,
  };
  const tool = createTool(id, ctx);
  return { tool, committed, previews, pans, p: pointer(() => tool, () => view) };
}

describe('when dragging with the brush', () => {
  it('goes idle → drawing → idle and commits one stroke in image pixels', () => {
    const { tool, committed, previews, p } = setup('brush', { scale: 2, offsetX: 10, offsetY: 0 });
    expect(tool.path).toBe('brush.idle');
    p.down(10, 0).move(30, 0).move(50, 20);
    expect(tool.path).toBe('brush.drawing');
    p.up(50, 20);
    expect(tool.path).toBe('brush.idle');
    expect(committed).toEqual([{ kind: 'stroke', mode: 'add', radius: 8, points: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 10 }] }]);
    expect(previews[previews.length - 1]).toBeNull();
  });

  it('skips points closer than a quarter radius', () => {
    const { committed, p } = setup('brush');
    p.drag([[0, 0], [1, 0], [3, 0], [5, 0]]);
    expect((committed[0] as Extract<MaskOp, { kind: 'stroke' }>).points.map((q) => q.x)).toEqual([0, 3, 5]);
  });

  it('drops the stroke on cancel', () => {
    const { tool, committed, p } = setup('brush');
    p.down(0, 0).move(20, 0).cancel();
    expect(tool.path).toBe('brush.idle');
    expect(committed).toEqual([]);
  });
});

describe('when dragging with the eraser', () => {
  it('commits an erase stroke', () => {
    const { committed, p } = setup('eraser');
    p.drag([[0, 0], [20, 0]]);
    expect(committed[0]).toMatchObject({ kind: 'stroke', mode: 'erase' });
  });
});

describe('when clicking with the polygon tool', () => {
  it('adds a vertex per click and closes on Enter', () => {
    const { tool, committed, p } = setup('polygon');
    p.down(0, 0).up(0, 0).down(40, 0).up(40, 0).down(40, 40).up(40, 40);
    expect(tool.path).toBe('polygon.drawing');
    p.key('Enter');
    expect(tool.path).toBe('polygon.idle');
    expect(committed).toEqual([{ kind: 'polygon', mode: 'add', points: [{ x: 0, y: 0 }, { x: 40, y: 0 }, { x: 40, y: 40 }] }]);
  });

  it('closes when clicking near the first vertex, and drops shapes under 3 vertices', () => {
    const a = setup('polygon');
    a.p.down(0, 0).up(0, 0).down(40, 0).up(40, 0).down(40, 40).up(40, 40).down(3, 2);
    expect(a.committed).toHaveLength(1);
    const b = setup('polygon');
    b.p.down(0, 0).up(0, 0).down(40, 0).up(40, 0).down(40, 0).up(40, 0).dblclick(40, 0);
    expect(b.committed).toEqual([]);
    expect(b.tool.path).toBe('polygon.idle');
  });

  it('ignores a "double click" made of two quick clicks far apart, and closes on one at the last vertex', () => {
    const { tool, committed, p } = setup('polygon');
    p.down(0, 0).up(0, 0).down(40, 0).up(40, 0).dblclick(40, 0 + 30);
    expect(tool.path).toBe('polygon.drawing');
    p.down(40, 40).up(40, 40).down(40, 40).up(40, 40).dblclick(40, 40);
    expect(committed).toEqual([{ kind: 'polygon', mode: 'add', points: [{ x: 0, y: 0 }, { x: 40, y: 0 }, { x: 40, y: 40 }] }]);
  });

  it('traces a lasso while dragging and closes it on release; Escape cancels', () => {
    const a = setup('polygon');
    a.p.drag([[0, 0], [20, 0], [20, 20], [0, 20]]);
    expect(a.committed[0]).toMatchObject({ kind: 'polygon', points: [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }, { x: 0, y: 20 }] });
    const b = setup('polygon');
    b.p.down(0, 0).up(0, 0).down(30, 0).up(30, 0).key('Escape');
    expect(b.tool.path).toBe('polygon.idle');
    expect(b.committed).toEqual([]);
  });
});

describe('fill and pan', () => {
  it('fill commits a fill op where pressed', () => {
    const { committed, p } = setup('fill', { scale: 0.5, offsetX: 0, offsetY: 0 });
    p.down(10, 20);
    expect(committed).toEqual([{ kind: 'fill', at: { x: 20, y: 40 } }]);
  });

  it('pan moves the view by stage deltas while pressed only', () => {
    const { tool, pans, p } = setup('pan', { scale: 4, offsetX: 0, offsetY: 0 });
    p.down(10, 10).move(15, 12);
    expect(tool.path).toBe('pan.panning');
    p.move(15, 20).up(15, 20).move(50, 50);
    expect(pans).toEqual([[5, 2], [0, 8]]);
    expect(tool.path).toBe('pan.idle');
  });
});
