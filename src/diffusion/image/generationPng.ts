// Generation settings in PNG text chunks, both ways: the studio's own JSON chunk (`disenstudio`, full settings),
// and readers for what A1111 (`parameters` infotext) and ComfyUI (`prompt`, the API graph) write, so a dropped
// PNG fills the generation panel. Sampler names map through the registry (one source: schedulers/registry.ts).
// Pure; no I/O. Reference: A1111 modules/infotext_utils.py `parse_generation_parameters` and
// modules/sd_samplers.py `get_sampler_and_scheduler` (absent "Schedule type" = the sampler's default, Karras for
// DPM++ 2M); ComfyUI nodes.py (KSampler, CLIPTextEncode, EmptyLatentImage inputs).
import type { GenerationParameters } from '../pipeline/types';
import { SAMPLERS } from '../schedulers/registry';
import { parseInfotext } from './infotext';

/** tEXt keyword of the studio's JSON chunk. */
export const STUDIO_CHUNK = 'disenstudio';
/** Written into infotext "Version" and the JSON chunk. */
import { STUDIO_VERSION } from '../../lib/version';

export { STUDIO_VERSION };
const FORMAT = 'disenstudio-generation/1';

/** Settings read back from a PNG; absent fields were not recorded. `sampler` is a registry name. */
export type ImportedGeneration = {
  source: 'disenstudio' | 'a1111' | 'comfyui';
  prompt: string;
  negativePrompt: string;
  steps?: number;
  sampler?: string;
  cfgScale?: number;
  seed?: number;
  width?: number;
  height?: number;
  model?: string;
  modelHash?: string;
  /** what could not be carried over, e.g. a sampler the studio lacks */
  notes: string[];
};

/** The studio's JSON chunk for one image: every setting, under a format tag. */
export function studioChunk(p: GenerationParameters): string {
  return JSON.stringify({ format: FORMAT, version: STUDIO_VERSION, ...p });
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** A1111 Sampler + Schedule type → registry name, as A1111 resolves them (absent type = that sampler's default). */
export function samplerFromA1111(sampler: string | undefined, scheduleType: string | undefined): string | undefined {
  if (!sampler) return undefined;
  const entries = Object.values(SAMPLERS).filter((e) => e.infotext.sampler === sampler);
  const type = scheduleType && scheduleType !== 'Automatic' ? scheduleType : undefined;
  const hit = type ? entries.find((e) => e.infotext.scheduleType === type) : entries.find((e) => e.infotext.isA1111Automatic);
  return hit?.name;
}

function fromStudio(text: string): ImportedGeneration | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (o.format !== FORMAT) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    source: 'disenstudio', prompt: str(o.prompt) ?? '', negativePrompt: str(o.negativePrompt) ?? '', steps: num(o.steps), sampler: str(o.sampler),
    cfgScale: num(o.cfgScale), seed: num(o.seed), width: num(o.width), height: num(o.height), model: str(o.model), modelHash: str(o.modelHash), notes: [],
  };
}

function fromA1111(text: string): ImportedGeneration {
  const { prompt, negativePrompt, params } = parseInfotext(text);
  const notes: string[] = [];
  const own = params['DisenStudio sampler'];
  const sampler = own && SAMPLERS[own] ? own : samplerFromA1111(params.Sampler, params['Schedule type']);
  if (!sampler && params.Sampler) notes.push(`sampler "${params.Sampler}${params['Schedule type'] ? ` (${params['Schedule type']})` : ''}" is not one the studio has; kept the current one`);
  const size = /^(\d+)x(\d+)$/.exec(params.Size ?? '');
  return {
    source: 'a1111', prompt, negativePrompt, steps: num(params.Steps), sampler, cfgScale: num(params['CFG scale']), seed: num(params.Seed),
    width: size ? Number(size[1]) : undefined, height: size ? Number(size[2]) : undefined, model: params.Model, modelHash: params['Model hash'], notes,
  };
}

type ComfyNode = { class_type?: string; inputs?: Record<string, unknown> };

function fromComfy(text: string): ImportedGeneration | undefined {
  let graph: Record<string, ComfyNode>;
  try {
    graph = JSON.parse(text) as Record<string, ComfyNode>;
  } catch {
    return undefined;
  }
  if (graph === null || typeof graph !== 'object') return undefined;
  const node = (link: unknown): ComfyNode | undefined => (Array.isArray(link) ? graph[String(link[0])] : undefined);
  const sampler = Object.values(graph).find((n) => n && /^KSampler(Advanced)?$/.test(n.class_type ?? ''));
  if (!sampler?.inputs) return undefined;
  const i = sampler.inputs;
  const textOf = (link: unknown): string => {
    const n = node(link);
    const t = n?.inputs?.text;
    return typeof t === 'string' ? t : '';
  };
  const latent = node(i.latent_image)?.inputs ?? {};
  const comfy = `${String(i.sampler_name)} + ${String(i.scheduler)}`;
  const entry = Object.values(SAMPLERS).find((e) => e.comfy === comfy);
  const notes = entry ? [] : [`ComfyUI sampler "${comfy}" is not one the studio has; kept the current one`];
  return {
    source: 'comfyui', prompt: textOf(i.positive), negativePrompt: textOf(i.negative), steps: num(i.steps), sampler: entry?.name, cfgScale: num(i.cfg),
    seed: num(i.seed ?? i.noise_seed), width: num(latent.width), height: num(latent.height), notes,
  };
}

/**
 * Generation settings from a PNG's text chunks (DecodedPng.text): the studio's own chunk first, then A1111's
 * `parameters`, then ComfyUI's `prompt` graph; undefined when none holds settings.
 * @example readGenerationSettings(readPngText(bytes))?.seed
 */
export function readGenerationSettings(text: Readonly<Record<string, string>>): ImportedGeneration | undefined {
  const studio = text[STUDIO_CHUNK] !== undefined ? fromStudio(text[STUDIO_CHUNK] as string) : undefined;
  if (studio) return studio;
  if (text.parameters !== undefined) return fromA1111(text.parameters);
  if (text.prompt !== undefined) return fromComfy(text.prompt);
  return undefined;
}
