// The contract each op constructor file fulfils: shape/dtype inference (and optional constant folding).
// Pure. One OpSchema per ONNX op type, listed in registry.ts (docs/house-style.md §8.3: registries are data).
import { GraphError } from '../../lib/errors';
import { numElements } from '../ir/dtype';
import type { AttrValue, DType, Node, TypedData } from '../ir/types';

/** What inference knows about one input or output value. `constValue` is set for known constants. */
export type ValueSpec = { dtype: DType; shape: number[]; constValue?: TypedData };

/** Inference context handed to OpSchema.infer: the node, its input specs and attribute readers. */
export class InferContext {
  constructor(
    readonly node: Node,
    /** input index → spec (undefined for an omitted optional input) */
    readonly inputs: (ValueSpec | undefined)[],
  ) {}

  /** Input spec at `i`; fails when the required input is missing. */
  input(i: number): ValueSpec {
    const spec = this.inputs[i];
    if (!spec) this.fail(`input ${i} is required`);
    return spec;
  }

  hasInput(i: number): boolean {
    return this.inputs[i] !== undefined;
  }

  attr(name: string): AttrValue | undefined {
    return this.node.attributes[name];
  }

  int(name: string, fallback?: number): number {
    const a = this.attr(name);
    if (a === undefined) {
      if (fallback === undefined) this.fail(`attribute "${name}" is required`);
      return fallback;
    }
    if (a.type !== 'int') this.fail(`attribute "${name}" must be int, got ${a.type}`);
    return a.value;
  }

  float(name: string, fallback: number): number {
    const a = this.attr(name);
    if (a === undefined) return fallback;
    if (a.type !== 'float') this.fail(`attribute "${name}" must be float, got ${a.type}`);
    return a.value;
  }

  ints(name: string, fallback?: number[]): number[] | undefined {
    const a = this.attr(name);
    if (a === undefined) return fallback;
    if (a.type !== 'ints') this.fail(`attribute "${name}" must be ints, got ${a.type}`);
    return a.value;
  }

  string(name: string, fallback: string): string {
    const a = this.attr(name);
    if (a === undefined) return fallback;
    if (a.type !== 'string') this.fail(`attribute "${name}" must be string, got ${a.type}`);
    return a.value;
  }

  /** Integer values of a constant input (e.g. Reshape's shape); fails when the input is not a known constant. */
  constInts(i: number, what: string): number[] {
    const spec = this.input(i);
    if (!spec.constValue) this.fail(`${what} (input ${i}) must be a constant known at build time`);
    return Array.from(spec.constValue as ArrayLike<number | bigint>, (v) => Number(v));
  }

  /** Throws a GraphError naming the node, its op type and its input shapes. */
  fail(message: string): never {
    const shapes = this.inputs.map((s) => (s ? `${s.dtype}[${s.shape.join(',')}]` : '∅')).join(', ');
    throw new GraphError(`${this.node.opType}: ${message} (inputs: ${shapes})`, this.node.name);
  }

  /** Fails unless every listed input has one of `dtypes`. */
  expectDtype(indices: number[], dtypes: DType[]): void {
    for (const i of indices) {
      const s = this.inputs[i];
      if (s && !dtypes.includes(s.dtype)) this.fail(`input ${i} has dtype ${s.dtype}, expected one of ${dtypes.join('/')}`);
    }
  }

  /** Normalises a possibly negative axis against `rank`, failing when out of range. */
  axis(axis: number, rank: number): number {
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) this.fail(`axis ${axis} is out of range for rank ${rank}`);
    return a;
  }
}

/** Shape and dtype inference for one op type (ai.onnx unless `domain` says otherwise). */
export interface OpSchema {
  opType: string;
  domain?: string;
  /** Output specs, one per output. Throws through ctx.fail on bad shapes. */
  infer(ctx: InferContext): ValueSpec[];
  /** Constant folding when every input is a known constant (used for shape subgraphs). */
  fold?(ctx: InferContext, values: TypedData[]): TypedData[];
}

/** Largest value (elements) kept as a known constant for folding (shape subgraphs, small constants). */
export const MAX_FOLD_ELEMENTS = 4096;

/**
 * Folds a node whose inputs are all known constants and whose outputs are small: runs `schema.fold` and attaches
 * the values to `out` (the specs `schema.infer` returned). Shared by GraphBuilder and surgery's inferShapes.
 */
export function foldInto(schema: OpSchema, ctx: InferContext, inputs: readonly (ValueSpec | undefined)[], out: ValueSpec[]): void {
  if (!schema.fold || !inputs.every((s) => !s || s.constValue) || !out.every((s) => numElements(s.shape) <= MAX_FOLD_ELEMENTS)) return;
  const values = schema.fold(ctx, inputs.map((s) => s?.constValue as TypedData));
  values.forEach((v, i) => {
    const s = out[i];
    if (s) s.constValue = v;
  });
}
