// In-graph DisenDiff attention maps (docs/disendiff.md §2.5–§2.6), the ONNX twin of postprocess.ts: token maps
// picked by a one-hot selection input, mean over heads and layers, min–max via ReduceMin/ReduceMax, reflect
// padding + Conv with the fixed Gaussian kernel, squaring. Pure graph construction; never runs anything.
// The reflect padding is Slice + Concat (not Pad mode=reflect): the autodiff Pad rule covers constant mode only.
// Shapes: probs_l [B, H_l, N, S]; select [B, S, K] (column k one-hot at the token of map k); maps [B, K, N].
import { GraphError } from '../../lib/errors';
import { op } from '../../onnx/index';
import type { Var } from '../../onnx/index';
import { gaussianKernel2d } from './postprocess';

/** Options of normalizeMaps (the §2.6 steps 2–3). */
export type MapGraphOptions = { eps: number; blur: boolean; sigma: number; kernelSize: number };

/**
 * Ā [B, K, N] = Σ_l Σ_h A_l[b, h, :, :] · select[b] / Σ_l H_l — the plain mean over all head/layer maps (§2.5).
 * @param probs post-softmax cross-attention probabilities, one [B, H_l, N, S] tensor per selected layer
 * @param select float32 [B, S, K]; a zero column gives a zero map (absent concept)
 * @throws GraphError when the layers disagree in B, N or S, or select does not match them
 */
export function meanSelectedMaps(probs: readonly Var[], select: Var): Var {
  const first = probs[0];
  if (!first) throw new GraphError('meanSelectedMaps: no attention layers selected; pick at least one cross-attention layer');
  const [bsz, , n, s] = first.shape as [number, number, number, number];
  const [sb, ss, k] = select.shape as [number, number, number];
  if (sb !== bsz || ss !== s) throw new GraphError(`meanSelectedMaps: select is [${select.shape}] but the maps are [${first.shape}]; it must be [B=${bsz}, S=${s}, K]`);
  const b = first.builder;
  const sel = op.Reshape(select, [bsz, 1, s, k]);
  let total: Var | undefined;
  let heads = 0;
  for (const p of probs) {
    const [pb, ph, pn, ps] = p.shape as [number, number, number, number];
    if (pb !== bsz || pn !== n || ps !== s) throw new GraphError(`meanSelectedMaps: layer ${p.name} is [${p.shape}], the first is [${first.shape}]; select layers of one resolution`);
    const summed = op.ReduceSum(op.MatMul(p, sel), [1], false);
    total = total ? op.Add(total, summed) : summed;
    heads += ph;
  }
  return op.Transpose(op.Mul(total as Var, b.scalar(1 / heads)), [0, 2, 1]);
}

/**
 * The 'all-scales' ablation: per resolution the head/layer mean map (meanSelectedMaps), resampled to `size` (block
 * mean when larger, nearest repeat when smaller), then averaged with each resolution weighted by its head count, so
 * the result is the plain mean over every head of every layer. Square resolutions that divide each other only.
 */
export function allScaleMaps(layers: readonly { probs: Var; resolution: [number, number] }[], select: Var, size: [number, number]): Var {
  const groups = new Map<number, Var[]>();
  for (const l of layers) groups.set(l.resolution[0], [...(groups.get(l.resolution[0]) ?? []), l.probs]);
  const b = select.builder;
  const [bsz, , k] = select.shape as [number, number, number];
  const target = size[0];
  let total: Var | undefined;
  let heads = 0;
  for (const [r, probs] of groups) {
    const h = probs.reduce((s, p) => s + (p.shape[1] as number), 0);
    let m = op.Mul(meanSelectedMaps(probs, select), b.scalar(h)); // [B, K, r·r], summed over heads
    if (r > target) {
      const f = r / target;
      m = op.Reshape(op.ReduceMean(op.Reshape(m, [bsz, k, target, f, target, f]), [3, 5], false), [bsz, k, target * target]);
    } else if (r < target) {
      const f = target / r;
      m = op.Reshape(op.Expand(op.Reshape(m, [bsz, k, r, 1, r, 1]), [bsz, k, r, f, r, f]), [bsz, k, target * target]);
    }
    total = total ? op.Add(total, m) : m;
    heads += h;
  }
  return op.Mul(total as Var, b.scalar(1 / heads));
}

/** torch F.pad(mode="reflect") by r on `axis`: rows r..1, x, rows n−2..n−1−r (no edge repeat). */
export function reflectPad(x: Var, r: number, axis: number): Var {
  const n = x.shape[axis] as number;
  if (r >= n) throw new GraphError(`reflectPad: pad ${r} must be smaller than axis ${axis} of size ${n}`);
  const row = (i: number): Var => op.Slice(x, [i], [i + 1], [axis]);
  const before = Array.from({ length: r }, (_, k) => row(r - k));
  const after = Array.from({ length: r }, (_, k) => row(n - 2 - k));
  return r === 0 ? x : op.Concat([...before, x, ...after], axis);
}

/** N then G on maps [B, K, h·w] (§2.6 steps 2–3): (x − min)/(max − min + eps), reflect pad, Gaussian Conv. */
export function normalizeMaps(maps: Var, h: number, w: number, o: MapGraphOptions): Var {
  const [bsz, k, n] = maps.shape as [number, number, number];
  if (n !== h * w) throw new GraphError(`normalizeMaps: maps have ${n} pixels, ${h}×${w} = ${h * w}`);
  const b = maps.builder;
  const x = op.Reshape(maps, [bsz * k, 1, h, w]);
  const lo = op.ReduceMin(x, [2, 3], true);
  const hi = op.ReduceMax(x, [2, 3], true);
  let y = op.Div(op.Sub(x, lo), op.Add(op.Sub(hi, lo), b.scalar(o.eps)));
  if (o.blur) {
    const r = (o.kernelSize - 1) / 2;
    const kernel = b.constant(Float32Array.from(gaussianKernel2d(o.kernelSize, o.sigma)), 'float32', [1, 1, o.kernelSize, o.kernelSize]);
    y = op.Conv(reflectPad(reflectPad(y, r, 2), r, 3), kernel);
  }
  return op.Reshape(y, [bsz, k, n]);
}

/** f_m: element-wise square (class-map suppression, §2.6 step 4). */
export function squareMaps(maps: Var): Var {
  return op.Mul(maps, maps);
}
