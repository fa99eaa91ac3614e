// `npm run bench:disentangle -- --json`: personalize the default model on held-out two-object world scenes (HELD_OUT
// colour–shape pairs, unusual patterns) with three variants — (a) DisenDiff (DISENDIFF_TERMS), (b) DisenDiff +
// masks (MASK_GUIDED_TERMS) with subset isolation, as the studio trains the default model (`masks-isolated`; the
// `masks` variant is the same without isolation), (c) the baseline without calibration (CUSTOM_DIFFUSION_TERMS) — at the same seeds,
// steps and regularisation images; generate single-concept prompts in the training caption grammar (the default
// model: "a large <c1> star on a grey background", src/train/data/captions.ts WORLD_CAPTIONS) and the
// combined prompt; score with the world evaluator. Metrics, exactly (src/train/loop/disentanglement.ts header):
//   A(I, R) = max over the evaluator's detected objects o of I of the imageAlignment cosine (mean-centred
//             embeddings) between o and R's object (its render mask); the main object when none is detected;
//   imageAlignment_i = mean A(I, ref_i) over images prompted with only <ci>; combined = mean_k A(I, ref_k);
//   textAlignment = evaluator score against the prompt's class words + object count (modifiers removed);
//   LEAKAGE (similarity) = mean over images of <ci> alone and j ≠ i of A(I, ref_j) − A(I, ctrl_j), where ctrl_j is
//   object j re-rendered (same shape, size, place) in a colour and pattern no concept of the scene has;
//   LEAKAGE (attribute) = mean fraction of concept j's distinguishing colour/pattern the evaluator detects in I.
//   PIXEL leakage / own (`pixel`): each generated pixel takes the label of its nearest reference colour (object k or
//             background); mean share of concept j's (own: i's) pixels over images of <ci> alone; `empty` counts
//             images with under 1% of either (src/train/loop/disentanglement.ts pixelShares; added 2026-11-28).
// singleImagesWithNoObject counts single-concept images where the evaluator found no object (the small model's
// "don't know" output: an empty grey canvas); their A(I, ·) falls back to the whole image, so read leakage next to it.
// Defaults are the setting the README's figures were measured in (MEASURED: 8 scenes × 250 steps, about 8 min per
// variant and seed on 2 cores); --smoke runs 2 scenes × 30 steps and marks its report as a smoke run, no claim; --lambda sets λ of (Σ L_bind + L_s&s)
// of (a) and (b) (default: the default model's, DEFAULT_MODEL_PERSONALIZATION); --mask-attention sets λ_attn of the
// attention-to-mask term (default DISENDIFF_DEFAULTS' 0.01, Break-A-Scene's); --variants disendiff,masks-isolated,baseline
// picks the variants (opt-in: masks-only, mask guidance without the calibration terms; masks-isolated, DisenDiff +
// masks with subset isolation, src/train/data/isolate.ts; isolated-only, the latter without calibration);
// --first K starts at scene K (HELD_OUT_SCENES, 8 specs, cycled); --save DIR writes a contact sheet per variant and
// scene (row 1: reference; then one row per prompt). Each variant also reports packBytes (mean bytes of the concept
// pack folder, encodePack) and stepSeconds (the personalize loop's wall time per optimizer step, attention probes
// included); baseline-lora / lora learn the K/V as LoRA factors (docs/lora-training.md). Prints JSON with --json. No assertions. Pool runs of several
// seeds and compare variants with intervals: npm run bench:disentangle:compare (tools/bench/compareDisentangle.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import { shownObjects, textAlignmentOf } from '../../src/eval/index';
import type { EvalImage, Evaluator } from '../../src/eval/index';
import { createNodeRunner } from '../../src/runtime/node';
import type { Runner } from '../../src/runtime/types';
import { DEFAULT_MODEL_PERSONALIZATION, DISENDIFF_DEFAULTS, DISENDIFF_TERMS } from '../../src/train/config';
import { targetCaption } from '../../src/train/data/captions';
import type { RegularisationImage } from '../../src/train/data/dataset';
import { pixelFigures, pixelShares, referencePalette, scoreDisentanglement } from '../../src/train/loop/disentanglement';
import type { Appearance, CombinedImage, Palette, PixelShareImage, SingleConceptImage } from '../../src/train/loop/disentanglement';
import { preparePersonalizeJob } from '../../src/train/loop/job';
import { personalize } from '../../src/train/loop/personalize';
import { applyPack } from '../../src/train/pack/apply';
import { packFromParams } from '../../src/train/pack/fromParams';
import { encodePack } from '../../src/train/pack/io';
import { baseModelHash } from '../../src/train/pack/hash';
import { renderScene } from '../../src/world/index';
import type { ShapeClass } from '../../src/world/index';
import { contactSheet } from './contactSheet';
import type { Tile } from './contactSheet';
import { benchScene, calibrationReadout, centredCosine, controlAppearance, DEFAULT_VARIANTS, HELD_OUT_SCENES, loadWorldEvaluator, VARIANTS } from './disentangleScenes';
import type { CalibrationReadout, Variant } from './disentangleScenes';
import { meanOf } from '../../src/eval/attentionLocalisation';
import type { AttentionSnapshot } from '../../src/train/loop/attentionProbe';
import { DEFAULT_MODEL, loadModel, modelResolution, rgbaImage, withoutMasks } from './worldScenes';
import type { ReferenceScene } from './worldScenes';

/** The setting the README's bench:disentangle figures were measured in (8 held-out scenes × 250 steps). */
const MEASURED = { scenes: 8, steps: 250 };

type Args = { smoke: boolean; first: number; scenes: number; steps: number; lr: number; lambda: number; maskAttention: number; variants: string[]; save: string; images: number; genSteps: number; cfg: number; regCount: number; regSteps: number; threads: number; seed: number; model: string };

/** One scene's references: the rendered scene, per concept the embeddings of ref_k and ctrl_k (object k's mask). */
type SceneRefs = { ref: ReferenceScene; refEmbeddings: Float32Array[]; controlEmbeddings: Float32Array[]; appearances: Appearance[]; reg: RegularisationImage[]; palette: Palette };
/** The evaluator and the embedding mean its imageAlignment centres with. */
type World = { ev: Evaluator; embeddingMean: Float32Array };

const round = (x: number | null, d = 4): number | null => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const seconds = (): number => performance.now() / 1000;

/** Evaluator figures of one generated image against every concept of its scene: A(I, R) = best detected object. */
async function figures(w: World, img: EvalImage, s: SceneRefs, shapes: readonly ShapeClass[]) {
  const [pred] = await w.ev.predict([img]);
  const objects = pred?.objects ?? [];
  const masks = objects.map((o) => Uint8Array.from(o.mask, (v) => (v ? 255 : 0)));
  // no detected object: the evaluator's main-object embedding of the whole image
  const embeddings = await w.ev.embed(masks.length ? masks.map(() => img) : [img], masks);
  const best = (r: Float32Array): number => Math.max(...embeddings.map((e) => centredCosine(e, r, w.embeddingMean)));
  const shown = shownObjects({ objects });
  const textAlignment = textAlignmentOf({ objects }, { objects: shapes.map((shape) => ({ shape })) });
  return {
    refSimilarity: s.refEmbeddings.map(best), controlSimilarity: s.controlEmbeddings.map(best),
    shown: { colors: new Set<string>(shown.map((o) => o.color)), patterns: new Set<string>(shown.map((o) => o.pattern)) }, textAlignment,
    detected: objects.length,
  };
}

/** (1) train the variant, (2) apply the pack, (3) generate single and combined prompts, (4) score the images. */
async function runVariant(runner: Runner, w: World, v: Variant & { key: string }, scenes: SceneRefs[], hash: string, a: Args) {
  const single: (SingleConceptImage & { detected: number; pixels: PixelShareImage })[] = [];
  const combined: CombinedImage[] = [];
  const losses: number[] = [];
  const readouts: (CalibrationReadout & { step: number })[][] = [];
  const t0 = seconds();
  let trainSeconds = 0;
  let loopSeconds = 0;
  let loopSteps = 0;
  const packBytes: number[] = [];
  for (const [si, s] of scenes.entries()) {
    const model = await loadModel(a.model);
    const t1 = seconds();
    const target = v.hasMasks ? s.ref.target : withoutMasks(s.ref.target);
    const job = await preparePersonalizeJob(runner, model, { target, concepts: s.ref.concepts, regularisation: s.reg, seed: a.seed, steps: a.steps, config: { terms: v.terms, learningRate: a.lr, attentionLossWeight: a.lambda, maskAttentionWeight: a.maskAttention, subsetIsolation: v.isolation ?? false, useMasks: v.hasMasks, unionSampling: v.hasMasks, mapLayers: v.mapLayers, frozenMapKeys: v.frozenMapKeys, kvLora: v.kvLora }, rowInit: v.rowInit });
    let last = NaN;
    // the maps calibration acts on, processed alike for every variant (DISENDIFF_TERMS), five times over the run
    const probe = await job.attentionProbe(DISENDIFF_TERMS);
    const curve: (CalibrationReadout & { step: number })[] = [];
    const masks = s.ref.rendered.masks;
    const t2 = seconds();
    const r = await personalize({
      ...job, accumulation: job.config.gradAccumulation, checkpointEvery: a.steps, attentionEvery: Math.max(1, Math.floor(a.steps / 5)), probeAttention: probe.probe,
      onProgress: (e) => {
        last = e.losses.total ?? NaN;
        if (e.attention) curve.push({ step: e.step, ...calibrationReadout(e.attention as AttentionSnapshot, masks, s.ref.rendered.size) });
      },
    });
    loopSeconds += seconds() - t2;
    loopSteps += r.step;
    await probe.dispose();
    await job.dispose();
    readouts.push(curve);
    trainSeconds += seconds() - t1;
    losses.push(last);
    const pack = packFromParams({ params: r.params, baseUnet: model.unet.weights, concepts: s.ref.concepts, metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: model.name, hash }, createdAt: '2026-11-27T00:00:00Z', settings: { steps: r.step, seed: a.seed } }, kvLora: job.config.kvLora });
    packBytes.push([...encodePack(pack).values()].reduce((n, b) => n + b.length, 0));
    const pipe = new Txt2ImgPipeline(runner, applyPack(await loadModel(a.model), pack, hash));
    const shapes = s.ref.scene.objects.map((o) => o.shape);
    const sheet: Tile[][] = [[{ size: s.ref.rendered.size, rgba: s.ref.rendered.rgba }]];
    // prompts in the caption grammar training used (job.captions): "a large <c1> star on a grey background" for the default model
    const prompts = [...s.ref.concepts.map((_, i) => ({ text: targetCaption(s.ref.concepts, '', s.ref.concepts.map((_c, k) => k === i), job.captions), concept: i as number | undefined })), { text: targetCaption(s.ref.concepts, '', undefined, job.captions), concept: undefined }];
    for (const p of prompts) {
      const out = await pipe.generate({ prompt: p.text, seed: 1000, batch: a.images, steps: a.genSteps, sampler: 'DDIM', guidanceScale: a.cfg, preview: 'none' });
      sheet.push([]);
      for (let b = 0; b < a.images; b++) {
        const img = rgbaImage(out.rgb, out.width, b);
        sheet[sheet.length - 1]?.push(img);
        const f = await figures(w, img, s, p.concept === undefined ? shapes : [shapes[p.concept] as ShapeClass]);
        if (p.concept === undefined) combined.push({ scene: si, refSimilarity: f.refSimilarity, textAlignment: f.textAlignment });
        else single.push({ scene: si, concept: p.concept, ...f, pixels: { concept: p.concept, shares: pixelShares(s.palette, img.rgba, shapes.length) } });
      }
    }
    await pipe.dispose();
    if (a.save) {
      await mkdir(a.save, { recursive: true });
      await writeFile(join(a.save, `${v.key}-scene${a.first + si}.png`), await contactSheet(sheet));
    }
  }
  const appearances = scenes.map((s) => s.appearances);
  const scores = scoreDisentanglement(appearances, single, combined);
  // per scene, so a setting chosen on some scenes can be checked on the others
  const perScene = scenes.map((_, si) => {
    const one = scoreDisentanglement(appearances, single.filter((i) => i.scene === si), combined.filter((i) => i.scene === si));
    return { scene: a.first + si, calibration: readouts[si]?.map(roundReadout), imageAlignment: round(one.imageAlignment.single), combined: round(one.imageAlignment.combined), leakage: [round(one.leakage.similarity), round(one.leakage.attribute)], own: [round(one.own.similarity), round(one.own.attribute)], noObject: single.filter((i) => i.scene === si && i.detected === 0).length, pixel: roundPixels(pixelFigures(single.filter((i) => i.scene === si).map((i) => i.pixels))) };
  });
  const finals = readouts.flatMap((c) => (c.length ? [c[c.length - 1] as CalibrationReadout] : []));
  const calibration = finals.length ? roundReadout(Object.fromEntries((['modifierOwn', 'modifierOther', 'binding', 'classOwn', 'classOverlap'] as const).map((k) => [k, meanOf(finals.map((f) => f[k]))])) as CalibrationReadout) : null;
  return { variant: v.name, terms: v.terms, calibrationAtEnd: calibration, lambda: v.terms.bind || v.terms.separate ? a.lambda : null, maskAttentionWeight: v.terms.maskAttention ? a.maskAttention : null, ...roundScores(scores), pixel: roundPixels(pixelFigures(single.map((i) => i.pixels))), singleImagesWithNoObject: single.filter((i) => i.detected === 0).length, perScene, finalLossPerScene: losses.map((l) => round(l, 5)), kvLora: v.kvLora ?? null, packBytes: meanOf(packBytes), stepSeconds: round(loopSeconds / Math.max(1, loopSteps)), trainSeconds: round(trainSeconds, 1), totalSeconds: round(seconds() - t0, 1) };
}

function roundReadout<T extends CalibrationReadout>(c: T): T {
  return Object.fromEntries(Object.entries(c).map(([k, x]) => [k, k === 'step' ? x : round(x)])) as T;
}

function roundPixels(f: ReturnType<typeof pixelFigures>) {
  return { leakage: round(f.leakage), own: round(f.own), empty: f.empty };
}

function roundScores(s: ReturnType<typeof scoreDisentanglement>) {
  return {
    imageAlignment: { perConcept: s.imageAlignment.perConcept.map((x) => round(x)), single: round(s.imageAlignment.single), combined: round(s.imageAlignment.combined) },
    textAlignment: { single: round(s.textAlignment.single), combined: round(s.textAlignment.combined) },
    leakage: { similarity: round(s.leakage.similarity), attribute: round(s.leakage.attribute) },
    ownAppearance: { similarity: round(s.own.similarity), attribute: round(s.own.attribute) },
    images: s.images,
  };
}

/** The scene's references and its regularisation images (base model, class prompt, cached in memory). */
async function prepareScene(runner: Runner, w: World, index: number, hash: string, a: Args): Promise<SceneRefs> {
  const model = await loadModel(a.model);
  const size = modelResolution(model);
  const { spec, ref, reg } = await benchScene(runner, model, index, { seed: a.seed, count: a.regCount, steps: a.regSteps, hash });
  const control = controlAppearance(spec);
  const controls = ref.scene.objects.map((_, k) => {
    const objects = ref.scene.objects.map((o, j) => (j === k ? { ...o, ...control } : o));
    return { size, rgba: renderScene({ ...ref.scene, objects }, size, 3).rgba };
  });
  const masks = ref.rendered.masks;
  const refEmbeddings = await w.ev.embed(masks.map(() => ({ size, rgba: ref.rendered.rgba })), masks);
  const controlEmbeddings = await w.ev.embed(controls, masks);
  return { ref, refEmbeddings, controlEmbeddings, appearances: spec.map((o) => ({ color: o.color, pattern: o.pattern })), reg, palette: referencePalette(ref.rendered.rgba, ref.rendered.masks) };
}

function parse(): { a: Args; json: boolean } {
  const { values: v } = parseArgs({
    options: {
      first: { type: 'string', default: '0' }, scenes: { type: 'string', default: String(MEASURED.scenes) }, steps: { type: 'string', default: String(MEASURED.steps) }, smoke: { type: 'boolean', default: false }, lr: { type: 'string', default: String(DEFAULT_MODEL_PERSONALIZATION.learningRate) }, images: { type: 'string', default: '4' },
      'gen-steps': { type: 'string', default: '20' }, cfg: { type: 'string', default: '4' }, 'reg-count': { type: 'string', default: '8' }, 'reg-steps': { type: 'string', default: '20' },
      lambda: { type: 'string', default: String(DEFAULT_MODEL_PERSONALIZATION.attentionLossWeight) }, 'mask-attention': { type: 'string', default: String(DISENDIFF_DEFAULTS.maskAttentionWeight) }, variants: { type: 'string', default: DEFAULT_VARIANTS.join(',') },
      threads: { type: 'string', default: '2' }, seed: { type: 'string', default: '1' }, model: { type: 'string', default: DEFAULT_MODEL }, json: { type: 'boolean', default: false },
      save: { type: 'string', default: '' },
    },
  });
  const int = (name: keyof typeof v, min = 1): number => {
    const n = Number(v[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${v[name]}"`);
    return n;
  };
  const lr = Number(v.lr);
  const cfg = Number(v.cfg);
  const lambda = Number(v.lambda);
  const maskAttention = Number(v['mask-attention']);
  if (!(lr > 0) || !(cfg >= 0) || !(lambda >= 0) || !(maskAttention >= 0)) throw new Error(`--lr must be > 0, --cfg, --lambda and --mask-attention ≥ 0, got ${v.lr}, ${v.cfg}, ${v.lambda} and ${v['mask-attention']}`);
  const variants = String(v.variants).split(',').map((k) => k.trim());
  const unknown = variants.filter((k) => !VARIANTS.some((x) => x.key === k));
  if (unknown.length || !variants.length) throw new Error(`--variants takes a comma list of ${VARIANTS.map((x) => x.key).join(', ')}; got "${v.variants}"`);
  // --smoke: 2 scenes × 30 steps, a check that the bench runs; its figures are no claim (the report says so)
  if (v.smoke) Object.assign(v, { scenes: '2', steps: '30' });
  return { a: { smoke: v.smoke as boolean, first: int('first', 0), scenes: int('scenes'), steps: int('steps'), lr, lambda, maskAttention, variants, images: int('images'), genSteps: int('gen-steps'), cfg, regCount: int('reg-count'), regSteps: int('reg-steps'), threads: int('threads'), seed: int('seed', 0), model: v.model as string, save: v.save as string }, json: v.json as boolean };
}

async function main(): Promise<void> {
  const { a, json } = parse();
  if (a.smoke || a.scenes !== MEASURED.scenes || a.steps !== MEASURED.steps) process.stderr.write(`bench:disentangle: ${a.scenes} scenes × ${a.steps} steps is a smoke or partial run; the README's figures are ${MEASURED.scenes} × ${MEASURED.steps}\n`);
  const t0 = seconds();
  const runner = createNodeRunner({ threads: a.threads });
  const hash = await baseModelHash(createNodeFileSource(a.model));
  const w = await loadWorldEvaluator(runner);
  const scenes: SceneRefs[] = [];
  for (let i = a.first; i < a.first + a.scenes; i++) scenes.push(await prepareScene(runner, w, i, hash, a));
  const variants = [];
  for (const v of VARIANTS.filter((x) => a.variants.includes(x.key))) {
    variants.push(await runVariant(runner, w, v, scenes, hash, a));
    process.stderr.write(`bench:disentangle: ${v.name} done (${round(seconds() - t0, 0)} s)\n`);
  }
  await w.ev.dispose();
  const report = {
    bench: 'disentangle', ...(a.smoke || a.scenes !== MEASURED.scenes || a.steps !== MEASURED.steps ? { note: `smoke or partial run (${a.scenes} scenes × ${a.steps} steps): the README's figures are ${MEASURED.scenes} scenes × ${MEASURED.steps} steps; do not compare` } : {}), model: a.model, backend: `onnxruntime-node cpu (${a.threads} threads)`,
    settings: { ...a, batch: '2 × accumulation 4 (DISENDIFF_DEFAULTS)', sampler: 'DDIM', seedOfGeneration: 1000 },
    scenes: scenes.map((s) => ({ concepts: s.ref.concepts.map((c, k) => `${c.token}=${c.classWord}: ${s.appearances[k]?.color} ${s.appearances[k]?.pattern}`), control: controlAppearance(HELD_OUT_SCENES[(a.first + scenes.indexOf(s)) % HELD_OUT_SCENES.length] as (typeof HELD_OUT_SCENES)[number]) })),
    definitions: 'see the header of tools/bench/disentangle.ts and src/train/loop/disentanglement.ts; leakage > 0 means concept j shows up when only concept i is prompted; ownAppearance is the same figure for the prompted concept itself',
    variants, totalSeconds: round(seconds() - t0, 1),
    machine: { cpus: cpus().length, loadavg1m: round(loadavg()[0] ?? 0, 2), node: process.version },
  };
  console.log(json ? JSON.stringify(report, null, 2) : variants.map((v) => `${v.variant}: image ${v.imageAlignment.single} text ${v.textAlignment.single} leakage ${v.leakage.similarity}/${v.leakage.attribute} own ${v.ownAppearance.similarity}/${v.ownAppearance.attribute}`).join('\n'));
}

main().catch((e: unknown) => {
  console.error(`bench:disentangle: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exit(1);
});
