// Builds ONNX graphs from typed op constructors, inferring dtype and static shape for every value at build
// time, and failing with a GraphError that names the node and the bad shapes. Pure: no onnxruntime, no DOM.
// Node names carry their scope ("down_blocks.0/attn2/to_k/MatMul") so ORT errors point somewhere meaningful.
import { GraphError } from '../../lib/errors';
import { allocTyped, numElements } from '../ir/dtype';
import { modelOf } from '../ir/model';
import type { AttrValue, DType, Graph, Model, Node, TensorData, TypedData, ValueInfo } from '../ir/types';
import { lookupSchema } from './registry';
import { foldInto, InferContext, MAX_FOLD_ELEMENTS } from './schema';
import type { ValueSpec } from './schema';
import { Var } from './Var';

export type BuildOptions = { producerName?: string; opset?: number; metadata?: Record<string, string> };

export class GraphBuilder {
  readonly graph: Graph;
  /** value name → Var (every input, initializer and node output seen so far) */
  private readonly vars = new Map<string, Var>();
  /** node or value name → times used, for unique readable names */
  private readonly used = new Set<string>();
  private readonly scopes: string[] = [];

  constructor(name: string) {
    this.graph = { name, nodes: [], inputs: [], outputs: [], initializers: [], valueInfo: [] };
  }

  /**
   * Wraps an existing graph (mutating it in place), inferring every value. Inputs with symbolic dims must be
   * made static first (passes/fixDims). Throws GraphError naming the first node whose op has no schema.
   */
  static fromGraph(graph: Graph): GraphBuilder {
    const b = new GraphBuilder(graph.name);
    (b as { graph: Graph }).graph = graph;
    for (const vi of graph.inputs) b.register(vi.name, vi.dtype, staticShape(vi), undefined);
    for (const t of graph.initializers) b.register(t.name, t.dtype, t.dims, t.data);
    for (const n of graph.nodes) {
      b.used.add(n.name);
      const specs = b.inferNode(n);
      n.outputs.forEach((o, i) => {
        const s = specs[i];
        if (o && s) b.register(o, s.dtype, s.shape, s.constValue);
      });
    }
    return b;
  }

  // ── values ────────────────────────────────────────────────────────────────────────────────────────

  /** Declares a graph input. */
  input(name: string, dtype: DType, shape: readonly number[]): Var {
    this.claim(name);
    this.graph.inputs.push({ name, dtype, shape: [...shape] });
    return this.register(name, dtype, [...shape], undefined);
  }

  /** Adds an initializer (a weight). `data` length must match the shape. */
  param(name: string, dtype: DType, shape: readonly number[], data?: TypedData): Var {
    this.claim(name);
    return this.addInitializer(name, dtype, shape, data);
  }

  private addInitializer(name: string, dtype: DType, shape: readonly number[], data?: TypedData): Var {
    const n = numElements(shape);
    const payload = data ?? allocTyped(dtype, n);
    if (payload.length !== n) throw new GraphError(`param ${name}: ${payload.length} values for shape [${shape.join(',')}]`);
    this.graph.initializers.push({ name, dtype, dims: [...shape], data: payload });
    return this.register(name, dtype, [...shape], n <= MAX_FOLD_ELEMENTS ? payload : undefined);
  }

  /** A constant tensor (stored as an initializer, value known to inference). */
  constant(values: TypedData | readonly number[], dtype: DType, shape?: readonly number[]): Var {
    const data = Array.isArray(values) ? toTyped(values as unknown as number[], dtype) : (values as TypedData);
    const dims = shape ? [...shape] : [data.length];
    return this.addInitializer(this.uniqueName(this.scoped('const')), dtype, dims, data);
  }

  /** A scalar constant (shape []). */
  scalar(value: number, dtype: DType = 'float32'): Var {
    return this.constant([value], dtype, []);
  }

  /** int64 1-D constant, the usual form of shapes/axes/starts. */
  ints(values: readonly number[]): Var {
    return this.constant(values, 'int64', [values.length]);
  }

  /** Marks `v` as a graph output, optionally under a new name (through Identity). */
  output(v: Var, name?: string): Var {
    let out = v;
    if (name && name !== v.name) {
      this.claim(name);
      const nodeName = this.uniqueName(`output/${name}`);
      this.graph.nodes.push({ name: nodeName, opType: 'Identity', domain: '', inputs: [v.name], outputs: [name], attributes: {} });
      out = this.register(name, v.dtype, [...v.shape], v.constValue);
    }
    this.graph.outputs.push({ name: out.name, dtype: out.dtype, shape: [...out.shape] });
    return out;
  }

  /** The Var of an existing value name. */
  get(name: string): Var {
    const v = this.vars.get(name);
    if (!v) throw new GraphError(`no value named "${name}" in graph ${this.graph.name}`);
    return v;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  // ── nodes ─────────────────────────────────────────────────────────────────────────────────────────

  /** Runs `fn` with `name` pushed onto the naming scope. */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** Runs `fn` with the naming scope replaced by `name` alone (nodes made inside another scope's work). */
  rootScope<T>(name: string, fn: () => T): T {
    const saved = this.scopes.splice(0, this.scopes.length);
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.splice(0, this.scopes.length, ...saved);
    }
  }

  /**
   * Appends a node and infers its outputs. `inputs` may hold undefined for omitted optional inputs.
   * Prefer the typed constructors in opset/; this is what they call.
   */
  op(opType: string, inputs: (Var | undefined)[], attributes: Record<string, AttrValue>, outputs = 1, nameHint?: string, domain = ''): Var[] {
    for (const v of inputs) if (v && v.builder !== this) throw new GraphError(`${opType}: input ${v.name} belongs to another graph`);
    const name = this.uniqueName(this.scoped(nameHint ?? opType));
    const outNames = Array.from({ length: outputs }, (_, i) => this.uniqueName(outputs === 1 ? `${name}:0` : `${name}:${i}`));
    const node: Node = { name, opType, domain, inputs: trimTrailing(inputs.map((v) => v?.name ?? '')), outputs: outNames, attributes };
    const specs = this.inferNode(node);
    this.graph.nodes.push(node);
    return outNames.map((o, i) => {
      const s = specs[i] as ValueSpec;
      return this.register(o, s.dtype, s.shape, s.constValue);
    });
  }

  /** Single-output convenience for op(). */
  op1(opType: string, inputs: (Var | undefined)[], attributes: Record<string, AttrValue> = {}, nameHint?: string): Var {
    return this.op(opType, inputs, attributes, 1, nameHint)[0] as Var;
  }

  /** A fresh unique name under the current scope (for values created by callers). */
  uniqueName(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Serializable model around the graph. */
  toModel(options: BuildOptions = {}): Model {
    return modelOf(this.graph, options);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────────

  private scoped(base: string): string {
    return this.scopes.length ? `${this.scopes.join('/')}/${base}` : base;
  }

  private claim(name: string): void {
    if (this.used.has(name)) throw new GraphError(`value name "${name}" is already used in graph ${this.graph.name}`);
    this.used.add(name);
  }

  private register(name: string, dtype: DType, shape: number[], constValue: TypedData | undefined): Var {
    const v = new Var(this, name, dtype, shape, constValue);
    this.vars.set(name, v);
    return v;
  }

  private inferNode(node: Node): ValueSpec[] {
    const schema = lookupSchema(node.opType, node.domain);
    const inputs = node.inputs.map((n) => (n ? this.specOf(n, node) : undefined));
    if (!schema) return this.declaredSpecs(node);
    const ctx = new InferContext(node, inputs);
    const specs = schema.infer(ctx);
    foldInto(schema, ctx, inputs, specs);
    return specs;
  }

  private specOf(name: string, node: Node): ValueSpec {
    const v = this.vars.get(name);
    if (!v) throw new GraphError(`${node.opType}: input "${name}" is not defined before this node`, node.name);
    return { dtype: v.dtype, shape: [...v.shape], constValue: v.constValue };
  }

  /** For ops without a schema (imported graphs): use declared value_info / outputs, or fail. */
  private declaredSpecs(node: Node): ValueSpec[] {
    const declared = new Map<string, ValueInfo>();
    for (const vi of [...this.graph.valueInfo, ...this.graph.outputs]) declared.set(vi.name, vi);
    return node.outputs.map((o) => {
      const vi = declared.get(o);
      if (!vi || !vi.shape || vi.shape.some((d) => typeof d !== 'number')) {
        throw new GraphError(`no shape inference for op type ${node.domain ? node.domain + '.' : ''}${node.opType} and no static value_info for "${o}"`, node.name);
      }
      return { dtype: vi.dtype, shape: vi.shape as number[] };
    });
  }
}

function staticShape(vi: ValueInfo): number[] {
  if (!vi.shape || vi.shape.some((d) => typeof d !== 'number' || d < 0)) {
    throw new GraphError(`graph input "${vi.name}" has a dynamic shape [${(vi.shape ?? ['?']).join(',')}]; fix its dims first (passes/fixDims)`);
  }
  return vi.shape as number[];
}

function trimTrailing(names: string[]): string[] {
  let end = names.length;
  while (end > 0 && names[end - 1] === '') end--;
  return names.slice(0, end);
}

function toTyped(values: number[], dtype: DType): TypedData {
  const out = allocTyped(dtype, values.length);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) values.forEach((v, i) => (out[i] = BigInt(Math.trunc(v))));
  else if (Array.isArray(out)) throw new GraphError('string constants are not supported by constant()');
  else if (dtype === 'float16' || dtype === 'bfloat16') throw new GraphError(`constant(): pass ${dtype} data as a Uint16Array of bits`);
  else values.forEach((v, i) => ((out as Float32Array)[i] = v));
  return out;
}

export type { TensorData };
