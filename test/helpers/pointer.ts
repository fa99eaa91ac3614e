// Pointer driver for editor tools in tests: down/move/up/cancel in stage pixels, converted to image pixels
// with the given view (identity by default), like the canvas does. Chainable. No DOM.
// Reference: tldraw's TestEditor pointer helpers, docs/house-style.md §12 (editor tests).
import { stagePoint, stageToImage } from '../../src/editor/index';
import type { ToolMachine, ToolPointer, View } from '../../src/editor/index';

export type PointerDriver = {
  down(x: number, y: number): PointerDriver;
  move(x: number, y: number): PointerDriver;
  up(x: number, y: number): PointerDriver;
  dblclick(x: number, y: number): PointerDriver;
  key(key: string): PointerDriver;
  cancel(): PointerDriver;
  /** down at the first point, move through the rest, up at the last */
  drag(points: readonly (readonly [number, number])[]): PointerDriver;
};

const IDENTITY: View = { scale: 1, offsetX: 0, offsetY: 0 };

export function pointer(tool: () => ToolMachine, view: () => View = () => IDENTITY): PointerDriver {
  const at = (x: number, y: number): ToolPointer => {
    const stage = stagePoint(x, y);
    return { stage, image: stageToImage(stage, view()) };
  };
  const driver: PointerDriver = {
    down: (x, y) => (tool().pointerDown(at(x, y)), driver),
    move: (x, y) => (tool().pointerMove(at(x, y)), driver),
    up: (x, y) => (tool().pointerUp(at(x, y)), driver),
    dblclick: (x, y) => (tool().doubleClick(at(x, y)), driver),
    key: (k) => (tool().key(k), driver),
    cancel: () => (tool().cancel(), driver),
    drag(points) {
      const [first, ...rest] = points;
      if (!first) return driver;
      driver.down(first[0], first[1]);
      for (const [x, y] of rest) driver.move(x, y);
      const last = rest[rest.length - 1] ?? first;
      return driver.up(last[0], last[1]);
    },
  };
  return driver;
}
