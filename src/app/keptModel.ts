// A locally loaded model kept in browser storage: after a successful load its files become a snapshot in OPFS and
// the project remembers it; at start-up the project's snapshot is re-opened (read back with progress, loaded like a
// picked folder) or, when it is missing or broken, the default model loads and the notice says to pick the files
// again. Never loses the project. Reference: the studio's model panel, diffusion/loaders/modelSnapshot.ts, workers/modelSnapshots.ts.
import { describeError, describeErrorSentence, ModelAssetError } from '../lib/errors';
import { createSnapshotSource, forgetSnapshot, missingSnapshotFiles, readSnapshotManifest, writeSnapshot } from '../diffusion/index';
import type { SnapshotStorage } from '../diffusion/index';
import { MemoryFileSource } from '../diffusion/index';
import type { FileSource } from '../diffusion/index';
import type { ModelRef, ModelSnapshotPort, StudioStore } from '../state/index';
import { createStudioEngine } from '../workers/engineClient';
import type { StudioEngine } from '../workers/engineClient';
import type { ModelChoice } from '../workers/modelChoice';
import { openSnapshotStorage } from '../workers/modelSnapshots';
import { runtimeChoice } from './engine';

/** Snapshot storage of this page, opened once (its WeightCache keeps the index in memory); a string says why there is none. */
export type ModelShelf = { readonly storage: Promise<SnapshotStorage | string> };

type Say = (kind: 'info' | 'error', text: string) => void;

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;

export function openModelShelf(): ModelShelf {
  return { storage: openSnapshotStorage().then((r) => r.storage ?? r.message, (e: unknown) => String(e)) };
}

/** The store's ModelSnapshotPort over the shelf ("Forget cached model"). */
export function shelfPort(shelf: ModelShelf): ModelSnapshotPort {
  return {
    async forget(id) {
      const storage = await shelf.storage;
      if (typeof storage !== 'string') await forgetSnapshot(storage, id);
    },
  };
}

/** Every file of `src`, read in order with progress. */
export async function readAllFiles(src: FileSource, onProgress: (done: number, total: number) => void): Promise<Record<string, Uint8Array>> {
  const paths = await src.list();
  const out: Record<string, Uint8Array> = {};
  for (const [i, path] of paths.entries()) {
    out[path] = await src.read(path);
    onProgress(i + 1, paths.length);
  }
  return out;
}

/** The engine's model choice for files of the user's model (bytes by path); `how` is added to the label shown. */
export function localChoice(name: string, bytes: Record<string, Uint8Array>, how?: string): ModelChoice {
  return { baseUrl: `local:${name}`, files: Object.keys(bytes), isDemo: false, label: `${name} (from this computer${how ? `, ${how}` : ''})`, bytes };
}

/**
 * Keeps the model just loaded as a snapshot and makes the project use it (the project's previous snapshot is
 * forgotten). Never throws. @returns the sentence for the model notice
 */
export async function keepModel(store: StudioStore, shelf: ModelShelf, name: string, bytes: Record<string, Uint8Array>, say: Say): Promise<string> {
  const previous = store.getState().project.model;
  const storage = await shelf.storage;
  let ref: ModelRef = { kind: 'default' };
  let sentence: string;
  if (typeof storage === 'string') {
    sentence = `It is not kept in browser storage (${storage}): a reload goes back to the default model.`;
  } else {
    try {
      const src = new MemoryFileSource(new Map(Object.entries(bytes)), name);
      const onProgress = (done: number, total: number) => say('info', `Keeping "${name}" in browser storage: ${done}/${total} files…`);
      const manifest = await writeSnapshot(storage, src, { id: crypto.randomUUID(), name, createdAt: new Date().toISOString(), onProgress });
      ref = { kind: 'snapshot', id: manifest.id, name };
      sentence = `A copy (${mb(manifest.totalBytes)}) is kept in browser storage: a reload re-opens it.`;
    } catch (e) {
      sentence = `It could not be kept in browser storage (${describeError(e)}): a reload goes back to the default model.`;
    }
  }
  store.getState().setModelInUse(ref);
  if (previous.kind === 'snapshot' && typeof storage !== 'string') await forgetSnapshot(storage, previous.id).catch(() => undefined);
  return sentence;
}

async function reopen(shelf: ModelShelf, id: string, say: Say): Promise<StudioEngine> {
  const storage = await shelf.storage;
  if (typeof storage === 'string') throw new ModelAssetError(storage);
  const manifest = await readSnapshotManifest(storage, id);
  const missing = await missingSnapshotFiles(storage, manifest);
  const count = Object.keys(manifest.files).length;
  if (missing.length > 0) throw new ModelAssetError(`${missing.length} of its ${count} files are gone from browser storage: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`);
  const bytes = await readAllFiles(createSnapshotSource(storage, manifest), (done, total) => say('info', `Re-opening "${manifest.name}" from browser storage: ${done}/${total} files…`));
  say('info', `Loading "${manifest.name}"…`);
  return createStudioEngine(localChoice(manifest.name, bytes, 're-opened from browser storage'), runtimeChoice());
}

/**
 * The engine for the project's model once `restored` (the project restore) settled: its kept snapshot re-opened, or
 * `openDefault()` when it uses the default model or the snapshot cannot be re-opened (then the notice says why and
 * to pick the files again, the broken snapshot is forgotten and the project uses the default model).
 */
export async function openProjectModel(store: StudioStore, shelf: ModelShelf, restored: Promise<unknown>, openDefault: () => Promise<StudioEngine>): Promise<StudioEngine> {
  await restored.catch(() => undefined);
  const ref = store.getState().project.model;
  if (ref.kind === 'default') return openDefault();
  const say: Say = (kind, text) => store.getState().setModelNotice({ kind, text });
  try {
    const engine = await reopen(shelf, ref.id, say);
    say('info', `Re-opened "${ref.name}" from browser storage.`);
    return engine;
  } catch (e) {
    say('error', `"${ref.name}" could not be re-opened from browser storage: ${describeErrorSentence(e)} The default model is loaded instead: pick the model files again with "Load model folder…" or "Load model files…". Nothing else of the project changed.`);
    store.getState().setModelInUse({ kind: 'default' });
    await shelfPort(shelf).forget(ref.id).catch(() => undefined);
    return openDefault();
  }
}
