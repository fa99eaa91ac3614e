// Global editor shortcuts: undo/redo, tool keys, brush size, zoom. Ignored while typing in a field.
// Calls store actions only. Reference: the studio's mask editor (keyboard shortcuts) and keyboard access.
import { useEffect } from 'react';
import type { StudioStore, StudioState } from '../../state/index';
import type { ToolId } from '../../editor/index';

/** key → tool */
const TOOL_KEYS: Record<string, ToolId> = { b: 'brush', e: 'eraser', p: 'polygon', l: 'polygon', f: 'fill', h: 'pan' };

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

function handle(e: KeyboardEvent, s: StudioState): boolean {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') return e.shiftKey ? (s.redo(), true) : (s.undo(), true);
  if (mod && key === 'y') return s.redo(), true;
  if (mod || e.altKey) return false;
  const tool = TOOL_KEYS[key];
  if (tool) return s.setTool(tool), true;
  if (key === '[') return s.setBrushRadius(s.editor.brushRadius - 2), true;
  if (key === ']') return s.setBrushRadius(s.editor.brushRadius + 2), true;
  return false;
}

export function useKeyboardShortcuts(store: StudioStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target)) return;
      if (handle(e, store.getState())) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
