// EnginePort + TokenizerPort of the browser studio: picks the model folder (public/models/default/, else the
// random-weight demo folder), drives generation.worker.ts and training.worker.ts, applies each trained
// concept pack to generation, and keeps the user's LoRA / embedding files (NetworksPort). Main thread only; the store reaches it only through EnginePort. Reference: state/ports.ts.
import { readTokenizer } from '../diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../diffusion/loaders/fileSource';
import type { FileSource } from '../diffusion/loaders/fileSource';
import type { Tokenizer } from '../diffusion/text/types';
import { fetchModelFile } from './fetchModelFile';
import { tokenizerPort } from './tokenizerPort';
import { checkPacks } from './packImport';
import type { BackendInfo, WebRuntimeOptions } from '../runtime/index';
import { SAMPLER_NAMES } from '../diffusion/index';
import { regularisationPlan } from '../state/runPlan';
import type { EnginePort, GenerateInit, GenerateRequest, TokenizerPort, TrainPause, TrainProgress, TrainRequest, TrainResult } from '../state/ports';
import { rgbFromBytes } from '../train/data/image';
import type { PlanarImage } from '../train/data/image';
import { DISENDIFF_TERMS, MASK_GUIDED_TERMS } from '../train/config';
import { planFromProfile, planRecompute } from '../train/index';
import type { RecomputeGranularity } from '../train/index';
import { DEFAULT_LORA_RANK, exportTitle } from './toolExport';
import type { FromGenerationWorker, ToGenerationWorker, TokenAttention } from './generation.worker';
import type { FromTrainingWorker, StartTraining } from './protocol';
import { openGenerationLink } from './generationLink';
import type { GenerationLink, MemoryProfileAnswer } from './generationLink';
import { packTokens, restorePacks, restoreRunPack, savePacks, saveRunPack } from './packStore';
import { networksPort, restoreNetworkFiles } from './networkPort';
import type { NetworkMessage } from './networkPort';
import { attentionEvery, createSampler, snapshotMaps } from './trainingFeedback';
import type { Sampler } from './trainingFeedback';

/** The files of a diffusers SD 1.x folder with a CLIP tokenizer (a folder may list its own in files.json). */
export const FOLDER_FILES = [
  'model_index.json', 'scheduler/scheduler_config.json', 'text_encoder/config.json', 'text_encoder/model.safetensors',
  'tokenizer/vocab.json', 'tokenizer/merges.txt', 'tokenizer/tokenizer_config.json', 'unet/config.json',
  'unet/diffusion_pytorch_model.safetensors', 'vae/config.json', 'vae/diffusion_pytorch_model.safetensors',
];

/** Where the model comes from: URLs under `baseUrl`, or (a model the user picked) `bytes` by path, `baseUrl` then only names it. */
export type ModelChoice = { baseUrl: string; files: string[]; isDemo: boolean; label: string; bytes?: Record<string, Uint8Array> };

export const DEMO_LABEL = 'demo model (random weights, for tests: it draws noise)';

async function folderFiles(baseUrl: string): Promise<string[] | undefined> {
  const index = await fetch(`${baseUrl}/model_index.json`).catch(() => undefined);
  if (!index?.ok || !(index.headers.get('content-type') ?? '').includes('json')) return undefined;
  const listed = await fetch(`${baseUrl}/files.json`).catch(() => undefined);
  if (listed?.ok && (listed.headers.get('content-type') ?? '').includes('json')) return (await listed.json()) as string[];
  return FOLDER_FILES;
}

/** public/models/default/ when it has a model_index.json, else public/models/demo/. */
export async function chooseModel(root = `${import.meta.env.BASE_URL}models`, prefer: 'default' | 'demo' = 'default'): Promise<ModelChoice> {
  const base = `${root.replace(/\/$/, '')}/default`;
  const files = prefer === 'demo' ? undefined : await folderFiles(base);
  if (files) return { baseUrl: base, files, isDemo: false, label: 'default model (public/models/default)' };
  return { baseUrl: `${root.replace(/\/$/, '')}/demo`, files: FOLDER_FILES, isDemo: true, label: DEMO_LABEL };
}

function urlSource(c: ModelChoice): FileSource {
  if (c.bytes) return new MemoryFileSource(new Map(Object.entries(c.bytes)), c.label);
  return { label: c.baseUrl, list: async () => [...c.files], read: (p) => fetchModelFile(`${c.baseUrl}/${p}`) };
}

async function decodeCrop(req: TrainRequest): Promise<PlanarImage> {
  const size = req.maskResolution;
  const blob = await (await fetch(req.image.dataUrl)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const { x, y, size: s } = req.image.crop;
  ctx.drawImage(bitmap, x, y, s, s, 0, 0, size, size);
  const rgb = rgbFromBytes(ctx.getImageData(0, 0, size, size).data, size, size, 4);
  const n = size * size;
  const data = new Float32Array((3 + req.concepts.length) * n);
  data.set(rgb.data);
  // masks are 0–255 (soft-brush edges between): training takes them as 0..1 weights (train/loop/job.ts PersonalizeRequest.target)
  req.concepts.forEach((c, i) => data.set(Float32Array.from(c.mask, (v) => v / 255), (3 + i) * n));
  return { width: size, height: size, channels: 3 + req.concepts.length, data };
}

function toDataUrl(png: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(new Blob([png as BlobPart], { type: 'image/png' }));
  });
}

export type StudioEngine = EnginePort & Required<Pick<EnginePort, 'useRun' | 'packsInUse' | 'importPacks'>> & {
  readonly backend: BackendInfo;
  readonly isDemo: boolean;
  /** the image size the model was trained at (px), the natural generation size */
  readonly nativeSize: number;
  /** the loaded model's tokenizer (learned tokens are added after training) */
  readonly tokenizer: TokenizerPort;
  /** attention maps of the latest generation: [image][concept token] */
  readonly lastAttention: readonly (readonly TokenAttention[])[];
  /** tokens of the applied packs (restored from IndexedDB or trained in this session) */
  readonly learnedTokens: readonly string[];
  /** applied concept packs: pack folder files (pack.json, weights.safetensors) */
  readonly packs: readonly Record<string, Uint8Array>[];
  /** ecosystem export files of the latest training run written at its end (embeddings, K/V diff, usage) */
  readonly lastExport: Record<string, Uint8Array>;
  /** the latest run's files for other tools with the kohya LoRA (rank DEFAULT_LORA_RANK, truncated SVD) and diffusers'
   *  Custom Diffusion file, written now in the generation worker (seconds for SD 1.5); lastExport when no run yet */
  exportForTools(): Promise<Record<string, Uint8Array>>;
  /** the loaded model's memory profile for the training panel's memory plan, or why it has none (comes after loading) */
  readonly memoryProfile: Promise<MemoryProfileAnswer>;
  /** what the model draws, from the first paragraph of its MODEL_CARD.md (null when it has none) */
  readonly description: string | null;
  /** ends the generation worker (when another model replaces this one) */
  dispose(): void;
};

/** The edit's source square scaled to width × height, as RGBA bytes (OffscreenCanvas, as decodeCrop). */
async function decodeInit(init: GenerateInit, width: number, height: number): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(await (await fetch(init.dataUrl)).blob());
  const ctx = new OffscreenCanvas(width, height).getContext('2d') as OffscreenCanvasRenderingContext2D;
  const { x, y, size } = init.crop;
  ctx.drawImage(bitmap, x, y, size, size, 0, 0, width, height);
  return new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer);
}

/** The generation worker's request for a studio GenerateRequest (an edit's init decoded to pixels). */
async function pipelineRequest(req: GenerateRequest): Promise<Extract<ToGenerationWorker, { type: 'generate' }>['request']> {
  const base = { prompt: req.expandedPrompt, negativePrompt: req.negativePrompt, seed: req.seed, steps: req.steps, guidanceScale: req.guidance, sampler: req.sampler, batch: req.batch, width: req.width, height: req.height };
  if (!req.init) return base;
  const { mask, strength, maskBlur, invertMask, onlyMasked } = req.init;
  const data = await decodeInit(req.init, req.width, req.height);
  const only = onlyMasked ? { onlyMasked: true, maskedPadding: onlyMasked.padding } : {};
  return { ...base, init: { data, width: req.width, height: req.height, channels: 4, ...(mask ? { mask } : {}), strength, maskBlur, invertMask, ...only } };
}

/** The model's tokenizer for the page: tokenizer/ of a folder or export, else vocab.json (+ merges.txt) at the top (a single-file checkpoint). */
export async function studioTokenizer(c: ModelChoice): Promise<Tokenizer> {
  const src = urlSource(c);
  const files = new Set(c.files);
  if (files.has('tokenizer/vocab.json') || !files.has('vocab.json')) return readTokenizer(src, files);
  const view: FileSource = { label: src.label, list: src.list.bind(src), read: (p) => src.read(p.replace(/^tokenizer\//, '')) };
  return readTokenizer(view, new Set(c.files.map((f) => `tokenizer/${f}`)));
}

/** Loads the model in the generation worker and returns the engine and tokenizer ports. */
type Packs = Record<string, Uint8Array>[];
type EngineState = { lastAttention: TokenAttention[][]; packs: Packs; lastExport: Record<string, Uint8Array>; /** the latest run's pack files and export title (for exportForTools) */ lastRun?: { packFiles: Record<string, Uint8Array>; title: string }; nextId: number; sampling?: Sampler; /** the LoRA / embedding files the worker holds, by id (replayed after a restart) */ networks: Map<string, NetworkMessage> };
type EngineContext = { choice: ModelChoice; runtime: WebRuntimeOptions; link: GenerationLink; state: EngineState; learned: Set<string>; usePacks(packs: Packs): Promise<void> };

/** `packs` without those teaching any token of `files`, then `files` (a retrained token replaces its older pack). */
function withPack(packs: Packs, files: Record<string, Uint8Array>): Packs {
  const tokens = new Set(packTokens(files));
  return [...packs.filter((p) => !packTokens(p).some((t) => tokens.has(t))), files];
}

function generateWith(ctx: EngineContext): EnginePort['generate'] {
  const { link, state } = ctx;
  return async (req, onProgress, signal) => {
    const id = state.nextId++;
    link.on(id, onProgress);
    const cancel = () => link.restart(`gen${id}`, state.packs, [...state.networks.values()]);
    signal.addEventListener('abort', cancel);
    const conceptTokens = [...ctx.learned].filter((t) => req.prompt.includes(t));
    try {
      await state.sampling?.idle();
      const r = (await link.call(`gen${id}`, { type: 'generate', id, request: await pipelineRequest(req), conceptTokens, ...(req.networks ? { networks: [...req.networks] } : {}) })) as Extract<FromGenerationWorker, { type: 'result' }>;
      state.lastAttention = r.attention;
      return Promise.all(r.pngs.map(async (png, i) => ({ dataUrl: await toDataUrl(png), seed: r.seeds[i] ?? req.seed, width: r.width, height: r.height, attention: r.attention[i] ?? [], ...(r.infotexts?.[i] ? { infotext: r.infotexts[i] } : {}) })));
    } finally {
      link.off(id);
      signal.removeEventListener('abort', cancel);
    }
  };
}

/** Samples one image with the packs in use plus a training snapshot pack. */
async function sampleWith(ctx: EngineContext, files: Record<string, Uint8Array>, req: GenerateRequest): Promise<string> {
  await ctx.link.call('packsApplied', { type: 'packs', packs: withPack(ctx.state.packs, files) });
  const id = ctx.state.nextId++;
  const r = (await ctx.link.call(`gen${id}`, { type: 'generate', id, request: await pipelineRequest(req), conceptTokens: [] })) as Extract<FromGenerationWorker, { type: 'result' }>;
  return toDataUrl(r.pngs[0] as Uint8Array);
}

function trainWith(ctx: EngineContext): EnginePort['train'] {
  const { state } = ctx;
  return async (req, onProgress, signal, pause) => {
    const sampler = req.preview ? createSampler((files) => sampleWith(ctx, files, req.preview!.request)) : undefined;
    state.sampling = sampler;
    let isApplied = false;
    try {
      const recompute = plannedRecompute(await profileOrNone(ctx.link), req.settings.batchSize, req.settings.memoryBudgetGb);
      return await runTraining(ctx.choice, ctx.runtime, req, { onProgress, signal, pause, sampler, recompute }, async (done) => {
        await sampler?.idle();
        state.lastExport = done.exportFiles;
        state.lastRun = { packFiles: done.packFiles, title: exportTitle(req.concepts) };
        await ctx.usePacks(withPack(state.packs, done.packFiles));
        isApplied = true;
        await savePacks(ctx.choice.baseUrl, state.packs).catch(() => undefined);
        await saveRunPack(ctx.choice.baseUrl, req.runId, done.packFiles).catch(() => undefined);
      });
    } finally {
      state.sampling = undefined;
      if (sampler?.wasUsed && !isApplied) await sampler.idle().then(() => ctx.usePacks(state.packs)).catch(() => undefined);
    }
  };
}

/** The link's memory profile, or undefined when it has not come within a few seconds (a link that was never asked
 *  for one: the run then trains without recomputation rather than waiting). */
function profileOrNone(link: GenerationLink): Promise<MemoryProfileAnswer | undefined> {
  return Promise.race([link.memoryProfile.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000))]);
}

/** The recomputation the memory plan picks for a run (the loaded model's profile at the run's batch and the
 *  settings' GPU memory budget, default 8 GiB; train/memory planRecompute); none without a profile or an entry for that batch. Pure. */
export function plannedRecompute(answer: MemoryProfileAnswer | undefined, batch: number, budgetGb?: number): RecomputeGranularity | undefined {
  const profile = answer?.profile;
  const budget = budgetGb === undefined ? {} : { budgetBytes: budgetGb * 2 ** 30 };
  return profile?.candidates.some((c) => c.batch === batch) ? planRecompute(planFromProfile(profile, { batch, ...budget })) : undefined;
}

/** Applies the pack a run of the history left (kept per run in IndexedDB), in place of packs teaching its tokens. */
function useRunWith(ctx: EngineContext): NonNullable<EnginePort['useRun']> {
  return async (runId) => {
    const files = await restoreRunPack(ctx.choice.baseUrl, runId);
    if (!files) throw new Error(`its concept pack is no longer in this browser's storage (IndexedDB, run ${runId})`);
    await ctx.usePacks(withPack(ctx.state.packs, files));
    await savePacks(ctx.choice.baseUrl, ctx.state.packs).catch(() => undefined);
    return packTokens(files);
  };
}

/** The first paragraph of a model card (markdown): what the model draws, in plain text; null without one. */
export function cardSummary(markdown: string): string | null {
  const para = markdown.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p && !p.startsWith('#'));
  if (!para) return null;
  return para.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '').replace(/\s+/g, ' ');
}

async function readCard(c: ModelChoice): Promise<string | null> {
  try {
    const bytes = c.bytes ? c.bytes['MODEL_CARD.md'] ?? c.bytes['README.md'] : await fetch(`${c.baseUrl}/MODEL_CARD.md`).then((r) => (r.ok && !(r.headers.get('content-type') ?? '').includes('html') ? r.arrayBuffer().then((b) => new Uint8Array(b)) : undefined));
    return bytes ? cardSummary(new TextDecoder().decode(bytes)) : null;
  } catch {
    return null;
  }
}

/** Loads the model in the generation worker and returns the engine and tokenizer ports. */
export async function createStudioEngine(choice: ModelChoice, asked: WebRuntimeOptions & { shouldMeasure?: boolean } = {}): Promise<StudioEngine> {
  const { shouldMeasure, ...requested } = asked;
  const link = await openGenerationLink({ type: 'load', baseUrl: choice.baseUrl, files: choice.files, runtime: requested, bytes: choice.bytes, shouldMeasure });
  // training runs on the EP generation chose (by measurement, or as asked)
  const runtime: WebRuntimeOptions = { ...requested, prefer: link.loaded.backend.ep === 'webgpu' ? 'webgpu' : 'wasm' };
  const tok = await studioTokenizer(choice);
  const state: EngineState = { lastAttention: [], packs: [], lastExport: {}, nextId: 1, networks: new Map() };
  const learned = new Set<string>();
  const usePacks = async (packs: Packs): Promise<void> => {
    await link.call('packsApplied', { type: 'packs', packs });
    state.packs = packs;
    for (const t of packs.flatMap(packTokens)) {
      learned.add(t);
      if (tok.tokenToId(t) === undefined) tok.addTokens([t]);
    }
  };
  const restored = await restorePacks(choice.baseUrl).catch(() => []);
  if (restored.length) await usePacks(restored).catch(() => undefined);
  const ctx: EngineContext = { choice, runtime, link, state, learned, usePacks };
  const restoredNetworks = await restoreNetworkFiles(link, state.networks, choice.baseUrl);
  const description = await readCard(choice);
  return {
    // "SD 1.5 inpainting" beside the name when the UNet is an inpainting one (loaders/modelKind.ts)
    modelName: `${choice.isDemo ? DEMO_LABEL : choice.label}${link.loaded.kind ? ` (${link.loaded.kind})` : ''}`,
    samplers: SAMPLER_NAMES,
    generate: generateWith(ctx),
    train: trainWith(ctx),
    useRun: useRunWith(ctx),
    networks: networksPort(link, state.networks, choice.baseUrl, restoredNetworks),
    packsInUse: async () => state.packs,
    importPacks: async (packs, label) => {
      const tokens = await checkPacks(packs, label);
      await usePacks(packs.reduce((all, files) => withPack(all, { ...files }), state.packs));
      await savePacks(choice.baseUrl, state.packs).catch(() => undefined);
      return tokens.flat();
    },
    backend: link.loaded.backend,
    isDemo: choice.isDemo,
    nativeSize: link.loaded.nativeSize,
    memoryProfile: link.memoryProfile,
    tokenizer: tokenizerPort(tok),
    get lastAttention() { return state.lastAttention; },
    get packs() { return state.packs; },
    get learnedTokens() { return [...learned]; },
    get lastExport() { return state.lastExport; },
    exportForTools: async () => {
      if (!state.lastRun) return state.lastExport;
      const r = (await link.call('exported', { type: 'export', packFiles: state.lastRun.packFiles, title: state.lastRun.title, loraRank: DEFAULT_LORA_RANK })) as Extract<FromGenerationWorker, { type: 'exported' }>;
      return r.files;
    },
    description,
    dispose: () => link.dispose(),
  };
}

type Done = Extract<FromTrainingWorker, { type: 'done' }>;

type TrainCallbacks = { onProgress: (p: TrainProgress) => void; signal: AbortSignal; pause?: TrainPause; sampler?: Sampler; recompute?: RecomputeGranularity };

/** The studio's training settings as DisenDiff config overrides: mask guidance off is the released method (masks
 *  ignored, src/train/config.ts DISENDIFF_RELEASED); union sampling needs mask guidance, isolation needs union sampling. */
export function trainingConfig(s: TrainRequest['settings']): StartTraining['config'] {
  const union = s.maskGuidance && s.unionSampling;
  return {
    learningRate: s.learningRate, batchSize: s.batchSize, gradAccumulation: s.gradAccumulation, attentionLossWeight: s.attentionLossWeight,
    useMasks: s.maskGuidance, terms: s.maskGuidance ? MASK_GUIDED_TERMS : DISENDIFF_TERMS, unionSampling: union, subsetIsolation: union && s.isolateConcepts,
    ...(s.kvLoraRank ? { kvLora: { rank: s.kvLoraRank } } : {}),
  };
}

/** Steps between checkpoints: every step for short runs, about 50 checkpoints in a long one (each writes the K/V
 *  weights and Adam moments to IndexedDB: about 230 MB for SD 1.5's 16 cross-attention layers). */
export function checkpointEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / 50));
}

function startMessage(choice: ModelChoice, runtime: WebRuntimeOptions, req: TrainRequest, target: PlanarImage, recompute?: RecomputeGranularity): StartTraining {
  const s = req.settings;
  const reg = regularisationPlan(s);
  return {
    type: 'start', runId: req.runId, model: choice.bytes ? { kind: 'files', label: choice.label, files: choice.bytes } : { kind: 'url', baseUrl: choice.baseUrl, files: choice.files },
    target, concepts: req.concepts.map((c) => ({ token: c.token, classWord: c.classWord })), seed: s.seed, steps: s.steps,
    regularisationCount: reg.count, regularisationSteps: reg.samplerSteps,
    config: { ...trainingConfig(s), ...(recompute ? { recompute } : {}) }, rowInit: s.modifierInit,
    isResume: req.isResume === true, checkpointEvery: checkpointEvery(s.steps), exportTitle: exportTitle(req.concepts), runtime, attentionEvery: attentionEvery(s.steps), snapshotEvery: req.preview?.every ?? 0,
  };
}


async function runTraining(choice: ModelChoice, runtime: WebRuntimeOptions, req: TrainRequest, cb: TrainCallbacks, onDone: (d: Done) => Promise<void>): Promise<TrainResult> {
  const start = startMessage(choice, runtime, req, await decodeCrop(req), cb.recompute);
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
  const unsubscribe = cb.pause?.subscribe((isPaused) => worker.postMessage({ type: isPaused ? 'pause' : 'resume' }));
  try {
    const done = await new Promise<Done>((resolve, reject) => {
      cb.signal.addEventListener('abort', () => worker.postMessage({ type: 'cancel' }));
      let last: TrainProgress = { step: 0, totalSteps: req.settings.steps, losses: {} };
      worker.onmessage = (e: MessageEvent<FromTrainingWorker>) => {
        const m = e.data;
        if (m.type === 'progress') cb.onProgress((last = { step: m.event.step, totalSteps: m.event.totalSteps, losses: m.event.losses, etaSeconds: m.event.etaSeconds, attention: snapshotMaps(m.event.attention) }));
        else if (m.type === 'status' && m.phase !== 'training') cb.onProgress({ ...last, attention: undefined, phase: `${m.phase}: ${m.detail}`, stage: m.phase });
        else if (m.type === 'regularisation') cb.onProgress({ ...last, attention: undefined, phase: `regularisation: image ${m.done} of ${m.total}${m.cached > 0 ? ` (${m.cached} from the cache)` : ''}`, stage: 'regularisation', regularisation: { done: m.done, total: m.total, cached: m.cached } });
        else if (m.type === 'checkpoint') cb.onProgress({ ...last, attention: undefined, checkpointStep: m.step });
        else if (m.type === 'snapshot') cb.sampler?.offer(m.step, m.packFiles, (sample) => cb.onProgress({ ...last, attention: undefined, sample }));
        else if (m.type === 'done') resolve(m);
        else if (m.type === 'error') reject(new Error(`training (${m.code}): ${m.message}`));
      };
      worker.onerror = (e) => reject(new Error(`training worker failed: ${e.message}`));
      worker.postMessage(start);
      if (cb.pause?.isPaused) worker.postMessage({ type: 'pause' });
    });
    // a cancelled run keeps what it learned so far as a usable concept (its last finite state), unless no step ran
    if (done.status === 'cancelled' && done.step === 0) throw new DOMException('training cancelled', 'AbortError');
    await onDone(done);
    const usage = Object.entries(done.exportFiles).find(([name]) => name.endsWith('_usage.txt'))?.[1];
    return { learnedTokens: req.concepts.map((c) => c.token), trainedOn: done.trainedOn, ...(usage ? { exportUsage: new TextDecoder().decode(usage) } : {}), ...(done.status === 'cancelled' ? { stoppedAt: { step: done.step, totalSteps: req.settings.steps } } : {}) };
  } finally {
    unsubscribe?.();
    worker.terminate();
  }
}
