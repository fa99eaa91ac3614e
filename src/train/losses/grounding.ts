// Token grounding losses of TokenCompose (Wang et al., "TokenCompose: Text-to-Image Diffusion with Token-level
// Supervision", CVPR 2024, §3.2; released code `train/train_token_compose.py`, functions
// `get_grounding_loss_by_layer` and `_get_attn_loss_by_layer`), used to teach the default model's cross-attention to
// find its objects before DisenDiff's calibration reads those maps. Per cross-attention layer l and word slot k
// (a caption word bound to one object, with that object's mask M_k at the layer's resolution):
//   Â_lk(u) = mean over heads of the post-softmax attention of pixel u to the word's token        (u ∈ h·w)
//   L_token = Σ_k w_k (1 − Σ_u Â_lk(u)·M_k(u) / Σ_u Â_lk(u))² / Σ_k w_k                            (eq. 3)
//   L_pixel = Σ_k p_k mean_u BCE(Â_lk(u), M_k(u)) / Σ_k p_k                                          (eq. 4)
// each averaged over the given layers. Deviations: (1) the released code supervises nouns only and both terms
// with the same word set; here L_token covers every attribute word of an object (size, colour, pattern, shape) via
// w, L_pixel only the shape nouns via p (several words of one object cannot all reach probability 1 at a pixel);
// (2) masks are soft (area coverage at the layer's resolution), not thresholded; (3) Â is clamped to
// [ε, 1 − ε] inside the log (ε = 1e-6) where the released code adds no epsilon.
// Pure: a CPU reference and the graph version; nothing runs here.
import { GraphError } from '../../lib/errors';
import { op } from '../../onnx/index';
import type { Var } from '../../onnx/index';
import { meanSelectedMaps } from '../attention/graph';

const EPS = 1e-6;

/** CPU reference. maps, masks: [K][N] for one layer and one image; w, p: [K]. Returns { token, pixel } (0 when Σw or Σp is 0). */
export function groundingLossReference(maps: number[][], masks: number[][], w: number[], p: number[]): { token: number; pixel: number } {
  let token = 0;
  let pixel = 0;
  maps.forEach((a, k) => {
    const m = masks[k] as number[];
    const mass = a.reduce((s, v) => s + v, 0);
    const inside = a.reduce((s, v, u) => s + v * (m[u] as number), 0);
    token += (w[k] as number) * (1 - inside / (mass + EPS)) ** 2;
    const bce = a.reduce((s, v, u) => {
      const c = Math.min(1 - EPS, Math.max(EPS, v));
      const t = m[u] as number;
      return s - (t * Math.log(c) + (1 - t) * Math.log(1 - c));
    }, 0) / a.length;
    pixel += (p[k] as number) * bce;
  });
  const sw = w.reduce((s, v) => s + v, 0);
  const sp = p.reduce((s, v) => s + v, 0);
  return { token: token / (sw + EPS), pixel: pixel / (sp + EPS) };
}

/** Inputs of groundingLossGraph, one mask tensor per layer resolution keyed "h×w". */
export type GroundingInputs = {
  /** float32 [B, S, K]: column k one-hot at the token of word slot k (a zero column: no word) */
  select: Var;
  /** float32 [B, K, h·w] per resolution "h×w" */
  masks: ReadonlyMap<string, Var>;
  /** float32 [B, K]: L_token weight of each slot (1 for a present object word) */
  tokenWeight: Var;
  /** float32 [B, K]: L_pixel weight of each slot (1 for a present shape noun) */
  pixelWeight: Var;
};

/**
 * L_token and L_pixel averaged over `layers` (post-softmax attn2 probabilities [B, H, h·w, S], any resolutions).
 * @throws GraphError when a layer's resolution has no mask input or shapes disagree
 */
export function groundingLossGraph(layers: readonly { probs: Var; resolution: [number, number] }[], g: GroundingInputs): { token: Var; pixel: Var } {
  const first = layers[0];
  if (!first) throw new GraphError('groundingLossGraph: no cross-attention layers given');
  const b = first.probs.builder;
  const eps = b.scalar(EPS);
  const per = (w: Var): Var => op.Add(op.ReduceSum(w, undefined, false), eps);
  let token: Var | undefined;
  let pixel: Var | undefined;
  for (const l of layers) {
    const key = l.resolution.join('×');
    const m = g.masks.get(key);
    if (!m) throw new GraphError(`groundingLossGraph: no mask input for the ${key} layer ${l.probs.name}; give one per resolution`);
    const a = meanSelectedMaps([l.probs], g.select); // [B, K, N]
    if (a.shape.join() !== m.shape.join()) throw new GraphError(`groundingLossGraph: maps [${a.shape}] and masks [${m.shape}] of ${key} must both be [B, K, N]`);
    const mass = op.Add(op.ReduceSum(a, [2], false), eps);
    const inside = op.ReduceSum(op.Mul(a, m), [2], false);
    const miss = op.Sub(b.scalar(1), op.Div(inside, mass));
    const lt = op.Div(op.ReduceSum(op.Mul(g.tokenWeight, op.Mul(miss, miss)), undefined, false), per(g.tokenWeight));
    const c = op.Clip(a, EPS, 1 - EPS);
    const bce = op.Neg(op.ReduceMean(op.Add(op.Mul(m, op.Log(c)), op.Mul(op.Sub(b.scalar(1), m), op.Log(op.Sub(b.scalar(1), c)))), [2], false));
    const lp = op.Div(op.ReduceSum(op.Mul(g.pixelWeight, bce), undefined, false), per(g.pixelWeight));
    token = token ? op.Add(token, lt) : lt;
    pixel = pixel ? op.Add(pixel, lp) : lp;
  }
  const inv = b.scalar(1 / layers.length);
  return { token: op.Mul(token as Var, inv), pixel: op.Mul(pixel as Var, inv) };
}
