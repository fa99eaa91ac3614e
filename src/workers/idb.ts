// IndexedDB for the browser studio: the one list of the databases it opens (name, version, object store) and one
// key-value helper over them, for the project autosave (app/idbStorage.ts), the regularisation and pack cache
// (idbBlobCache.ts, packStore.ts) and training checkpoints (idbCheckpointStore.ts). Works in windows and Web
// Workers; only moves values. Untested in Node (no IndexedDB there); the e2e suite covers it.
import { RuntimeFailure } from '../lib/errors';

/**
 * Every IndexedDB database the studio opens, each with one object store. Bump `version` (and add an upgrade step in
 * `openIdbStore`) when a store changes shape; never rename one, or users lose what it holds.
 */
export const IDB_DATABASES = {
  /** the project autosave: key → JSON string (state/ports.ts StoragePort) */
  project: { name: 'disenstudio', version: 1, store: 'kv' },
  /** regularisation images, trained concept packs and LoRA / embedding files (networkStore.ts): key → bytes */
  cache: { name: 'disenstudio-cache', version: 1, store: 'regularisation' },
  /** training checkpoints: run id → safetensors bytes */
  training: { name: 'disenstudio-training', version: 1, store: 'checkpoints' },
} as const;

export type IdbDatabase = keyof typeof IDB_DATABASES;

/** One object store as a key-value map; `where` names it in messages ("IndexedDB disenstudio-training/checkpoints"). */
export type IdbStore<T> = {
  readonly where: string;
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
};

function request<T>(r: IDBRequest<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new RuntimeFailure('indexeddb', `${what} failed: ${r.error?.message ?? 'unknown error'}`));
  });
}

/** The store of `db`, opened on first use (and created at its version when new). */
export function openIdbStore<T>(db: IdbDatabase): IdbStore<T> {
  const { name, version, store } = IDB_DATABASES[db];
  const where = `IndexedDB ${name}/${store}`;
  let opened: Promise<IDBDatabase> | undefined;
  const objects = async (mode: IDBTransactionMode): Promise<IDBObjectStore> => {
    if (!opened) {
      const r = indexedDB.open(name, version);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(store)) r.result.createObjectStore(store);
      };
      opened = request(r, `${where}: open`);
    }
    return (await opened).transaction(store, mode).objectStore(store);
  };
  return {
    where,
    get: async (key) => (await request((await objects('readonly')).get(key), `${where}: get`)) as T | undefined,
    put: async (key, value) => void (await request((await objects('readwrite')).put(value, key), `${where}: put`)),
    delete: async (key) => void (await request((await objects('readwrite')).delete(key), `${where}: delete`)),
  };
}
