// The manifest of a model snapshot: what a locally loaded model looked like (name, layout, every file path with its
// SHA-256 and size, where its bytes are kept) so that the studio can re-open it from browser storage after a reload.
// Pure data and validation; no I/O (modelSnapshot.ts stores and reads snapshots). Reference: the studio's model panel.
import { ModelAssetError } from '../../lib/errors';
import type { ModelLayout } from './detect';

export const SNAPSHOT_FORMAT = 'disenstudio-model-snapshot';
export const SNAPSHOT_VERSION = 1;

/** One file of a snapshot. */
export type SnapshotFile = {
  /** SHA-256 of the content, lowercase hex (the content key) */
  readonly sha256: string;
  readonly size: number;
  /** 'weights': a WeightCache blob (large files); 'snapshot': a file of the snapshot's own folder (configs, tokenizer) */
  readonly where: 'weights' | 'snapshot';
};

export type SnapshotManifest = {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  /** letters, digits, '-' and '_' (it names files) */
  readonly id: string;
  /** the model's name as the user picked it (folder or weights file name) */
  readonly name: string;
  /** the layout detectModelLayout found */
  readonly sourceKind: ModelLayout;
  /** path ('/'-separated, relative) → content key, size and store */
  readonly files: Readonly<Record<string, SnapshotFile>>;
  /** sum of the files' sizes */
  readonly totalBytes: number;
  /** ISO 8601 time the snapshot was made */
  readonly createdAt: string;
};

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SHA = /^[0-9a-f]{64}$/;
const LAYOUTS: readonly ModelLayout[] = ['diffusers', 'onnx-export', 'single-file'];

/** Throws unless `id` can name a snapshot (it becomes part of file names). */
export function checkSnapshotId(id: string): void {
  if (!ID.test(id)) throw new ModelAssetError(`model snapshot id "${id}" is not valid: use 1–64 letters, digits, "-" or "_".`);
}

/** The WeightCache key of a snapshot's large file (one key per snapshot and path, so forgetting one snapshot keeps another's blobs). */
export function snapshotWeightKey(id: string, path: string): string {
  return `snapshot:${id}/${path}`;
}

/** The name of a snapshot's manifest in the snapshot folder. */
export function manifestName(id: string): string {
  return `${id}.manifest.json`;
}

/** The name of a snapshot's small file in the snapshot folder (content-addressed inside the snapshot). */
export function smallFileName(id: string, sha256: string): string {
  return `${id}.${sha256}`;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFile(path: string, f: unknown, bad: (what: string) => never): SnapshotFile {
  if (!isObj(f)) bad(`"files.${path}" must be an object`);
  const file = f as Json;
  if (typeof file.sha256 !== 'string' || !SHA.test(file.sha256)) bad(`"files.${path}.sha256" must be 64 lowercase hex digits`);
  if (!Number.isInteger(file.size) || (file.size as number) < 0) bad(`"files.${path}.size" must be a byte count`);
  if (file.where !== 'weights' && file.where !== 'snapshot') bad(`"files.${path}.where" must be "weights" or "snapshot", got ${JSON.stringify(file.where)}`);
  return file as SnapshotFile;
}

/**
 * Parses and validates a manifest read from storage.
 * @throws ModelAssetError naming the snapshot and the first bad field
 * @example parseSnapshotManifest(bytes, 'a1b2').name
 */
export function parseSnapshotManifest(bytes: Uint8Array, id: string): SnapshotManifest {
  const bad = (what: string): never => {
    throw new ModelAssetError(`model snapshot ${id}: the manifest is broken (${what}).`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return bad(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObj(raw) || raw.format !== SNAPSHOT_FORMAT) return bad(`"format" must be "${SNAPSHOT_FORMAT}"`);
  if (raw.version !== SNAPSHOT_VERSION) bad(`"version" ${String(raw.version)} is not supported (this studio reads ${SNAPSHOT_VERSION})`);
  if (raw.id !== id) bad(`"id" is ${JSON.stringify(raw.id)}, expected "${id}"`);
  if (typeof raw.name !== 'string' || raw.name === '') bad('"name" must be a non-empty string');
  if (!LAYOUTS.includes(raw.sourceKind as ModelLayout)) bad(`"sourceKind" must be one of ${LAYOUTS.join(', ')}, got ${JSON.stringify(raw.sourceKind)}`);
  if (!isObj(raw.files) || Object.keys(raw.files).length === 0) bad('"files" must map at least one path');
  const files = Object.entries(raw.files as Json).map(([path, f]) => checkFile(path, f, bad));
  const total = files.reduce((s, f) => s + f.size, 0);
  if (raw.totalBytes !== total) bad(`"totalBytes" is ${String(raw.totalBytes)} but the files add up to ${total}`);
  if (typeof raw.createdAt !== 'string') bad('"createdAt" must be an ISO time');
  return raw as SnapshotManifest;
}
