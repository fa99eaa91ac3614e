// Parameters of the model builders: where weight values come from, and the table of every parameter built.
// Names are EXACTLY diffusers' / transformers' state-dict names, in their layouts: a Linear weight is stored
// [out, in] as in PyTorch, and the graph computes x · Wᵀ with an in-graph Transpose (see linear() in nn.ts).
// That single convention keeps safetensors loading, K/V graph inputs and delta export layout-identical.
// Pure: no I/O; random values come only from the seeded Rng (lib/random.ts).
import { ModelFormatError } from '../../lib/errors';
import { Rng } from '../../lib/random';
import { numElements } from '../ir/dtype';
import type { GraphBuilder } from '../build/GraphBuilder';
import type { Var } from '../build/Var';

/** Where parameter values come from. `get` returns undefined when the source does not have `name`. */
export interface WeightSource {
  /** Float32 values of parameter `name` (state-dict name), row-major in `shape`; undefined when absent. */
  get(name: string, shape: readonly number[]): Float32Array | undefined;
}

/**
 * Weights option of every builder: a source (missing names fall back to seeded random init and are listed in
 * `randomInitialized`), or 'shapes-only': every parameter becomes a graph INPUT with dims and no data, for
 * parameter counting and structure checks without allocating (SD 1.5 UNet would be 3.4 GB of fp32).
 */
export type WeightsOption = WeightSource | 'shapes-only';

/** Options every model builder takes. */
export type ModelBuildOptions = {
  weights?: WeightsOption;
  /** Seed of the random init used for parameters the source lacks (default 0). */
  seed?: number;
};

/** One parameter of a built model. */
export type ParamEntry = { name: string; shape: number[]; isInput: boolean };

/**
 * Seeded random weights, deterministic per NAME (independent of build order), cached so that a reference
 * implementation reading the same source sees the same values. 1-D `*norm*.weight` → 1 + 0.1·N(0,1);
 * other 1-D (biases) → 0.1·N(0,1); N-D → N(0, 1/fan_in), fan_in = product of dims after the first.
 */
export class RandomWeights implements WeightSource {
  /** name → values */
  private readonly cache = new Map<string, Float32Array>();
  constructor(private readonly seed = 0) {}

  get(name: string, shape: readonly number[]): Float32Array {
    const hit = this.cache.get(name);
    if (hit && hit.length === numElements(shape)) return hit;
    const rng = new Rng((hashName(name) ^ Math.imul(this.seed + 1, 0x9e3779b1)) >>> 0);
    const n = numElements(shape);
    let data: Float32Array;
    if (shape.length === 1) {
      const isNormWeight = /norm[^.]*\.weight$/.test(name);
      data = rng.normalArray(n, 0.1);
      if (isNormWeight) for (let i = 0; i < n; i++) data[i] = 1 + (data[i] as number);
    } else {
      const fanIn = numElements(shape.slice(1));
      data = rng.normalArray(n, 1 / Math.sqrt(fanIn));
    }
    this.cache.set(name, data);
    return data;
  }
}

/** A WeightSource over a plain record (name → values), e.g. tensors read from a safetensors file. */
export class MapWeights implements WeightSource {
  /** @param tensors name → float32 values, row-major */
  constructor(private readonly tensors: ReadonlyMap<string, Float32Array>) {}
  get(name: string): Float32Array | undefined {
    return this.tensors.get(name);
  }
}

/** Declares parameters on a builder, records them, and decides initializer versus graph input. */
export class ParamTable {
  readonly entries: ParamEntry[] = [];
  /** Names the source lacked, filled from seeded random init. */
  readonly randomInitialized: string[] = [];
  private readonly fallback: RandomWeights;

  constructor(
    readonly builder: GraphBuilder,
    private readonly weights: WeightsOption | undefined,
    seed = 0,
    /** Params for which this returns true become graph inputs (fed at run time) instead of initializers. */
    private readonly asInput: (name: string) => boolean = () => false,
  ) {
    this.fallback = new RandomWeights(seed);
  }

  get isShapesOnly(): boolean {
    return this.weights === 'shapes-only';
  }

  /** Declares parameter `name` of `shape` (float32) and returns its Var. */
  param(name: string, shape: readonly number[]): Var {
    const isInput = this.isShapesOnly || this.asInput(name);
    this.entries.push({ name, shape: [...shape], isInput });
    if (isInput) return this.builder.input(name, 'float32', shape);
    return this.builder.param(name, 'float32', shape, this.values(name, shape));
  }

  /** Values for `name` from the source, or seeded random init (recorded). Throws on a size mismatch. */
  values(name: string, shape: readonly number[]): Float32Array {
    const source = this.weights === 'shapes-only' ? undefined : this.weights;
    const got = source?.get(name, shape);
    if (got === undefined) {
      if (source) this.randomInitialized.push(name);
      return this.fallback.get(name, shape);
    }
    if (got.length !== numElements(shape)) {
      throw new ModelFormatError('shape', `weight "${name}" has ${got.length} values; the model needs [${shape.join(', ')}] = ${numElements(shape)}. Check the config matches the checkpoint.`);
    }
    return got;
  }

  /** Total number of parameter elements declared so far. */
  count(): number {
    return this.entries.reduce((s, e) => s + numElements(e.shape), 0);
  }
}

/** FNV-1a 32-bit hash of a name (stable seed per parameter). */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
