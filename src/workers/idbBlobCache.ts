// BlobCache over IndexedDB for the browser (regularisation images survive reloads). Only moves bytes.
// Untested in Node (no IndexedDB); covered by the e2e suite. Reference: src/train/data/regularisation.ts.
import { RuntimeFailure } from '../lib/errors';
import type { BlobCache } from '../train/data/regularisation';

const DB = 'disenstudio-cache';
const STORE = 'regularisation';

function request<T>(r: IDBRequest<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new RuntimeFailure('indexeddb', `${what} failed: ${r.error?.message ?? 'unknown error'}`));
  });
}

export function idbBlobCache(): BlobCache {
  let db: Promise<IDBDatabase> | undefined;
  const store = async (mode: IDBTransactionMode): Promise<IDBObjectStore> => {
    if (!db) {
      const r = globalThis.indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      db = request(r, 'open');
    }
    return (await db).transaction(STORE, mode).objectStore(STORE);
  };
  return {
    get: async (key) => (await request((await store('readonly')).get(key), 'get')) as Uint8Array | undefined,
    put: async (key, bytes) => void (await request((await store('readwrite')).put(bytes, key), 'put')),
  };
}
