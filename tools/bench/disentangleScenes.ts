// The held-out reference scenes of bench:disentangle (two objects each, appearances the default model never saw:
// HELD_OUT colour–shape pairs and unusual patterns), the control appearance per scene, the variants, and the evaluator loader.
// Node-only (reads public/models/evaluator). Reference: src/world HELD_OUT; src/eval (the world evaluator).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadEvaluator } from '../../src/eval/index';
import { meanOf, objectShares } from '../../src/eval/attentionLocalisation';
import { softIou } from '../../src/train/losses/softIou';
import type { AttentionSnapshot } from '../../src/train/loop/attentionProbe';
import type { Evaluator, EvaluatorManifest } from '../../src/eval/index';
import type { Runner } from '../../src/runtime/types';
import { CUSTOM_DIFFUSION_TERMS, DISENDIFF_TERMS, MASK_GUIDED_TERMS } from '../../src/train/config';
import type { DisenDiffConfig, KvLoraConfig, LossTerms, ModifierInit } from '../../src/train/config';
import type { ColorName, PatternName } from '../../src/world/index';
import { modelResolution, referenceScene } from './worldScenes';
import type { ObjectSpec, ReferenceScene } from './worldScenes';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { captionStyleFor, classPrompt } from '../../src/train/data/captions';
import { MemoryBlobCache, regularisationImages } from '../../src/train/data/regularisation';
import type { RegularisationImage } from '../../src/train/data/dataset';

export const EVALUATOR_DIR = 'public/models/evaluator';

/** A personalization variant of the bench: its loss terms, whether it trains with the masks, subset isolation, and
 * for the paper's Fig. 6b ablations the map layers ('all-scales') and the modifier init. */
export type Variant = { name: string; terms: LossTerms; hasMasks: boolean; isolation?: boolean; mapLayers?: DisenDiffConfig['mapLayers']; rowInit?: ModifierInit; frozenMapKeys?: boolean; kvLora?: KvLoraConfig };

/** DisenDiff as released with one change: the Fig. 6b ablations (DisenDiff paper §4.3). */
const released = (key: string, name: string, change: Partial<Variant>): Variant & { key: string } => ({ key, name, terms: DISENDIFF_TERMS, hasMasks: false, rowInit: 'rare', ...change });

/** The three variants and their `--variants` keys. */
export const VARIANTS: (Variant & { key: string })[] = [
  // (a) the released method: no masks, rare-token init (the default model has no rare CLIP rows: its colour-word
  // mean, src/train/loop/job.ts resolveRowInit), released loss scale
  released('disendiff', 'disendiff (released)', {}),
  { key: 'masks', name: 'disendiff+masks', terms: MASK_GUIDED_TERMS, hasMasks: true },
  { key: 'baseline', name: 'baseline (no calibration)', terms: CUSTOM_DIFFUSION_TERMS, hasMasks: false },
  // ablation, opt-in: mask guidance (masked L_base, attention-to-mask, union sampling) without DisenDiff's terms
  { key: 'masks-only', name: 'masks without calibration', terms: { ...CUSTOM_DIFFUSION_TERMS, maskedBase: true, maskAttention: true }, hasMasks: true },
  // opt-in: DisenDiff + masks with subset isolation (src/train/data/isolate.ts), and its ablation without calibration
  { key: 'masks-isolated', name: 'disendiff+masks+isolation', terms: MASK_GUIDED_TERMS, hasMasks: true, isolation: true },
  { key: 'isolated-only', name: 'masks+isolation without calibration', terms: { ...CUSTOM_DIFFUSION_TERMS, maskedBase: true, maskAttention: true }, hasMasks: true, isolation: true },
  // (b) the paper's Fig. 6b ablations of the released method, opt-in
  released('no-bind', 'ablation: no binding', { terms: { ...DISENDIFF_TERMS, bind: false } }),
  released('no-separate', 'ablation: no separate & strengthen', { terms: { ...DISENDIFF_TERMS, separate: false } }),
  released('no-suppression', 'ablation: no suppression (no squaring)', { terms: { ...DISENDIFF_TERMS, suppression: false } }),
  released('twice-squaring', 'ablation: squaring twice', { terms: { ...DISENDIFF_TERMS, twiceSquaring: true } }),
  released('no-gaussian', 'ablation: no Gaussian', { terms: { ...DISENDIFF_TERMS, blur: false } }),
  released('all-scales', 'ablation: all-scale maps instead of 16×16', { mapLayers: 'all-scales' }),
  released('class-init', 'released, class-word init', { rowInit: 'class-word' }),
  // diagnostic, opt-in: the released method with the map layers' to_k frozen (the maps can move only through the
  // modifier rows), and the baseline with the same frozen keys (docs/calibration.md "Frozen map keys")
  released('frozen-keys', 'released, map-layer to_k frozen', { frozenMapKeys: true }),
  { key: 'baseline-frozen-keys', name: 'baseline, map-layer to_k frozen', terms: CUSTOM_DIFFUSION_TERMS, hasMasks: false, frozenMapKeys: true },
  // opt-in deviation: K/V learned as LoRA factors (src/train/graphs/kvLora.ts, docs/lora-training.md). Rank 4 on the
  // default model (K/V [32|64, 64]: rank 16, the SD 1.5 default, would be half the narrower side, no compression)
  { key: 'baseline-lora', name: 'baseline, K/V as LoRA rank 4', terms: CUSTOM_DIFFUSION_TERMS, hasMasks: false, kvLora: { rank: 4 } },
  released('lora', 'released, K/V as LoRA rank 4', { kvLora: { rank: 4 } }),
];
/** The default of --variants: (a) released DisenDiff, (b) as the studio trains the default model (masks with subset isolation), (c) the baseline. */
export const DEFAULT_VARIANTS = ['disendiff', 'masks-isolated', 'baseline'];


/** Scene i of the bench (cycled when --scenes exceeds the list): concept 1, concept 2. */
export const HELD_OUT_SCENES: readonly (readonly [ObjectSpec, ObjectSpec])[] = [
  [{ shape: 'star', color: 'purple', pattern: 'striped', size: 'large' }, { shape: 'square', color: 'orange', pattern: 'dotted', size: 'large' }],
  [{ shape: 'heart', color: 'green', pattern: 'checkered', size: 'large' }, { shape: 'triangle', color: 'blue', pattern: 'gradient', size: 'large' }],
  [{ shape: 'circle', color: 'purple', pattern: 'dotted', size: 'large' }, { shape: 'diamond', color: 'orange', pattern: 'checkered', size: 'large' }],
  [{ shape: 'star', color: 'green', pattern: 'gradient', size: 'large' }, { shape: 'triangle', color: 'yellow', pattern: 'striped', size: 'large' }],
  // scenes 4–7 (added 2026-11-27): the same HELD_OUT pairs with other patterns and partners, so that a setting chosen on
  // scenes 0–3 can be confirmed on scenes it was not chosen on (`--first 4`)
  [{ shape: 'square', color: 'orange', pattern: 'striped', size: 'large' }, { shape: 'heart', color: 'green', pattern: 'dotted', size: 'large' }],
  [{ shape: 'triangle', color: 'blue', pattern: 'checkered', size: 'large' }, { shape: 'star', color: 'purple', pattern: 'gradient', size: 'large' }],
  [{ shape: 'heart', color: 'green', pattern: 'striped', size: 'large' }, { shape: 'circle', color: 'orange', pattern: 'gradient', size: 'large' }],
  [{ shape: 'star', color: 'purple', pattern: 'checkered', size: 'large' }, { shape: 'triangle', color: 'blue', pattern: 'dotted', size: 'large' }],
];

/**
 * Bench scene `index` (cycled over HELD_OUT_SCENES): its reference (scene seed 100 + index) and `count` regularisation
 * images of its class prompt drawn by the base model (DDIM, CFG 6, `steps` steps, seed 10 000 + `seed`), cached in memory.
 */
export async function benchScene(runner: Runner, model: LoadedModel, index: number, o: { seed: number; count: number; steps: number; hash: string }): Promise<{ spec: (typeof HELD_OUT_SCENES)[number]; ref: ReferenceScene; reg: RegularisationImage[] }> {
  const size = modelResolution(model);
  const spec = HELD_OUT_SCENES[index % HELD_OUT_SCENES.length] as (typeof HELD_OUT_SCENES)[number];
  const ref = referenceScene(spec, 100 + index, size);
  const pipe = new Txt2ImgPipeline(runner, model);
  const gen = (p: string, seed: number, px: number) => pipe.generate({ prompt: p, seed, steps: o.steps, sampler: 'DDIM', guidanceScale: 6, width: px, height: px, preview: 'none' });
  const reg = await regularisationImages({ modelHash: o.hash, prompt: classPrompt(ref.concepts, captionStyleFor(model.tokenizer)), seed: 10_000 + o.seed, count: o.count, size }, gen, new MemoryBlobCache());
  await pipe.dispose();
  return { spec, ref, reg };
}

const CONTROL_COLORS: readonly ColorName[] = ['white', 'yellow', 'red', 'black'];
const CONTROL_PATTERNS: readonly PatternName[] = ['solid', 'checkered', 'gradient', 'striped'];

/** A colour and pattern that no object of `spec` has (the ctrl_j rendering of the leakage definition). */
export function controlAppearance(spec: readonly ObjectSpec[]): { color: ColorName; pattern: PatternName } {
  const color = CONTROL_COLORS.find((c) => !spec.some((o) => o.color === c)) as ColorName;
  const pattern = CONTROL_PATTERNS.find((p) => !spec.some((o) => o.pattern === p)) as PatternName;
  return { color, pattern };
}

/** The committed world evaluator on `runner`, and the embedding mean its imageAlignment centres with. */
export async function loadWorldEvaluator(runner: Runner, dir = EVALUATOR_DIR): Promise<{ ev: Evaluator; embeddingMean: Float32Array }> {
  const manifest = JSON.parse(await readFile(join(dir, 'evaluator.json'), 'utf8')) as EvaluatorManifest;
  const ev = await loadEvaluator(runner, { manifest, weights: new Uint8Array(await readFile(join(dir, 'evaluator.bin'))) });
  return { ev, embeddingMean: Float32Array.from(manifest.embeddingMean) };
}

/**
 * Cosine similarity of mean-centred embeddings: Evaluator.imageAlignment's formula, applied to embeddings computed
 * once in batches (the bench compares every detected object with four fixed references).
 */
export function centredCosine(a: Float32Array, b: Float32Array, mean: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < mean.length; i++) {
    const u = (a[i] as number) - (mean[i] as number);
    const v = (b[i] as number) - (mean[i] as number);
    dot += u * v; na += u * u; nb += v * v;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** What calibration acts on, read off one attention snapshot of the reference (maps processed as DISENDIFF_TERMS
 *  does: min–max, 3×3 Gaussian, class maps squared; src/train/loop/attentionProbe.ts): per concept i the modifier
 *  map's share of weight on object i and on the other objects (objectShares), L_bind's IoU(M_i, C_i) and the class
 *  map's own share; and L_s&s's mean IoU(C_i, C_j). IoUs are the losses' soft IoU without smoothing. */
export type CalibrationReadout = { modifierOwn: number; modifierOther: number; binding: number; classOwn: number; classOverlap: number };

export function calibrationReadout(snap: AttentionSnapshot, masks: readonly Uint8Array[], size: number): CalibrationReadout {
  const [h, w] = snap.size;
  const n = snap.labels.length / 2;
  const map = (k: number): Float32Array => snap.maps.subarray(k * h * w, (k + 1) * h * w);
  const per = Array.from({ length: n }, (_, i) => {
    const m = objectShares(map(i), masks, size, h, w, i);
    return { modOwn: m.own, modOther: m.other, binding: softIou(map(i), map(n + i), 0), classOwn: objectShares(map(n + i), masks, size, h, w, i).own };
  });
  const overlaps: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) overlaps.push(softIou(map(n + i), map(n + j), 0));
  const mean = (xs: number[]): number => meanOf(xs);
  return { modifierOwn: mean(per.map((p) => p.modOwn)), modifierOther: mean(per.map((p) => p.modOther)), binding: mean(per.map((p) => p.binding)), classOwn: mean(per.map((p) => p.classOwn)), classOverlap: mean(overlaps) };
}
