// The gradient-rule contract: what a rule file (rules/<OpType>.ts) exports and what the walker hands it.
// A rule only builds nodes for the vector-Jacobian product of ONE forward node; it never sums fan-out,
// un-broadcasts or decides what is pruned (backward.ts does). Reference: docs/house-style.md §11 "gradient rule".
import { GraphError } from '../../lib/errors';
import type { GraphBuilder } from '../build/GraphBuilder';
import type { Var } from '../build/Var';
import type { AttrValue, Node } from '../ir/types';

/**
 * One ONNX op type's reverse-mode rule.
 * - `differentiable`: input indices that can carry a gradient ('none' for shape/logic ops). Other inputs
 *   (indices, shapes, axes, conditions) never receive one, and the walker does not look past them.
 * - `grad(ctx)`: one entry per forward input index: the gradient w.r.t. that input, or undefined. A gradient
 *   may have the forward OUTPUT's broadcast shape; the walker reduces it to the input's shape. Rules should
 *   skip work for inputs where `ctx.needs(i)` is false (that is how pruning reaches inside a rule).
 */
export interface GradRule {
  opType: string;
  differentiable: readonly number[] | 'none';
  grad(ctx: GradContext): (Var | undefined)[];
}

/** Maps a forward value name to the Var a rule should read (recomputation hands out recomputed copies). */
export type ValueResolver = (name: string) => Var;

/** What a rule sees: the forward node, its inputs/outputs as Vars, the upstream gradients and the builder. */
export class GradContext {
  private resolvedInputs?: (Var | undefined)[];
  private resolvedOutputs?: (Var | undefined)[];

  constructor(
    readonly b: GraphBuilder,
    readonly node: Node,
    /** forward value name → Var; resolved lazily, only for the inputs and outputs a rule reads */
    private readonly resolve: ValueResolver,
    /** forward output index → upstream gradient dL/dY (undefined when that output does not reach the loss) */
    readonly dys: (Var | undefined)[],
    private readonly needed: ReadonlySet<number>,
  ) {}

  /** forward input index → Var (undefined for an omitted optional input) */
  get inputs(): (Var | undefined)[] {
    this.resolvedInputs ??= this.node.inputs.map((n) => (n ? this.resolve(n) : undefined));
    return this.resolvedInputs;
  }

  /** forward output index → Var (undefined for an omitted optional output) */
  get outputs(): (Var | undefined)[] {
    this.resolvedOutputs ??= this.node.outputs.map((n) => (n ? this.resolve(n) : undefined));
    return this.resolvedOutputs;
  }

  /** Forward input `i`; fails when it is omitted. */
  x(i: number): Var {
    const name = this.node.inputs[i];
    if (!name) throw new GraphError(`gradient rule ${this.node.opType}: input ${i} is omitted`, this.node.name);
    return this.resolvedInputs?.[i] ?? this.resolve(name);
  }

  /** Forward output `i`. */
  y(i = 0): Var {
    const name = this.node.outputs[i];
    if (!name) throw new GraphError(`gradient rule ${this.node.opType}: output ${i} does not exist`, this.node.name);
    return this.resolvedOutputs?.[i] ?? this.resolve(name);
  }

  /** Upstream gradient of output `i`; fails when that output does not reach the loss. */
  dy(i = 0): Var {
    const v = this.dys[i];
    if (!v) throw new GraphError(`gradient rule ${this.node.opType}: output ${i} has no upstream gradient`, this.node.name);
    return v;
  }

  /** Whether the gradient of input `i` is wanted (it lies on a path from a wrt value). */
  needs(i: number): boolean {
    return this.needed.has(i);
  }

  attr(name: string): AttrValue | undefined {
    return this.node.attributes[name];
  }

  int(name: string, fallback: number): number {
    const a = this.attr(name);
    return a && a.type === 'int' ? a.value : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.attr(name);
    return a && a.type === 'float' ? a.value : fallback;
  }

  ints(name: string, fallback: number[]): number[] {
    const a = this.attr(name);
    return a && a.type === 'ints' ? [...a.value] : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.attr(name);
    return a && a.type === 'string' ? a.value : fallback;
  }

  /** Integer values of constant input `i` (axes, shapes, pads), or undefined when omitted. */
  constInts(i: number): number[] | undefined {
    if (!this.node.inputs[i]) return undefined;
    const v = this.x(i);
    if (!v.constValue) throw new GraphError(`gradient rule ${this.node.opType}: input ${i} (${v.name}) must be a build-time constant`, this.node.name);
    return Array.from(v.constValue as ArrayLike<number | bigint>, (n) => Number(n));
  }

  /** Fails with a message naming this node (unsupported attribute combinations, for example). */
  fail(message: string): never {
    throw new GraphError(`gradient rule ${this.node.opType}: ${message}`, this.node.name);
  }
}
