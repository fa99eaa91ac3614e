// The browser side of model snapshots: SnapshotStorage over the Origin Private File System — large files in the
// weight cache ("disenstudio-weights/", opfsCache.ts), manifests and small files in "disenstudio-models/". Answers
// a message instead of throwing when OPFS is missing. Only moves bytes; the snapshot logic is
// diffusion/loaders/modelSnapshot.ts. Covered by e2e/modelSnapshot.spec.ts. Reference: WHATWG File System §OPFS.
import type { SnapshotStorage, WeightCacheOptions } from '../diffusion/index';
import { openWeightCache, opfsDirectory } from './opfsCache';
import type { OpfsDirectoryHandle } from './opfsCache';
import { postedErrorMessage } from '../lib/errors';

type StorageLike = { storage?: { getDirectory?(): Promise<OpfsDirectoryHandle> } };

/** OPFS folder of snapshot manifests and small files */
export const OPFS_SNAPSHOT_DIR = 'disenstudio-models';

/**
 * Opens snapshot storage in OPFS, or explains why there is none (a locally loaded model then lasts one session).
 * Open it once per page: each call makes its own WeightCache, whose index is held in memory.
 * @example const { storage, message } = await openSnapshotStorage(); if (storage) await writeSnapshot(storage, src, options);
 */
export async function openSnapshotStorage(options: WeightCacheOptions = {}): Promise<{ storage: SnapshotStorage; message?: undefined } | { storage?: undefined; message: string }> {
  const storage = (globalThis.navigator as StorageLike | undefined)?.storage;
  if (!storage?.getDirectory) return { message: 'this browser has no Origin Private File System (navigator.storage.getDirectory)' };
  const weights = await openWeightCache(options);
  if (!weights.cache) return { message: `the weight cache cannot be opened: ${weights.message}` };
  try {
    const root = await storage.getDirectory();
    const dir = await root.getDirectoryHandle(OPFS_SNAPSHOT_DIR, { create: true });
    return { storage: { weights: weights.cache, folder: opfsDirectory(dir) } };
  } catch (e) {
    return { message: `The Origin Private File System folder "${OPFS_SNAPSHOT_DIR}" cannot be opened (${postedErrorMessage(e)}).` };
  }
}
