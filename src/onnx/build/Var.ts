// A value under construction: name, dtype and static shape, tied to the GraphBuilder that made it.
// Pure data plus a back-reference; op constructors (opset/<Op>.ts) take and return Vars.
import type { DType, TypedData } from '../ir/types';
import type { GraphBuilder } from './GraphBuilder';

export class Var {
  constructor(
    readonly builder: GraphBuilder,
    readonly name: string,
    readonly dtype: DType,
    /** Static shape, row-major; [] for a scalar. */
    readonly shape: readonly number[],
    /** Known constant value (initializers from `constant()`, folded shape values). */
    readonly constValue?: TypedData,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `${this.name}: ${this.dtype}[${this.shape.join(',')}]`;
  }
}
