// The project file: what is saved to storage and exported (JSON, image as data URL, masks as operations).
// toProjectFile is pure; parseProjectFile validates untrusted JSON and throws ProjectFileError naming the
// bad field. No I/O here (the persistence slice does the storage calls). Reference: the studio's persistence and export.
import { StudioError } from '../lib/index';
import { MAX_CONCEPTS, MIN_CONCEPTS } from './concepts';
import type { TrainSettings } from './ports';
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

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function need(cond: boolean, what: string): void {
  if (!cond) throw new ProjectFileError(what);
}

function checkReference(r: unknown): void {
  if (r === null) return;
  need(isObj(r), '"reference" must be an object or null');
  const ref = r as Json;
  need(typeof ref.dataUrl === 'string' && ref.dataUrl.startsWith('data:image/'), '"reference.dataUrl" must be a data:image/… URL');
  for (const k of ['width', 'height', 'originalWidth', 'originalHeight']) need(isNum(ref[k]) && (ref[k] as number) > 0, `"reference.${k}" must be a positive number`);
  need(isObj(ref.crop) && isNum(ref.crop.x) && isNum(ref.crop.y) && isNum(ref.crop.size), '"reference.crop" must be {x, y, size}');
}

function checkOp(op: unknown, where: string): void {
  need(isObj(op) && ['stroke', 'polygon', 'fill', 'clear'].includes(op.kind as string), `${where} has an unknown operation kind (expected stroke, polygon, fill, clear)`);
  const o = op as Json;
  const isPt = (p: unknown): boolean => isObj(p) && isNum(p.x) && isNum(p.y);
  if (o.kind === 'stroke' || o.kind === 'polygon') need(Array.isArray(o.points) && o.points.every(isPt), `${where}.points must be a list of {x, y}`);
  if (o.kind === 'stroke') need(isNum(o.radius) && (o.radius as number) > 0, `${where}.radius must be a positive number`);
  if (o.kind === 'fill') need(isPt(o.at), `${where}.at must be {x, y}`);
}

function checkModel(m: unknown): void {
  if (m === undefined) return;
  need(isObj(m) && (m.kind === 'default' || m.kind === 'snapshot'), '"model.kind" must be "default" or "snapshot"');
  const ref = m as Json;
  if (ref.kind === 'snapshot') need(typeof ref.id === 'string' && ref.id !== '' && typeof ref.name === 'string', '"model" of kind "snapshot" needs string id and name');
}

function checkConceptsAndMasks(f: Json): void {
  const cs = f.concepts;
  need(Array.isArray(cs) && cs.length >= MIN_CONCEPTS && cs.length <= MAX_CONCEPTS, `"concepts" must list ${MIN_CONCEPTS}–${MAX_CONCEPTS} concepts`);
  (cs as unknown[]).forEach((c, k) => {
    need(isObj(c) && ['id', 'token', 'classWord', 'color'].every((key) => typeof c[key] === 'string'), `"concepts[${k}]" needs string id, token, classWord, color`);
  });
  need(isObj(f.masks), '"masks" must map concept ids to layers');
  for (const [id, layer] of Object.entries(f.masks as Json)) {
    need(isObj(layer) && Array.isArray(layer.ops), `"masks.${id}.ops" must be a list`);
    ((layer as Json).ops as unknown[]).forEach((op, k) => checkOp(op, `"masks.${id}.ops[${k}]"`));
  }
}

/**
 * Parses and validates a project file.
 * @throws ProjectFileError naming the first bad field
 */
export function parseProjectFile(text: string): ProjectFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProjectFileError(`the file is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  need(isObj(raw) && raw.format === PROJECT_FORMAT, `"format" must be "${PROJECT_FORMAT}"`);
  const f = raw as Json;
  need(f.version === PROJECT_VERSION, `"version" ${String(f.version)} is not supported (this studio reads version ${PROJECT_VERSION})`);
  checkReference(f.reference);
  checkConceptsAndMasks(f);
  need(isObj(f.generation) && typeof f.generation.prompt === 'string', '"generation" settings are missing');
  need(isObj(f.training) && isObj(f.training.settings), '"training" settings are missing');
  checkModel(f.model);
  return raw as ProjectFile;
}

