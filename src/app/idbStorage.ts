// IndexedDB implementation of the store's StoragePort: the `project` database of workers/idb.ts (JSON strings).
// Browser-only; falls back to memory (with the reason) where IndexedDB is missing. Reference: state/ports.ts.
import { memoryStorage } from '../state/index';
import type { StoragePort } from '../state/index';
import { openIdbStore } from '../workers/idb';

/** A StoragePort on IndexedDB, or an in-memory one (and why) when the browser has none. */
export function createBrowserStorage(): { storage: StoragePort; fallbackReason: string | null } {
  if (typeof indexedDB === 'undefined') return { storage: memoryStorage(), fallbackReason: 'this browser has no IndexedDB; the project lives only until reload' };
  const store = openIdbStore<string>('project');
  return { storage: { get: (key) => store.get(key), set: (key, value) => store.put(key, value), delete: (key) => store.delete(key) }, fallbackReason: null };
}
