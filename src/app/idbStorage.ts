// IndexedDB implementation of the store's StoragePort (one object store of JSON strings).
// Browser-only; falls back to memory (with the reason) where IndexedDB is missing. Reference: state/ports.ts.
import { memoryStorage } from '../state/index';
import type { StoragePort } from '../state/index';

const DB_NAME = 'disenstudio';
const STORE = 'kv';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE);
  return request(r);
}

/** A StoragePort on IndexedDB, or an in-memory one (and why) when the browser has none. */
export function createBrowserStorage(): { storage: StoragePort; fallbackReason: string | null } {
  if (typeof indexedDB === 'undefined') return { storage: memoryStorage(), fallbackReason: 'this browser has no IndexedDB; the project lives only until reload' };
  const db = openDb();
  const tx = async (mode: IDBTransactionMode): Promise<IDBObjectStore> => (await db).transaction(STORE, mode).objectStore(STORE);
  return {
    storage: {
      get: async (key) => (await request((await tx('readonly')).get(key))) as string | undefined,
      set: async (key, value) => void (await request((await tx('readwrite')).put(value, key))),
      delete: async (key) => void (await request((await tx('readwrite')).delete(key))),
    },
    fallbackReason: null,
  };
}
