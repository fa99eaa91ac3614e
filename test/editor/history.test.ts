// history.ts: commit/undo/redo on snapshots, redo cleared by a new commit, bounded depth.
import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, commit, createHistory, redo, undo } from '../../src/editor/index';

describe('history', () => {
  it('undoes and redoes in order, and a new commit clears redo', () => {
    let h = createHistory('a');
    h = commit(commit(h, 'b'), 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe('c');
    h = commit(undo(h), 'd');
    expect(h.present).toBe('d');
    expect(canRedo(h)).toBe(false);
    expect(undo(undo(undo(h))).present).toBe('a');
    expect(canUndo(createHistory(1))).toBe(false);
  });

  it('keeps at most `limit` past snapshots', () => {
    let h = createHistory(0);
    for (let k = 1; k <= 5; k++) h = commit(h, k, 3);
    expect(h.past).toEqual([2, 3, 4]);
  });
});
