// Web Worker entry of text-to-image generation: loads a diffusers folder from URLs, applies trained concept packs and
// the user's LoRA / embedding files (networkSet.ts: the model is rebuilt only when the set a request uses changes),
// runs Txt2ImgPipeline on initRuntime (WebGPU first, wasm fallback) with per-step previews and cancellation, and
// posts PNG bytes (A1111 `parameters` chunk) plus per-concept-token attention maps. Never touches the DOM.
// Load with `new Worker(new URL('./generation.worker.ts', import.meta.url), { type: 'module' })`. Reference: src/diffusion/pipeline.
import type { Runner } from '../runtime/index';
import { detectBackend, initRuntime } from '../runtime/index';
import { measureBackends } from './backendProbe';
import { imagePng, infotextOf, loadAnyModel, MemoryFileSource, modelKindLabel, nativeImageSize, tokenMap, Txt2ImgPipeline } from '../diffusion/index';
import type { FileSource, LoadedModel, PrecisionChoice } from '../diffusion/index';
import { applyPack, loadPack } from '../train/index';
import { toolExport } from './toolExport';
import { modelMemoryProfile } from './memoryProfile';
import { fetchClipVocabulary, fetchModelFile } from './fetchModelFile';
import { postedErrorMessage } from '../lib/errors';
import type { FromGenerationWorker, ToGenerationWorker } from './protocol';
import { NetworkSet } from './networkSet';
import { answerKey } from './generationKeys';
import type { NetworkPlan } from './networkSet';

const scope = self as unknown as { postMessage(m: FromGenerationWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToGenerationWorker>) => void) | null };

const state: {
  files?: Map<string, Uint8Array>; label: string; runner?: Runner; pipe?: Txt2ImgPipeline; model?: LoadedModel; precision?: PrecisionChoice; jobs: Map<number, AbortController>;
  /** the concept packs applied, in order */
  packs: Record<string, Uint8Array>[];
  networks: NetworkSet;
  /** the network plan the pipeline was built with (key '' = none) */
  plan?: NetworkPlan;
} = { label: '', jobs: new Map(), packs: [], networks: new NetworkSet() };

async function fetchFolder(baseUrl: string, files: string[]): Promise<Map<string, Uint8Array>> {
  const base = baseUrl.replace(/\/$/, '');
  const entries = await Promise.all(files.map(async (f) => [f, await fetchModelFile(`${base}/${f}`)] as const));
  return new Map(entries);
}

function source(): FileSource {
  if (!state.files) throw new Error('generation worker: no model loaded yet; send "load" first');
  return new MemoryFileSource(state.files, state.label);
}

async function usePipeline(model: LoadedModel): Promise<void> {
  await state.pipe?.dispose();
  state.model = model;
  state.pipe = new Txt2ImgPipeline(state.runner as Runner, model, undefined, state.precision);
}

async function load(m: Extract<ToGenerationWorker, { type: 'load' }>): Promise<void> {
  state.files = m.bytes ? new Map(Object.entries(m.bytes)) : await fetchFolder(m.baseUrl, m.files);
  state.label = m.baseUrl.replace(/\/$/, '').split('/').pop() ?? m.baseUrl;
  const measured = m.shouldMeasure ? await measureBackends({ detect: () => detectBackend('auto'), runner: (ep) => initRuntime({ ...m.runtime, prefer: ep }), now: () => performance.now() }) : undefined;
  const prefer = (m.runtime?.prefer ?? 'auto') === 'auto' && measured ? measured.pick.ep : m.runtime?.prefer;
  const runner = await initRuntime({ ...m.runtime, prefer });
  const isMeasuredChoice = measured !== undefined && (m.runtime?.prefer ?? 'auto') === 'auto';
  state.runner = measured ? { ...runner, backend: { ...runner.backend, timings: measured.timings, choice: isMeasuredChoice ? 'measured' : 'requested', ...(isMeasuredChoice ? { reason: measured.pick.reason } : {}) } } : runner;
  state.precision = m.precision;
  const model = await loadAnyModel(source(), { clipVocabulary: fetchClipVocabulary });
  await usePipeline(model);
  const nativeSize = nativeImageSize(model);
  const kind = modelKindLabel(model);
  scope.postMessage({ type: 'loaded', modelName: state.label, backend: state.runner.backend, nativeSize, ...(kind ? { kind } : {}) });
  if (m.shouldProfileMemory) postMemoryProfile(model);
}

/** Sent after 'loaded' so that loading is not delayed (about 1 s for public/models/default, 0 for SD 1.5). */
function postMemoryProfile(model: LoadedModel): void {
  try {
    const latentFactor = 2 ** (model.vae.config.block_out_channels.length - 1);
    const profile = modelMemoryProfile({ name: model.name, unet: model.unet.config, text: model.textEncoder.config, latentFactor });
    scope.postMessage({ type: 'memoryProfile', profile });
  } catch (e) {
    scope.postMessage({ type: 'memoryProfile', profile: null, reason: e instanceof Error ? e.message : String(e) });
  }
}

/** Rebuilds the model from the base files with every pack applied in order (applyPack and applyEmbeddings want a
 *  fresh tokenizer), then the network plan in use; returns the packs' tokens. */
async function rebuild(plan: NetworkPlan | undefined): Promise<string[]> {
  let model = await loadAnyModel(source(), { clipVocabulary: fetchClipVocabulary });
  const tokens: string[] = [];
  for (const files of state.packs) {
    const pack = await loadPack(new MemoryFileSource(new Map(Object.entries(files)), 'concept pack'));
    model = applyPack(model, pack);
    tokens.push(...pack.concepts.map((c) => c.token));
  }
  if (plan) model = plan.apply(model);
  await usePipeline(model);
  state.plan = plan;
  return tokens;
}

async function applyPacks(packs: Record<string, Uint8Array>[]): Promise<void> {
  state.packs = packs;
  const tokens = await rebuild(state.plan);
  scope.postMessage({ type: 'packsApplied', tokens });
}

async function network(m: Extract<ToGenerationWorker, { type: 'network' }>): Promise<void> {
  if (!state.model) throw new Error('generation worker: no model loaded yet; wait for "loaded"');
  if (!m.bytes) {
    state.networks.drop(m.id);
    return scope.postMessage({ type: 'network', id: m.id });
  }
  const info = await state.networks.add(m.fileName, m.bytes, state.model);
  scope.postMessage({ type: 'network', id: info.id, info });
}

/** A run's files for other tools, with the SVD LoRA and the Custom Diffusion file (toolExport.ts; the base files, packs not applied). */
async function exportForTools(m: Extract<ToGenerationWorker, { type: 'export' }>): Promise<void> {
  const base = await loadAnyModel(source(), { clipVocabulary: fetchClipVocabulary });
  const files = await toolExport(m.packFiles, base, m.title, m.loraRank);
  scope.postMessage({ type: 'exported', files }, Object.values(files).map((b) => b.buffer as ArrayBuffer));
}

function normalised(map: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo > 0 ? hi - lo : 1;
  return Float32Array.from(map, (v) => (v - lo) / span);
}

async function generate(m: Extract<ToGenerationWorker, { type: 'generate' }>): Promise<void> {
  if (!state.pipe || !state.model) throw new Error('generation worker: no model loaded yet; wait for "loaded"');
  const plan = state.networks.plan(m.request.prompt, m.networks ?? []);
  // the same files at the same strengths keep the built pipeline (its sessions); another set rebuilds it
  if (plan.key !== (state.plan?.key ?? '')) await rebuild(plan);
  const pipe = state.pipe;
  const model = state.model;
  const abort = new AbortController();
  state.jobs.set(m.id, abort);
  const onProgress = (p: { stepIndex: number; numSteps: number; preview?: { width: number; height: number; rgb: Uint8Array } }) =>
    scope.postMessage({ type: 'progress', id: m.id, stepIndex: p.stepIndex, numSteps: p.numSteps, preview: p.preview });
  const r = await pipe.generate({ ...m.request, prompt: plan.prompt, attention: m.conceptTokens.length > 0 }, { onProgress, signal: abort.signal });
  state.jobs.delete(m.id);
  // A1111 records the prompt with its <lora:…> tags and the short hashes of the files used (as the generate CLI)
  const hashes = { ...(Object.keys(plan.loraHashes).length ? { loraHashes: plan.loraHashes } : {}), ...(Object.keys(plan.tiHashes).length ? { tiHashes: plan.tiHashes } : {}) };
  for (const p of r.parameters) Object.assign(p, { prompt: plan.recordedPrompt }, hashes);
  const n = r.parameters.length;
  const pngs = Array.from({ length: n }, (_, i) => imagePng(r, i));
  const attention = Array.from({ length: n }, (_, i) => m.conceptTokens.flatMap((token) => {
    const id = model.tokenizer.tokenToId(token);
    const pos = r.attention && id !== undefined ? r.attention.ids.indexOf(id) : -1;
    if (!r.attention || pos < 0) return [];
    return [{ token, width: r.attention.width, height: r.attention.height, map: normalised(tokenMap(r.attention, i, pos)) }];
  }));
  scope.postMessage({ type: 'result', id: m.id, pngs, seeds: r.parameters.map((p) => p.seed), width: r.width, height: r.height, attention, infotexts: r.parameters.map(infotextOf) }, pngs.map((b) => b.buffer as ArrayBuffer));
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'cancel') return void state.jobs.get(m.id)?.abort();
  const job = m.type === 'load' ? load(m) : m.type === 'packs' ? applyPacks(m.packs) : m.type === 'network' ? network(m) : m.type === 'export' ? exportForTools(m) : generate(m);
  job.catch((err: unknown) => {
    if (m.type === 'generate') state.jobs.delete(m.id);
    scope.postMessage({ type: 'error', id: m.type === 'generate' ? m.id : undefined, key: answerKey(m), message: postedErrorMessage(err) });
  });
};
