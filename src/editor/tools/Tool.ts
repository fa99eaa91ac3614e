// Tools as small state machines (tldraw's StateNode idea): a ToolMachine holds named states, each state
// handles only the events relevant to it and transitions by name. No React, no Konva, no store import:
// effects go through the injected ToolContext. Reference: tldraw packages/tldraw/src/lib/tools/EraserTool/**.
import type { ImagePoint, ImagePx, StagePoint } from '../coords';
import type { MaskOp } from '../model';
import type { PixelSquare } from '../region';

export type ToolId = 'brush' | 'eraser' | 'polygon' | 'fill' | 'pan';

/** One pointer sample in both spaces (the UI converts stage → image with the current view). */
export type ToolPointer = { readonly image: ImagePoint; readonly stage: StagePoint };

/** What a tool may do to the world. The store implements it; tests pass a recorder. */
export interface ToolContext {
  /** Appends a finished operation to the active concept's layer (one undo step). */
  commit(op: MaskOp): void;
  /** Shows (or hides with null) the operation in progress. */
  preview(op: MaskOp | null): void;
  /** Moves the view by a stage-pixel delta. */
  panBy(dx: number, dy: number): void;
  /** Current brush/eraser radius in training-square pixels. */
  brushRadius(): ImagePx;
  /** Soft-brush feather in training-square pixels (0 or absent: a hard edge). */
  brushFeather?(): ImagePx;
  /**
   * The reference's pixels over the training square and that square's side in image px, for the magic wand;
   * null (or absent) where the surface has none decoded yet: the fill tool then floods the unpainted region.
   */
  wandSource?(): { readonly pixels: PixelSquare; readonly size: number } | null;
  /** The wand's colour tolerance (0–255) and whether it adds or erases the region. */
  wandSettings?(): { readonly tolerance: number; readonly mode: 'add' | 'erase' };
}

/** A state of a tool. Missing handlers mean "ignored in this state". */
export interface ToolState {
  readonly id: string;
  onEnter?(p?: ToolPointer): void;
  onPointerDown?(p: ToolPointer): void;
  onPointerMove?(p: ToolPointer): void;
  onPointerUp?(p: ToolPointer): void;
  onDoubleClick?(p: ToolPointer): void;
  /** Key names as in KeyboardEvent.key ('Enter', 'Escape'). */
  onKey?(key: string): void;
  onCancel?(): void;
}

export type StateFactory = (machine: ToolMachine, ctx: ToolContext) => ToolState;

/** A tool: named states, one current; `path` reads like "brush.drawing". */
export class ToolMachine {
  readonly id: ToolId;
  private readonly states: Map<string, ToolState>;
  private currentId: string;

  /** @param factories state id → factory; the first entry is the initial state */
  constructor(id: ToolId, ctx: ToolContext, factories: Record<string, StateFactory>) {
    this.id = id;
    this.states = new Map(Object.entries(factories).map(([name, make]) => [name, make(this, ctx)]));
    const first = Object.keys(factories)[0];
    if (first === undefined) throw new Error(`ToolMachine "${id}": needs at least one state`);
    this.currentId = first;
  }

  get path(): string {
    return `${this.id}.${this.currentId}`;
  }

  get current(): ToolState {
    return this.states.get(this.currentId)!;
  }

  transition(stateId: string, p?: ToolPointer): void {
    if (!this.states.has(stateId)) {
      throw new Error(`ToolMachine "${this.id}": no state "${stateId}" (states: ${[...this.states.keys()].join(', ')})`);
    }
    this.currentId = stateId;
    this.current.onEnter?.(p);
  }

  pointerDown(p: ToolPointer): void {
    this.current.onPointerDown?.(p);
  }
  pointerMove(p: ToolPointer): void {
    this.current.onPointerMove?.(p);
  }
  pointerUp(p: ToolPointer): void {
    this.current.onPointerUp?.(p);
  }
  doubleClick(p: ToolPointer): void {
    this.current.onDoubleClick?.(p);
  }
  key(key: string): void {
    this.current.onKey?.(key);
  }
  cancel(): void {
    this.current.onCancel?.();
  }
}
