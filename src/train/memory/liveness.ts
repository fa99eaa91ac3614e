// Liveness simulation of ONE run of a graph: every node output gets a buffer when its node runs and loses it
// after its last consumer (graph outputs live to the end), in onnxruntime's execution order (ortOrder.ts); the
// peak is the largest sum of live buffers. Models ORT's allocation planner: alias ops share their input's
// buffer, in-place ops may take over an input buffer that dies at that node. Pure; never runs anything.
// Reference: onnxruntime core/framework/allocation_planner.cc (free after last use, Alias / MayInplace).
import { BYTES_PER_ELEMENT, GraphBuilder, numElements, topologicalSort } from '../../onnx/index';
import type { Graph, Node } from '../../onnx/index';
import { ortExecutionOrder } from './ortOrder';

/** Op types whose output is a view of input 0 (ORT kernel defs declare `.Alias(0, 0)`): no new buffer. */
export const ALIAS_OPS: ReadonlySet<string> = new Set(['Reshape', 'Identity', 'Squeeze', 'Unsqueeze', 'Flatten']);
/** Element-wise ops whose output may reuse an input buffer that dies at that node (same byte size). */
export const INPLACE_OPS: ReadonlySet<string> = new Set(['Relu', 'Sigmoid', 'Tanh', 'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Sqrt', 'Reciprocal', 'Exp', 'Erf']);

/** One buffer: the values sharing it and the step intervals [first, last] (inclusive) it is allocated in. */
export type LiveBuffer = { id: number; bytes: number; values: string[]; intervals: [number, number][] };

/** A scheduled graph: nodes in run order, value name → bytes, persistent names, buffers of node outputs. */
export type Schedule = {
  order: Node[];
  /** value name → size in bytes (static shapes from the builder's inference) */
  bytes: Map<string, number>;
  /** graph inputs and initializers: resident before the run, never part of the transient peak */
  persistent: Set<string>;
  buffers: LiveBuffer[];
  /** value name → index in `buffers` (node outputs only) */
  bufferOf: Map<string, number>;
  /** value name → step index of its last reader (graph outputs: order.length) */
  lastUse: Map<string, number>;
};

export type LivenessOptions = {
  aliasOps?: ReadonlySet<string>;
  inplaceOps?: ReadonlySet<string>;
  /**
   * Persistent values ORT may constant-fold through (frozen weights and constants). A node reading only such
   * values (e.g. Transpose of a frozen weight) is folded at session creation: its output becomes a persistent
   * initializer in place of its input, so it gets no transient buffer. Default: nothing folds (graph as built).
   */
  foldable?: (name: string) => boolean;
  /** 'ort' (default): onnxruntime's reverse-DFS execution order; 'graph': the graph's own topological order */
  order?: 'ort' | 'graph';
  /**
   * Reuse of freed buffers (default true), as onnxruntime's allocation planner does (allocation_planner.cc
   * FindReusableTensor: a new value takes a freed buffer of exactly its size, the most recently freed first):
   * the buffer then stays allocated from its first value's death until the reusing value is made.
   */
  reuseFreed?: boolean;
};

/** Byte size of every value of `graph` (inputs, initializers, node outputs), from static shape inference. */
export function valueBytes(graph: Graph): Map<string, number> {
  const b = GraphBuilder.fromGraph({ ...graph, nodes: [...graph.nodes] });
  const out = new Map<string, number>();
  const names = [...graph.inputs.map((v) => v.name), ...graph.initializers.map((t) => t.name), ...graph.nodes.flatMap((n) => n.outputs)];
  for (const name of names) {
    if (!name || !b.has(name)) continue;
    const v = b.get(name);
    out.set(name, numElements(v.shape) * BYTES_PER_ELEMENT[v.dtype]);
  }
  return out;
}

function lastUses(order: Node[], graph: Graph): Map<string, number> {
  const last = new Map<string, number>();
  order.forEach((n, i) => {
    for (const o of n.outputs) if (o && !last.has(o)) last.set(o, i);
    for (const r of n.inputs) if (r) last.set(r, i);
  });
  for (const o of graph.outputs) last.set(o.name, order.length);
  return last;
}

/** Picks the buffer a node output reuses (alias or in-place), or undefined for a fresh one. */
type ReuseRules = { aliasOps: ReadonlySet<string>; inplaceOps: ReadonlySet<string> };

function reusable(n: Node, out: string, s: Schedule, o: ReuseRules, step: number, ends: Map<number, number>): number | undefined {
  const first = n.inputs[0];
  if (o.aliasOps.has(n.opType) && first) return s.bufferOf.get(first) ?? -1;
  if (!o.inplaceOps.has(n.opType)) return undefined;
  for (const input of n.inputs) {
    const id = input ? s.bufferOf.get(input) : undefined;
    if (id === undefined || ends.get(id) !== step) continue;
    if ((s.buffers[id] as LiveBuffer).bytes === s.bytes.get(out)) return id;
  }
  return undefined;
}

/**
 * Orders `graph`, sizes its values and assigns node outputs to buffers.
 * @example const s = schedule(graph); const peak = sweep(s).peakBytes;
 */
export function schedule(graph: Graph, options: LivenessOptions = {}, bytes = valueBytes(graph)): Schedule {
  const o = { aliasOps: options.aliasOps ?? ALIAS_OPS, inplaceOps: options.inplaceOps ?? INPLACE_OPS };
  const order = options.order === 'graph' ? topologicalSort(graph) : ortExecutionOrder(graph);
  const persistent = new Set([...graph.inputs.map((v) => v.name), ...graph.initializers.map((t) => t.name)]);
  const s: Schedule = { order, bytes, persistent, buffers: [], bufferOf: new Map(), lastUse: lastUses(order, graph) };
  const outputs = new Set(graph.outputs.map((v) => v.name));
  /** buffer id → current last step */
  const ends = new Map<number, number>();
  const folded = new Set<string>();
  const reuseFreed = options.reuseFreed ?? true;
  /** step → buffers whose last step it was (stale entries skipped); byte size → freed buffer ids, newest last */
  const dying = new Map<number, number[]>();
  const free = new Map<number, number[]>();
  const noteEnd = (id: number, end: number): void => {
    ends.set(id, end);
    if (reuseFreed) dying.set(end, [...(dying.get(end) ?? []), id]);
  };
  const takeFreed = (size: number): number | undefined => {
    const ids = free.get(size);
    return ids?.length ? ids.pop() : undefined;
  };
  const isConstant = (v: string): boolean => folded.has(v) || (s.persistent.has(v) && (options.foldable?.(v) ?? false));
  order.forEach((n, step) => {
    for (const id of dying.get(step - 1) ?? []) {
      const size = (s.buffers[id] as LiveBuffer).bytes;
      if (ends.get(id) === step - 1 && size > 0) free.set(size, [...(free.get(size) ?? []), id]);
    }
    dying.delete(step - 1);
    if (options.foldable && n.inputs.length > 0 && n.inputs.every((v) => !v || isConstant(v))) {
      for (const out of n.outputs) if (out) folded.add(out);
      return;
    }
    for (const out of n.outputs) {
      if (!out) continue;
      const last = s.lastUse.get(out) ?? step;
      const isOutput = outputs.has(out) && !ALIAS_OPS.has(n.opType);
      const size = bytes.get(out) ?? 0;
      const id = isOutput ? undefined : reusable(n, out, s, o, step, ends) ?? (reuseFreed ? takeFreed(size) : undefined);
      if (id === -1) continue;
      if (id === undefined) {
        const buf: LiveBuffer = { id: s.buffers.length, bytes: size, values: [out], intervals: [[step, last]] };
        s.buffers.push(buf);
        s.bufferOf.set(out, buf.id);
        noteEnd(buf.id, last);
        continue;
      }
      const buf = s.buffers[id] as LiveBuffer;
      const span = buf.intervals[buf.intervals.length - 1] as [number, number];
      span[1] = Math.max(span[1], last);
      buf.values.push(out);
      s.bufferOf.set(out, id);
      noteEnd(id, span[1]);
    }
  });
  return s;
}

/** Result of a sweep: the peak of live transient bytes, where it happens and who is live there. */
export type SweepResult = { peakBytes: number; peakStep: number; peakNode: string; liveAtPeak: LiveBuffer[] };

/**
 * Sums live buffers per step (allocation before the node runs, release after its last reader) plus an optional
 * per-step scratch (kernel workspace), and returns the maximum.
 */
export function sweep(s: Schedule, buffers: readonly LiveBuffer[] = s.buffers, scratch?: Float64Array): SweepResult {
  const n = s.order.length;
  const delta = new Float64Array(n + 2);
  for (const b of buffers) {
    for (const [from, to] of b.intervals) {
      delta[from] = (delta[from] as number) + b.bytes;
      delta[Math.min(to, n) + 1] = (delta[Math.min(to, n) + 1] as number) - b.bytes;
    }
  }
  let live = 0;
  let peakBytes = 0;
  let peakStep = 0;
  for (let i = 0; i <= n; i++) {
    live += delta[i] as number;
    const total = live + (scratch?.[i] ?? 0);
    if (total > peakBytes) {
      peakBytes = total;
      peakStep = i;
    }
  }
  const liveAtPeak = buffers.filter((b) => b.intervals.some(([a, z]) => a <= peakStep && peakStep <= z)).sort((a, b) => b.bytes - a.bytes);
  return { peakBytes, peakStep, peakNode: s.order[peakStep]?.name ?? '(end of run)', liveAtPeak };
}
