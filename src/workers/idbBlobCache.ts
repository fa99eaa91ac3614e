// BlobCache over IndexedDB for the browser (regularisation images and concept packs survive reloads): the `cache`
// database of idb.ts. Only moves bytes. Reference: src/train/data/regularisation.ts.
import type { BlobCache } from '../train/index';
import { openIdbStore } from './idb';

export function idbBlobCache(): BlobCache {
  const store = openIdbStore<Uint8Array>('cache');
  return { get: (key) => store.get(key), put: (key, bytes) => store.put(key, bytes) };
}
