// Activation recomputation inside the backward walker (gradient checkpointing): forward nodes are grouped into
// segments (a UNet ResNet or transformer block, a chunk of attention queries); when a gradient rule of a
// segment reads a forward value produced inside that segment, the walker hands it a RECOMPUTED copy, cloned
// from the segment's inputs, instead of the original. The originals then die after their forward use; only
// the segment boundaries (values produced outside the segment) are kept for the backward.
// Reference: Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost", §3 (recompute each segment's
// forward from its checkpointed input during the backward); torch.utils.checkpoint.checkpoint does the same
// per module in PyTorch (diffusers' `enable_gradient_checkpointing` wraps each ResNet/transformer block).
//
// Scheduling without control edges: ONNX has no "run after" edge, so each segment's recomputation reads its
// external inputs through a gate `Where(c, x, x)` (bit-identical to x) whose condition c depends on the
// gradients the previous segment's backward sent out (`Less(s, s)` of one element of each; always false,
// NaN included). onnxruntime (any execution order) therefore cannot recompute a segment before the backward
// has reached it, and a segment cannot start before the previous one's backward is complete.
//
// Nesting: a segment key "L#c" is a child of segment "L" (attention query chunk c inside transformer block L):
// a value the child reads from its parent is the parent's recomputed copy, gated again for the child.
// Deliberate deviation from torch.utils.checkpoint: the recomputed forward is the same graph nodes with the
// same inputs (same kernels, same arithmetic order), so on a deterministic EP the gradients are bit-identical.
import { GraphError } from '../../lib/errors';
import type { GraphBuilder } from '../build/GraphBuilder';
import { Less } from '../build/opset/Less';
import { Or } from '../build/opset/Or';
import { Reshape } from '../build/opset/Reshape';
import { Slice } from '../build/opset/Slice';
import { Where } from '../build/opset/Where';
import type { Var } from '../build/Var';
import { numElements } from '../ir/dtype';
import type { Graph, Node } from '../ir/types';

/** Segment of a forward node (a key; "parent#child" nests), or undefined when the node is never recomputed. */
export type RecomputeSegmentOf = (node: Node) => string | undefined;

/** Name scope of every recomputation node: `grad/recompute/<forward node name>` (backward nodes for planners). */
export const RECOMPUTE_SCOPE = 'grad/recompute';

type SegmentState = { gate?: Var; gated: Map<string, Var>; clones: Map<string, Var> };

function parentOf(segment: string): string | undefined {
  const k = segment.lastIndexOf('#');
  return k > 0 ? segment.slice(0, k) : undefined;
}

/** Is `inner` equal to `outer` or nested inside it? */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}#`);
}

/** One element of `g` as a bool scalar that is always false: Less(s, s) (false for NaN too). */
function falseOf(g: Var): Var {
  const one = numElements(g.shape) === 1 ? g : Slice(Reshape(g, [numElements(g.shape)]), [0], [1], [0]);
  const s = Reshape(one, []);
  return Less(s, s, 'Gate');
}

/** The recomputation state of one backward build (lives as long as buildGradientGraph's walk). */
export class Recomputer {
  private readonly producer = new Map<string, Node>();
  private readonly segments = new Map<string, SegmentState>();
  /** gradients sent out of a segment since the last gate was made (what the next segment must wait for) */
  private pending: Var[] = [];

  constructor(
    private readonly b: GraphBuilder,
    graph: Graph,
    readonly segmentOf: RecomputeSegmentOf,
  ) {
    for (const n of graph.nodes) for (const o of n.outputs) if (o) this.producer.set(o, n);
  }

  /** Records a gradient contribution of `node` to value `target` (called by the walker for every add). */
  noteGradient(node: Node, target: string, g: Var): void {
    const seg = this.segmentOf(node);
    if (seg === undefined) return;
    const p = this.producer.get(target);
    const from = p ? this.segmentOf(p) : undefined;
    if (from === undefined || !within(from, seg)) this.pending.push(g);
  }

  /**
   * The Var a rule of `node` should see for forward value `name`: a recomputed copy when `name` is produced
   * inside `node`'s segment (or one of its ancestors), else the original.
   * @param dys upstream gradients of `node` (the gate also waits for them)
   */
  resolve(node: Node, name: string, dys: readonly (Var | undefined)[]): Var {
    const seg = this.segmentOf(node);
    if (seg === undefined) return this.b.get(name);
    return this.valueIn(seg, name, dys);
  }

  private state(seg: string): SegmentState {
    let s = this.segments.get(seg);
    if (!s) {
      s = { gated: new Map(), clones: new Map() };
      this.segments.set(seg, s);
    }
    return s;
  }

  /** Value `name` as segment `seg`'s recomputation sees it. */
  private valueIn(seg: string, name: string, dys: readonly (Var | undefined)[]): Var {
    const original = this.b.get(name);
    if (original.constValue) return original;
    const p = this.producer.get(name);
    const from = p ? this.segmentOf(p) : undefined;
    if (!p || from === undefined || !within(seg, from)) return p ? this.gated(seg, original, dys) : original;
    if (from !== seg) {
      // produced by an enclosing segment: take the parent's recomputed copy, gated for this child
      const parentValue = this.valueIn(from, name, dys);
      return parentValue === original ? this.gated(seg, original, dys) : this.gated(seg, parentValue, dys);
    }
    return this.cloned(seg, p, name, dys);
  }

  /** `x` behind segment `seg`'s gate (memoized per segment). */
  private gated(seg: string, x: Var, dys: readonly (Var | undefined)[]): Var {
    const s = this.state(seg);
    const hit = s.gated.get(x.name);
    if (hit) return hit;
    const gate = this.gateOf(seg, s, dys);
    const g = this.b.rootScope(`${RECOMPUTE_SCOPE}/${seg}`, () => Where(gate, x, x, 'Gated'));
    s.gated.set(x.name, g);
    return g;
  }

  private gateOf(seg: string, s: SegmentState, dys: readonly (Var | undefined)[]): Var {
    if (s.gate) return s.gate;
    const parent = parentOf(seg);
    const waits = [...this.pending, ...dys.filter((d): d is Var => d !== undefined)];
    this.pending = [];
    if (waits.length === 0) throw new GraphError(`recompute: segment ${seg} has no upstream gradient to wait for`);
    s.gate = this.b.rootScope(`${RECOMPUTE_SCOPE}/${seg}`, () => {
      const conds = [...new Map(waits.map((w) => [w.name, w])).values()].map(falseOf);
      return conds.slice(1).reduce((acc, c) => Or(acc, c, 'Gate'), conds[0] as Var);
    });
    if (parent !== undefined) this.state(parent);
    return s.gate;
  }

  /** Recomputes producer `p` of `name` inside `seg` (its inputs resolved first) and returns `name`'s copy. */
  private cloned(seg: string, p: Node, name: string, dys: readonly (Var | undefined)[]): Var {
    const s = this.state(seg);
    const hit = s.clones.get(name);
    if (hit) return hit;
    const inputs = p.inputs.map((i) => (i ? this.valueIn(seg, i, dys) : undefined));
    const same = p.inputs.every((i, k) => !i || inputs[k] === this.b.get(i));
    const outs = same
      ? p.outputs.map((o) => (o ? this.b.get(o) : undefined))
      : this.b.rootScope(RECOMPUTE_SCOPE, () => this.b.op(p.opType, inputs, { ...p.attributes }, p.outputs.length, p.name, p.domain));
    p.outputs.forEach((o, k) => {
      const v = outs[k];
      if (o && v) s.clones.set(o, v);
    });
    const v = s.clones.get(name);
    if (!v) throw new GraphError(`recompute: ${p.name} did not produce ${name}`, p.name);
    return v;
  }
}
