// The project file: what is saved to storage and exported (JSON, image as data URL, masks as operations).
// toProjectFile is pure; parseProjectFile validates untrusted JSON against one schema (every field, with the
// ranges of limits.ts) and throws ProjectFileError naming the bad field. No I/O here (the persistence slice does the storage calls). Reference: the studio's persistence and export.
import { Fields, parseJsonText, StudioError } from '../lib/index';
import type { ImagePoint, ImagePx, MaskLayer, MaskOp } from '../editor/index';
import { MAX_CONCEPTS, MIN_CONCEPTS, parseColor } from './concepts';
import { MAX_IMAGE_SIDE } from './image';
import { GENERATION_LIMITS, GENERATION_SIZES, MASK_LIMITS, MAX_PROMPT_LENGTH, SAMPLE_EVERY_LIMITS, SAMPLER_NAMES, TRAINING_LIMITS } from './limits';
import type { Range } from './limits';
import type { SamplerName, TrainSettings } from './ports';
import type { Concept, GenerationSettings, MaskDoc, ModelRef, ReferenceImage, StudioData } from './types';

export const PROJECT_FORMAT = 'disenstudio-project';
export const PROJECT_VERSION = 1;

export type ProjectFile = {
  readonly format: typeof PROJECT_FORMAT;
  readonly version: typeof PROJECT_VERSION;
  readonly reference: ReferenceImage | null;
  readonly concepts: readonly Concept[];
  /** concept id → mask layer */
  readonly masks: MaskDoc;
  readonly activeConceptId: string | null;
  readonly generation: GenerationSettings;
  /** sampleEvery: samples during training every N steps (0 = off); absent in older files */
  readonly training: { readonly preset: string; readonly settings: TrainSettings; readonly sampleEvery?: number };
  /** the model in use (a kept snapshot is re-opened at start-up); absent in older files: the default model */
  readonly model?: ModelRef;
};

/** A project file that cannot be read; the message names the field and what was expected. */
export class ProjectFileError extends StudioError {
  constructor(message: string) {
    super('project-file', `Not a valid DisenStudio project: ${message}`);
  }
}

export function toProjectFile(s: StudioData): ProjectFile {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    reference: s.project.reference,
    concepts: s.project.concepts,
    masks: s.editor.masks.present,
    activeConceptId: s.editor.activeConceptId,
    generation: s.generation.settings,
    training: { preset: s.training.preset, settings: s.training.settings, sampleEvery: s.training.sampleEvery },
    model: s.project.model,
  };
}

/**
 * Reads one field group after another; each check throws ProjectFileError naming the field. Every value of the
 * result is built here from checked parts: nothing of the file is passed through (unknown keys are dropped, colours
 * are re-written by parseColor, numbers must lie within what the UI offers, limits.ts).
 */
const fields = new Fields('project file', (m) => new ProjectFileError(m.replace(/^project file: /, '')));

const point = (v: unknown, where: string): { x: number; y: number } => {
  const o = fields.object(v, where);
  return { x: fields.number(o.x, `${where}.x`, -MASK_LIMITS.coordinate, MASK_LIMITS.coordinate), y: fields.number(o.y, `${where}.y`, -MASK_LIMITS.coordinate, MASK_LIMITS.coordinate) };
};

const ranged = (v: unknown, where: string, r: Range): number => (r.integer ? fields.int(v, where, r.min, r.max) : fields.number(v, where, r.min, r.max));

function readReference(v: unknown): ReferenceImage | null {
  if (v === null) return null;
  const r = fields.object(v, 'reference');
  const dataUrl = fields.string(r.dataUrl, 'reference.dataUrl', 64 * 1024 * 1024);
  if (!/^data:image\/(png|jpeg|gif|webp|bmp|avif);base64,[A-Za-z0-9+/=]*$/.test(dataUrl)) throw fields.error('reference.dataUrl', 'must be a base64 data:image/… URL (png, jpeg, gif, webp, bmp or avif)', dataUrl);
  const side = (k: string, max: number) => fields.int(r[k], `reference.${k}`, 1, max);
  const width = side('width', MAX_IMAGE_SIDE);
  const height = side('height', MAX_IMAGE_SIDE);
  const c = fields.object(r.crop, 'reference.crop');
  const size = fields.number(c.size, 'reference.crop.size', 1, Math.min(width, height));
  const crop = { x: fields.number(c.x, 'reference.crop.x', 0, width - size), y: fields.number(c.y, 'reference.crop.y', 0, height - size), size };
  return { name: fields.string(r.name ?? 'reference', 'reference.name', 512), dataUrl, width, height, originalWidth: side('originalWidth', 1 << 16), originalHeight: side('originalHeight', 1 << 16), crop };
}

/** A stored region: side, then run lengths (non-negative integers) that cover side² cells exactly. */
function readRegion(o: Record<string, unknown>, where: string, budget: { points: number; runs: number }): MaskOp {
  const mode = fields.oneOf(o.mode, `${where}.mode`, ['add', 'erase'] as const);
  const side = fields.int(o.side, `${where}.side`, 1, MASK_LIMITS.regionSide);
  const raw = fields.list(o.runs, `${where}.runs`, side * side + 1, 1);
  budget.runs += raw.length;
  if (budget.runs > MASK_LIMITS.runsTotal) throw fields.error(`${where}.runs`, `bring the project past ${MASK_LIMITS.runsTotal} region runs in all`, raw.length);
  const runs = raw.map((n, i) => fields.int(n, `${where}.runs[${i}]`, 0, side * side));
  const cells = runs.reduce((a, b) => a + b, 0);
  if (cells !== side * side) throw fields.error(`${where}.runs`, `must cover the ${side}×${side} region's ${side * side} cells exactly`, `${cells} cells`);
  return { kind: 'region', mode, side, runs };
}

function readOp(v: unknown, where: string, budget: { points: number; runs: number }): MaskOp {
  const o = fields.object(v, where);
  const kind = fields.oneOf(o.kind, `${where}.kind`, ['stroke', 'polygon', 'fill', 'region', 'clear'] as const);
  if (kind === 'clear') return { kind };
  if (kind === 'fill') return { kind, at: point(o.at, `${where}.at`) as ImagePoint };
  if (kind === 'region') return readRegion(o, where, budget);
  const raw = fields.list(o.points, `${where}.points`, MASK_LIMITS.pointsPerOp);
  budget.points += raw.length;
  if (budget.points > MASK_LIMITS.pointsTotal) throw fields.error(`${where}.points`, `bring the project past ${MASK_LIMITS.pointsTotal} mask points in all`, raw);
  const points = raw.map((p, i) => point(p, `${where}.points[${i}]`) as ImagePoint);
  const mode = fields.oneOf(o.mode, `${where}.mode`, ['add', 'erase'] as const);
  if (kind === 'polygon') return { kind, mode, points };
  const radius = fields.number(o.radius, `${where}.radius`, Number.MIN_VALUE, MASK_LIMITS.radius) as ImagePx;
  if (o.feather === undefined) return { kind, mode, points, radius };
  return { kind, mode, points, radius, feather: fields.number(o.feather, `${where}.feather`, 0, MASK_LIMITS.feather) as ImagePx };
}

function readConcepts(v: unknown): Concept[] {
  const cs = fields.list(v, 'concepts', MAX_CONCEPTS, MIN_CONCEPTS);
  const ids = new Set<string>();
  return cs.map((c, k) => {
    const o = fields.object(c, `concepts[${k}]`);
    const id = fields.string(o.id, `concepts[${k}].id`, 64);
    if (id === '' || ids.has(id)) throw fields.error(`concepts[${k}].id`, 'must be a unique, non-empty name', id);
    ids.add(id);
    const color = parseColor(o.color);
    if (!color) throw fields.error(`concepts[${k}].color`, 'must be a colour "#rrggbb" or "#rgb"', o.color);
    return { id, token: fields.string(o.token, `concepts[${k}].token`, 64), classWord: fields.string(o.classWord, `concepts[${k}].classWord`, 64), color };
  });
}

function readMasks(v: unknown, concepts: readonly Concept[]): MaskDoc {
  const m = fields.object(v, 'masks');
  const budget = { points: 0, runs: 0 };
  const out: Record<string, MaskLayer> = {};
  for (const [id, layer] of Object.entries(m)) {
    const where = `masks.${id.slice(0, 64)}`;
    if (!concepts.some((c) => c.id === id)) continue; // a removed concept's layer: dropped, not passed through
    const l = fields.object(layer, where);
    const ops = fields.list(l.ops, `${where}.ops`, MASK_LIMITS.opsPerLayer).map((op, k) => readOp(op, `${where}.ops[${k}]`, budget));
    out[id] = { conceptId: id, ops };
  }
  return out;
}

/** The studio's own sampler ids in files saved before it offered the whole registry (same format version). */
const EARLIER_SAMPLER_IDS: Readonly<Record<string, SamplerName>> = { ddim: 'DDIM', 'euler-a': 'Euler a', ddpm: 'DDPM' };

/** A registry display name; the three earlier ids are read as the samplers they meant. */
function readSampler(v: unknown): SamplerName {
  const earlier = typeof v === 'string' && Object.prototype.hasOwnProperty.call(EARLIER_SAMPLER_IDS, v) ? EARLIER_SAMPLER_IDS[v] : undefined;
  return earlier ?? fields.oneOf(v, 'generation.sampler', SAMPLER_NAMES);
}

function readGeneration(v: unknown): GenerationSettings {
  const g = fields.object(v, 'generation');
  const L = GENERATION_LIMITS;
  const size = fields.int(g.size, 'generation.size', GENERATION_SIZES[0], GENERATION_SIZES[GENERATION_SIZES.length - 1] as number);
  if (!(GENERATION_SIZES as readonly number[]).includes(size)) throw fields.error('generation.size', `must be one of ${GENERATION_SIZES.join(', ')}`, size);
  return {
    prompt: fields.string(g.prompt, 'generation.prompt', MAX_PROMPT_LENGTH),
    negativePrompt: fields.string(g.negativePrompt ?? '', 'generation.negativePrompt', MAX_PROMPT_LENGTH),
    seed: ranged(g.seed, 'generation.seed', L.seed),
    isSeedLocked: g.isSeedLocked === true,
    steps: ranged(g.steps, 'generation.steps', L.steps),
    guidance: ranged(g.guidance, 'generation.guidance', L.guidance),
    sampler: readSampler(g.sampler),
    batch: ranged(g.batch, 'generation.batch', L.batch),
    size,
  };
}

/** The training group of a project file (preset, settings, sampleEvery), checked with limits.ts; also reads the run history's settings. */
export function readTraining(v: unknown): ProjectFile['training'] {
  const t = fields.object(v, 'training');
  const st = fields.object(t.settings, 'training.settings');
  const L = TRAINING_LIMITS;
  const settings: TrainSettings = {
    steps: ranged(st.steps, 'training.settings.steps', L.steps),
    learningRate: ranged(st.learningRate, 'training.settings.learningRate', L.learningRate),
    batchSize: ranged(st.batchSize, 'training.settings.batchSize', L.batchSize),
    gradAccumulation: ranged(st.gradAccumulation, 'training.settings.gradAccumulation', L.gradAccumulation),
    attentionLossWeight: ranged(st.attentionLossWeight, 'training.settings.attentionLossWeight', L.attentionLossWeight),
    seed: ranged(st.seed, 'training.settings.seed', L.seed),
    // files written before these settings existed trained with the masks and union sampling: keep that
    maskGuidance: st.maskGuidance !== false,
    unionSampling: st.unionSampling !== false,
    isolateConcepts: st.isolateConcepts === true,
    modifierInit: st.modifierInit === undefined ? 'model-default' : fields.oneOf(st.modifierInit, 'training.settings.modifierInit', ['rare', 'class-word', 'model-default'] as const),
    // absent in files written before the setting: the default count
    ...(st.regularisationImages === undefined ? {} : { regularisationImages: ranged(st.regularisationImages, 'training.settings.regularisationImages', L.regularisationImages) }),
    ...(st.kvLoraRank === undefined ? {} : { kvLoraRank: ranged(st.kvLoraRank, 'training.settings.kvLoraRank', L.kvLoraRank) }),
    ...(st.memoryBudgetGb === undefined ? {} : { memoryBudgetGb: ranged(st.memoryBudgetGb, 'training.settings.memoryBudgetGb', L.memoryBudgetGb) }),
  };
  const sampleEvery = t.sampleEvery === undefined ? undefined : ranged(t.sampleEvery, 'training.sampleEvery', SAMPLE_EVERY_LIMITS);
  return { preset: fields.string(t.preset, 'training.preset', 64), settings, ...(sampleEvery === undefined ? {} : { sampleEvery }) };
}

function readModel(v: unknown): ModelRef | undefined {
  if (v === undefined) return undefined;
  const m = fields.object(v, 'model');
  const kind = fields.oneOf(m.kind, 'model.kind', ['default', 'snapshot'] as const);
  if (kind === 'default') return { kind };
  const id = fields.string(m.id, 'model.id', 128);
  if (id === '') throw fields.error('model.id', 'must not be empty', id);
  return { kind, id, name: fields.string(m.name, 'model.name', 256) };
}

/**
 * Parses and validates a project file: every field, with the ranges the UI offers (limits.ts); the result is
 * rebuilt from checked values only.
 * @throws ProjectFileError naming the first bad field
 */
export function parseProjectFile(text: string): ProjectFile {
  const raw = parseJsonText(text, 'the file', (m) => new ProjectFileError(m));
  const f = fields.object(raw, '(top level)');
  if (f.format !== PROJECT_FORMAT) throw fields.error('format', `must be "${PROJECT_FORMAT}"`, f.format);
  if (f.version !== PROJECT_VERSION) throw fields.error('version', `is not supported (this studio reads version ${PROJECT_VERSION})`, f.version);
  const reference = readReference(f.reference ?? null);
  const concepts = readConcepts(f.concepts);
  const masks = readMasks(f.masks, concepts);
  const active = f.activeConceptId === null || f.activeConceptId === undefined ? null : fields.string(f.activeConceptId, 'activeConceptId', 64);
  const model = readModel(f.model);
  return {
    format: PROJECT_FORMAT, version: PROJECT_VERSION, reference, concepts, masks,
    activeConceptId: active !== null && concepts.some((c) => c.id === active) ? active : (concepts[0]?.id ?? null),
    generation: readGeneration(f.generation), training: readTraining(f.training), ...(model ? { model } : {}),
  };
}
