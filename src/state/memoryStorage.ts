// An in-memory StoragePort: for tests and for browsers where IndexedDB is unavailable (private mode).
// Holds strings in a Map; nothing survives a reload. Reference: ports.ts StoragePort.
import type { StoragePort } from './ports';

export function memoryStorage(initial: Record<string, string> = {}): StoragePort & { readonly data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: async (key) => data.get(key),
    set: async (key, value) => void data.set(key, value),
    delete: async (key) => void data.delete(key),
  };
}
