// The studio's LoRA and embedding files in IndexedDB, per model folder (they survive reloads): the list (file names,
// strengths, switches, in order) under one key and each file's bytes under its own, in the `cache` database of
// idb.ts. Main thread or worker; no DOM; only moves values. Reference: packStore.ts.
import { openIdbStore } from './idb';
import type { NetworkChoice } from '../state/index';

/** One kept file: its settings and name; the bytes are read separately. */
export type KeptNetwork = NetworkChoice & { readonly fileName: string };

const listKey = (baseUrl: string): string => `studio-networks:${baseUrl}`;
const fileKey = (baseUrl: string, id: string): string => `studio-networks:${baseUrl}:file:${id}`;

function isKept(v: unknown): v is KeptNetwork {
  const o = v as Record<string, unknown>;
  return typeof o === 'object' && o !== null && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.fileName === 'string' && (o.kind === 'lora' || o.kind === 'embedding') && typeof o.strength === 'number' && Number.isFinite(o.strength) && typeof o.isEnabled === 'boolean';
}

export async function saveNetworkFile(baseUrl: string, id: string, bytes: Uint8Array): Promise<void> {
  await openIdbStore<Uint8Array>('cache').put(fileKey(baseUrl, id), bytes);
}

export async function deleteNetworkFile(baseUrl: string, id: string): Promise<void> {
  await openIdbStore<Uint8Array>('cache').delete(fileKey(baseUrl, id));
}

export async function saveNetworkList(baseUrl: string, list: readonly KeptNetwork[]): Promise<void> {
  await openIdbStore<Uint8Array>('cache').put(listKey(baseUrl), new TextEncoder().encode(JSON.stringify(list)));
}

/** The kept list with each file's bytes, and the file names whose bytes are gone (malformed entries are left out). */
export async function restoreNetworks(baseUrl: string): Promise<{ found: { kept: KeptNetwork; bytes: Uint8Array }[]; missing: string[] }> {
  const store = openIdbStore<Uint8Array>('cache');
  const raw = await store.get(listKey(baseUrl));
  const list: unknown = raw ? JSON.parse(new TextDecoder().decode(raw)) : [];
  const found: { kept: KeptNetwork; bytes: Uint8Array }[] = [];
  const missing: string[] = [];
  for (const kept of Array.isArray(list) ? list.filter(isKept) : []) {
    const bytes = await store.get(fileKey(baseUrl, kept.id));
    if (bytes) found.push({ kept, bytes });
    else missing.push(kept.fileName);
  }
  return { found, missing };
}
