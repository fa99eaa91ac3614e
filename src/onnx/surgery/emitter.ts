// Emits raw ai.onnx nodes and int64/float constants for graph rewrites whose replacement must keep existing
// value names (the builder would invent new ones). Only opset-stable forms are used (Slice with inputs, no
// Split/Squeeze), so the rewrite is valid for any imported opset ≥ 13. Pure data; the caller splices the result.
import type { Node, TensorData } from '../ir/types';

export class NodeEmitter {
  readonly nodes: Node[] = [];
  readonly initializers: TensorData[] = [];
  private count = 0;

  /** @param prefix node/value name prefix, e.g. `<fused node>/unfused` */
  constructor(private readonly prefix: string) {}

  /** Appends one node named `<prefix>/<OpType>_<k>`; returns its output name (`out` when given, else `<node name>:0`). */
  node(opType: string, inputs: string[], attributes: Node['attributes'] = {}, out?: string): string {
    const name = `${this.prefix}/${opType}_${this.count++}`;
    const output = out ?? `${name}:0`;
    this.nodes.push({ name, opType, domain: '', inputs, outputs: [output], attributes });
    return output;
  }

  ints(values: readonly number[]): string {
    const name = `${this.prefix}/const_${this.count++}`;
    this.initializers.push({ name, dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  scalar(value: number): string {
    const name = `${this.prefix}/const_${this.count++}`;
    this.initializers.push({ name, dtype: 'float32', dims: [], data: Float32Array.of(value) });
    return name;
  }

  transpose(x: string, perm: number[]): string {
    return this.node('Transpose', [x], { perm: { type: 'ints', value: perm } });
  }

  reshape(x: string, shape: number[], out?: string): string {
    return this.node('Reshape', [x, this.ints(shape)], {}, out);
  }

  /** x[..., start:end, ...] along `axis`. */
  slice(x: string, axis: number, start: number, end: number): string {
    return this.node('Slice', [x, this.ints([start]), this.ints([end]), this.ints([axis])]);
  }
}
