// Gradient oracle without torch: central finite differences of a forward graph through onnxruntime-node,
// compared with the gradient graph that buildGradientGraph emits (micrograd/tinygrad style, house-style §12).
// Loss = Σ(y ⊙ R) with a seeded random R, so every output element is checked through one scalar.
// float64 is tried first (ORT CPU has double kernels for most ops); when a session cannot be created the
// case is rebuilt in float32. Error = (|analytic − numeric| − the finite difference's roundoff) / the tensor's largest gradient (no floor).
import { Rng } from '../../src/lib/random';
import { GraphBuilder, buildGradientGraph, encodeModel, numElements, op } from '../../src/onnx/index';
import type { Var } from '../../src/onnx/index';
import type { HostTensor, Session } from '../../src/runtime/types';
import { nodeOrt } from './ort';

export type FloatType = 'float32' | 'float64';

export type GradCase = {
  name: string;
  /** Declares float inputs (b.input, fed with random values) and returns the checked value and the wrt inputs (default: every input). */
  build(b: GraphBuilder, dtype: FloatType): { y: Var; wrt?: Var[] };
  /** Input values (default: standard normal). Use it to keep away from kinks (Relu, Max) and poles (Log, Div). */
  sample?: (inputName: string, rng: Rng, count: number) => ArrayLike<number>;
  /** Only try this dtype (e.g. ops without a float64 kernel in ORT CPU). */
  dtype?: FloatType;
  /** Maximum finite-difference probes per wrt input (default 24). */
  probes?: number;
};

export type GradCheckResult = { name: string; dtype: FloatType; maxRelErr: number; tol: number; ok: boolean; probes: number; worst: string };

/** Step sizes and tolerances per dtype: FD error ≈ eps²·f‴/6 + ε_mach·|L|/eps. */
export const FD_SETTINGS: Record<FloatType, { eps: number; tol: number }> = {
  float64: { eps: 1e-5, tol: 1e-5 },
  float32: { eps: 4e-3, tol: 2e-2 },
};

type Built = { fwd: Session; grad: Session; feeds: Record<string, HostTensor>; wrt: string[]; gradNames: Record<string, string> };

function typed(dtype: FloatType, values: ArrayLike<number>): Float32Array | Float64Array {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

export type GradModels = { forward: Uint8Array; backward: Uint8Array; feeds: Record<string, HostTensor>; wrt: string[]; gradNames: Record<string, string> };

/** The case's forward model (output "loss" = Σ y⊙R), its gradient model and seeded feeds, as ONNX bytes. */
export function buildGradModels(c: GradCase, dtype: FloatType, seed = 1): GradModels {
  const rng = new Rng(seed);
  const b = new GraphBuilder(c.name.replace(/[^A-Za-z0-9_]/g, '_'));
  const { y, wrt } = c.build(b, dtype);
  const r = b.constant(typed(dtype, rng.normalArray(numElements(y.shape))), dtype, y.shape);
  b.output(op.ReduceSum(op.Mul(y, r), undefined, false), 'loss');
  const feeds: Record<string, HostTensor> = {};
  for (const vi of b.graph.inputs) {
    const dims = vi.shape as number[];
    const n = numElements(dims);
    const values = c.sample ? c.sample(vi.name, rng, n) : rng.normalArray(n);
    feeds[vi.name] = { dtype, dims, data: typed(dtype, values) };
  }
  const wrtNames = (wrt ?? b.graph.inputs.map((vi) => b.get(vi.name))).map((v) => v.name);
  const back = buildGradientGraph(b.graph, { loss: 'loss', wrt: wrtNames });
  return { forward: encodeModel(b.toModel()), backward: encodeModel({ ...b.toModel(), graph: back.graph }), feeds, wrt: wrtNames, gradNames: back.grads };
}

async function buildCase(c: GradCase, dtype: FloatType, seed: number): Promise<Built> {
  const m = buildGradModels(c, dtype, seed);
  const runner = nodeOrt();
  const fwd = await runner.createSession(`${c.name}/forward`, m.forward);
  const grad = await runner.createSession(`${c.name}/backward`, m.backward);
  return { fwd, grad, feeds: m.feeds, wrt: m.wrt, gradNames: m.gradNames };
}

async function lossAt(s: Session, feeds: Record<string, HostTensor>): Promise<number> {
  const out = (await s.run(feeds)).loss as HostTensor;
  return Number(out.data[0]);
}

/** 4 ulps of |loss| in `dtype`: the roundoff of one loss evaluation, doubled for the two evaluations of a difference. */
function roundoff(loss: number, dtype: FloatType): number {
  const mantissa = dtype === 'float32' ? 23 : 52;
  return loss === 0 ? 0 : 4 * 2 ** (Math.floor(Math.log2(loss)) - mantissa);
}

/** Probe indices: all when few, else `probes` evenly spread ones (deterministic). */
function probeIndices(n: number, probes: number): number[] {
  if (n <= probes) return [...Array(n).keys()];
  return Array.from({ length: probes }, (_, k) => Math.floor(((k + 0.5) * n) / probes));
}

async function compare(c: GradCase, built: Built, dtype: FloatType): Promise<GradCheckResult> {
  const { eps, tol } = FD_SETTINGS[dtype];
  const analytic = await built.grad.run(built.feeds);
  let maxRelErr = 0;
  let worst = '';
  let probes = 0;
  for (const w of built.wrt) {
    const a = (analytic[built.gradNames[w] as string] as HostTensor).data;
    const base = built.feeds[w] as HostTensor;
    const diffs: [number, number, number, number][] = [];
    for (const i of probeIndices(base.data.length, c.probes ?? 24)) {
      const plus = base.data.slice() as Float64Array;
      const minus = base.data.slice() as Float64Array;
      plus[i] = (plus[i] as number) + eps;
      minus[i] = (minus[i] as number) - eps;
      const lp = await lossAt(built.fwd, { ...built.feeds, [w]: { ...base, data: plus } });
      const lm = await lossAt(built.fwd, { ...built.feeds, [w]: { ...base, data: minus } });
      diffs.push([i, Number(a[i]), (lp - lm) / (2 * eps), roundoff(Math.max(Math.abs(lp), Math.abs(lm)), dtype) / (2 * eps)]);
    }
    probes += diffs.length;
    // Relative to the tensor's largest gradient (no floor of 1: a rule returning 0 must fail however small the true
    // gradients are), after forgiving the finite difference's own roundoff (a few ulps of the loss over 2h).
    const scale = Math.max(...diffs.map(([, an, nu]) => Math.max(Math.abs(an), Math.abs(nu))), Number.MIN_VALUE);
    for (const [i, an, nu, noise] of diffs) {
      const err = Math.max(0, Math.abs(an - nu) - noise) / scale;
      if (!(err <= maxRelErr)) {
        maxRelErr = Number.isNaN(err) ? Infinity : err;
        worst = `${w}[${i}]: analytic ${an.toPrecision(6)} vs numeric ${nu.toPrecision(6)}`;
      }
    }
  }
  return { name: c.name, dtype, maxRelErr, tol, ok: maxRelErr <= tol, probes, worst };
}

/** Runs one case: float64 unless ORT cannot run it (or c.dtype says otherwise), else float32. */
export async function checkGradCase(c: GradCase, seed = 1): Promise<GradCheckResult> {
  const order: FloatType[] = c.dtype ? [c.dtype] : ['float64', 'float32'];
  let lastError: unknown;
  for (const dtype of order) {
    let built: Built;
    try {
      built = await buildCase(c, dtype, seed);
    } catch (e) {
      if (e instanceof Error && /could not create session/.test(e.message)) {
        lastError = e;
        continue;
      }
      throw e;
    }
    try {
      return await compare(c, built, dtype);
    } finally {
      await built.fwd.dispose();
      await built.grad.dispose();
    }
  }
  throw lastError;
}
