// The browser side of the weight cache: a CacheDirectory over the Origin Private File System
// (navigator.storage.getDirectory() → "disenstudio-weights/"), and openWeightCache(), which answers a message
// instead of throwing when OPFS is missing (old browsers, some private modes). Only moves bytes; the cache logic
// is diffusion/loaders/weightCache.ts. Covered by e2e/opfsCache.spec.ts. Reference: WHATWG File System §OPFS.
import { WeightCache } from '../diffusion/index';
import type { CacheDirectory, WeightCacheOptions } from '../diffusion/index';
import { postedErrorMessage } from '../lib/errors';

type Writable = { write(data: Uint8Array): Promise<void>; close(): Promise<void> };
type SyncHandle = { truncate(n: number): void; write(data: Uint8Array, o: { at: number }): number; flush(): void; close(): void };
type OpfsFile = { getFile(): Promise<Blob>; createWritable?(): Promise<Writable>; createSyncAccessHandle?(): Promise<SyncHandle> };
/** the parts of FileSystemDirectoryHandle used here */
export type OpfsDirectoryHandle = {
  getFileHandle(name: string, o?: { create?: boolean }): Promise<OpfsFile>;
  getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<OpfsDirectoryHandle>;
  removeEntry(name: string): Promise<void>;
};
type StorageLike = { storage?: { getDirectory?(): Promise<OpfsDirectoryHandle> } };

/** OPFS folder of the weight cache */
export const OPFS_CACHE_DIR = 'disenstudio-weights';

function isNotFound(e: unknown): boolean {
  return (e as { name?: string } | undefined)?.name === 'NotFoundError';
}

/** A CacheDirectory over an OPFS directory handle (createWritable, else a worker's sync access handle). */
export function opfsDirectory(dir: OpfsDirectoryHandle): CacheDirectory {
  return {
    async read(name) {
      try {
        const file = await (await dir.getFileHandle(name)).getFile();
        return new Uint8Array(await file.arrayBuffer());
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async write(name, bytes) {
      const fh = await dir.getFileHandle(name, { create: true });
      if (fh.createWritable) {
        const w = await fh.createWritable();
        await w.write(bytes);
        await w.close();
        return;
      }
      if (!fh.createSyncAccessHandle) throw new Error('this browser can write OPFS files neither with createWritable nor createSyncAccessHandle');
      const h = await fh.createSyncAccessHandle();
      try {
        h.truncate(0);
        h.write(bytes, { at: 0 });
        h.flush();
      } finally {
        h.close();
      }
    },
    async remove(name) {
      await dir.removeEntry(name).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    },
  };
}

/**
 * Opens the OPFS weight cache, or explains why there is none (the loader then reads files every time).
 * @example const { cache, message } = await openWeightCache(); createDirectoryHandleSource(handle, undefined, cache && { cache });
 */
export async function openWeightCache(options: WeightCacheOptions = {}): Promise<{ cache: WeightCache; message?: undefined } | { cache?: undefined; message: string }> {
  const getDirectory = (globalThis.navigator as StorageLike | undefined)?.storage?.getDirectory;
  if (!getDirectory) return { message: 'This browser has no Origin Private File System (navigator.storage.getDirectory); model files are read from the folder on every load.' };
  try {
    const root = await getDirectory.call((globalThis.navigator as StorageLike).storage);
    const dir = await root.getDirectoryHandle(OPFS_CACHE_DIR, { create: true });
    return { cache: new WeightCache(opfsDirectory(dir), options) };
  } catch (e) {
    return { message: `The Origin Private File System cannot be opened (${postedErrorMessage(e)}); model files are read from the folder on every load.` };
  }
}
