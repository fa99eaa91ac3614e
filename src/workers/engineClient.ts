// EnginePort of the browser studio over its two workers: loads the chosen model (modelChoice.ts) in the generation
// worker (generationLink.ts), generates with the packs and LoRA / embedding files in use, runs training
// (trainingStart.ts, trainingRun.ts) and applies each trained concept pack to generation, keeping packs in IndexedDB
// (packStore.ts). Main thread only; the store reaches it only through EnginePort. Reference: state/ports.ts.
import { SAMPLER_NAMES } from '../diffusion/index';
import type { BackendInfo, WebRuntimeOptions } from '../runtime/index';
import type { EnginePort, GenerateRequest, TokenizerPort } from '../state/index';
import { initPixels, pngDataUrl, trainingTarget } from './canvasImages';
import type { FromGenerationWorker, ToGenerationWorker, TokenAttention } from './protocol';
import { openGenerationLink } from './generationLink';
import type { GenerationLink, MemoryProfileAnswer } from './generationLink';
import { DEMO_LABEL, readCard, studioTokenizer } from './modelChoice';
import type { ModelChoice } from './modelChoice';
import { networksPort, restoreNetworkFiles } from './networkPort';
import type { NetworkMessage } from './networkPort';
import { checkPacks } from './packImport';
import { packTokens, restorePacks, restoreRunPack, savePacks, saveRunPack } from './packStore';
import { tokenizerPort } from './tokenizerPort';
import { createSampler } from './trainingFeedback';
import type { Sampler } from './trainingFeedback';
import { runTraining } from './trainingRun';
import { loweredResolution, plannedRun, startMessage } from './trainingStart';
import { DEFAULT_LORA_RANK, exportTitle } from './toolExport';

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

/** The generation worker's request for a studio GenerateRequest (an edit's init decoded to pixels). */
async function pipelineRequest(req: GenerateRequest): Promise<Extract<ToGenerationWorker, { type: 'generate' }>['request']> {
  const base = { prompt: req.expandedPrompt, negativePrompt: req.negativePrompt, seed: req.seed, steps: req.steps, guidanceScale: req.guidance, sampler: req.sampler, batch: req.batch, width: req.width, height: req.height };
  if (!req.init) return base;
  const { mask, strength, maskBlur, invertMask, onlyMasked } = req.init;
  const data = await initPixels(req.init, req.width, req.height);
  const only = onlyMasked ? { onlyMasked: true, maskedPadding: onlyMasked.padding } : {};
  return { ...base, init: { data, width: req.width, height: req.height, channels: 4, ...(mask ? { mask } : {}), strength, maskBlur, invertMask, ...only } };
}

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
      return Promise.all(r.pngs.map(async (png, i) => ({ dataUrl: await pngDataUrl(png), seed: r.seeds[i] ?? req.seed, width: r.width, height: r.height, attention: r.attention[i] ?? [], ...(r.infotexts?.[i] ? { infotext: r.infotexts[i] } : {}) })));
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
  return pngDataUrl(r.pngs[0] as Uint8Array);
}

function trainWith(ctx: EngineContext): EnginePort['train'] {
  const { state } = ctx;
  return async (req, onProgress, signal, pause) => {
    const sampler = req.preview ? createSampler((files) => sampleWith(ctx, files, req.preview!.request)) : undefined;
    state.sampling = sampler;
    let isApplied = false;
    try {
      // the memory plan's recomputation, and a lower resolution when only that fits the budget (never out of memory mid-run)
      const run = plannedRun(await profileOrNone(ctx.link), req.settings.batchSize, req.settings.memoryBudgetGb);
      const start = startMessage(ctx.choice, ctx.runtime, req, await trainingTarget(req), run?.recompute, loweredResolution(run, ctx.link.loaded.nativeSize));
      return await runTraining(start, req, { onProgress, signal, pause, sampler }, async (done) => {
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
    // "SD 1.5 inpainting" beside the name when the UNet is an inpainting one (diffusion/loaders/modelKind.ts)
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
