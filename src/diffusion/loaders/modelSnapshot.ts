// Model snapshots: every file of a locally loaded model kept in browser storage so a reload re-opens it without the
// user picking the files again. Large files go to the WeightCache (content-addressed blobs, LRU under a budget), small
// ones (configs, tokenizer) and the manifest to a snapshot folder; the manifest is written last, so a half-written
// snapshot has none. Over CacheDirectory only (OPFS: workers/modelSnapshots.ts; a Map in tests). Reference: the studio's model panel.
import { ModelAssetError } from '../../lib/errors';
import { detectModelLayout } from './detect';
import type { FileSource } from './fileSource';
import { checkSnapshotId, manifestName, parseSnapshotManifest, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, smallFileName, snapshotWeightKey } from './snapshotManifest';
import type { SnapshotFile, SnapshotManifest } from './snapshotManifest';
import { sha256Hex } from './weightCache';
import type { CacheDirectory, WeightCache } from './weightCache';

/** Where snapshots live: the weight cache for large files, a folder for manifests and small files. */
export type SnapshotStorage = { readonly weights: WeightCache; readonly folder: CacheDirectory };

export type WriteSnapshotOptions = {
  /** 1–64 letters, digits, '-' or '_' (the caller picks it, e.g. crypto.randomUUID()) */
  id: string;
  /** the model's name as the user knows it */
  name: string;
  /** ISO 8601 time stamp of the manifest */
  createdAt: string;
  /** called after each stored file */
  onProgress?: (done: number, total: number) => void;
};

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GiB`;

async function storeFile(storage: SnapshotStorage, id: string, path: string, bytes: Uint8Array): Promise<SnapshotFile> {
  if (bytes.byteLength >= storage.weights.minBytes) {
    const sha = await storage.weights.put(snapshotWeightKey(id, path), bytes);
    if (sha === undefined) throw new ModelAssetError(`"${path}" (${gib(bytes.byteLength)}) is larger than the whole browser weight cache; the model cannot be kept in browser storage.`);
    return { sha256: sha, size: bytes.byteLength, where: 'weights' };
  }
  const sha = await sha256Hex(bytes);
  await storage.folder.write(smallFileName(id, sha), bytes);
  return { sha256: sha, size: bytes.byteLength, where: 'snapshot' };
}

/** Paths of `manifest` whose bytes storage no longer holds, each with the reason (no bytes of large files are read). */
export async function missingSnapshotFiles(storage: SnapshotStorage, manifest: SnapshotManifest): Promise<string[]> {
  const missing: string[] = [];
  for (const [path, f] of Object.entries(manifest.files)) {
    if (f.where === 'weights') {
      if (!(await storage.weights.has(snapshotWeightKey(manifest.id, path)))) missing.push(`"${path}" (evicted from the weight cache)`);
    } else if ((await storage.folder.read(smallFileName(manifest.id, f.sha256)))?.byteLength !== f.size) {
      missing.push(`"${path}" (missing or truncated)`);
    }
  }
  return missing;
}

/**
 * Stores every file of `src` as snapshot `options.id` and writes its manifest last. When the model does not fit the
 * weight cache (its own large files would evict each other) the partial snapshot is removed and the call throws.
 * @throws ModelAssetError naming the file or the size problem; errors of the storage (quota) pass through
 * @example const manifest = await writeSnapshot(storage, createFileListSource(files), { id, name: 'my-model', createdAt: new Date().toISOString() });
 */
export async function writeSnapshot(storage: SnapshotStorage, src: FileSource, options: WriteSnapshotOptions): Promise<SnapshotManifest> {
  checkSnapshotId(options.id);
  const sourceKind = await detectModelLayout(src);
  const paths = await src.list();
  const files: Record<string, SnapshotFile> = {};
  for (const [i, path] of paths.entries()) {
    files[path] = await storeFile(storage, options.id, path, await src.read(path));
    options.onProgress?.(i + 1, paths.length);
  }
  const totalBytes = Object.values(files).reduce((s, f) => s + f.size, 0);
  const manifest: SnapshotManifest = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, id: options.id, name: options.name, sourceKind, files, totalBytes, createdAt: options.createdAt };
  const missing = await missingSnapshotFiles(storage, manifest);
  if (missing.length > 0) {
    await removeSnapshot(storage, manifest);
    throw new ModelAssetError(`"${options.name}" (${gib(totalBytes)}) does not fit the browser weight cache: storing it evicted ${missing.join(', ')}. The model cannot be kept in browser storage.`);
  }
  await storage.folder.write(manifestName(options.id), new TextEncoder().encode(JSON.stringify(manifest)));
  return manifest;
}

/**
 * The manifest of snapshot `id`.
 * @throws ModelAssetError when the snapshot is not in storage (never kept, forgotten, or storage was cleared) or its manifest is broken
 */
export async function readSnapshotManifest(storage: SnapshotStorage, id: string): Promise<SnapshotManifest> {
  checkSnapshotId(id);
  const bytes = await storage.folder.read(manifestName(id));
  if (!bytes) throw new ModelAssetError(`model snapshot ${id} is not in browser storage (it was forgotten, or the browser cleared the site's storage).`);
  return parseSnapshotManifest(bytes, id);
}

/** Removes snapshot files: the weight keys (blobs go when no other key names them), the small files, then the manifest. */
export async function removeSnapshot(storage: SnapshotStorage, manifest: SnapshotManifest): Promise<void> {
  for (const [path, f] of Object.entries(manifest.files)) {
    if (f.where === 'weights') await storage.weights.remove(snapshotWeightKey(manifest.id, path));
    else await storage.folder.remove(smallFileName(manifest.id, f.sha256));
  }
  await storage.folder.remove(manifestName(manifest.id));
}

async function readChecked(storage: SnapshotStorage, manifest: SnapshotManifest, path: string, f: SnapshotFile, shouldVerify: boolean): Promise<Uint8Array> {
  const again = 'pick the model files again';
  const bytes = f.where === 'weights' ? await storage.weights.get(snapshotWeightKey(manifest.id, path)) : await storage.folder.read(smallFileName(manifest.id, f.sha256));
  if (!bytes) throw new ModelAssetError(`${manifest.name}: "${path}" is no longer in browser storage (evicted or removed); ${again}.`);
  if (bytes.byteLength !== f.size) throw new ModelAssetError(`${manifest.name}: "${path}" in browser storage has ${bytes.byteLength} bytes, the snapshot recorded ${f.size}; ${again}.`);
  const sha = shouldVerify ? await sha256Hex(bytes) : f.sha256;
  if (sha !== f.sha256) throw new ModelAssetError(`${manifest.name}: "${path}" in browser storage is corrupt (SHA-256 ${sha.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…); ${again}.`);
  return bytes;
}

/**
 * A FileSource over a stored snapshot, for loadAnyModel. Every read checks the size and (unless `shouldVerify` is
 * false) the SHA-256 against the manifest.
 * @throws (from read) ModelAssetError naming the file when it was evicted, removed or is corrupt
 */
export function createSnapshotSource(storage: SnapshotStorage, manifest: SnapshotManifest, shouldVerify = true): FileSource {
  return {
    label: manifest.name,
    async list() {
      return Object.keys(manifest.files).sort();
    },
    async read(path) {
      const f = manifest.files[path];
      if (!f) throw new ModelAssetError(`${manifest.name}: the snapshot has no file "${path}" (it has ${Object.keys(manifest.files).length}).`);
      return readChecked(storage, manifest, path, f, shouldVerify);
    },
  };
}

/**
 * Forgets snapshot `id`: removes its files when its manifest can be read, else only the manifest (a broken manifest
 * cannot name the files). Resolves when the snapshot was never there.
 */
export async function forgetSnapshot(storage: SnapshotStorage, id: string): Promise<void> {
  checkSnapshotId(id);
  const manifest = await readSnapshotManifest(storage, id).catch((e: unknown) => {
    if (e instanceof ModelAssetError) return undefined;
    throw e;
  });
  if (manifest) await removeSnapshot(storage, manifest);
  else await storage.folder.remove(manifestName(id));
}
