// Concept packs of the studio engine in IndexedDB, per model folder (they survive reloads), and the tokens a pack
// folder teaches. Main thread or worker; no DOM. Reference: train/pack (pack.json), workers/idbBlobCache.ts.
import { idbBlobCache } from './idbBlobCache';

/** Trained packs survive reloads in IndexedDB, per model folder: an index (pack count) and each pack's files. */
export async function savePacks(baseUrl: string, packs: readonly Record<string, Uint8Array>[]): Promise<void> {
  const cache = idbBlobCache();
  const enc = new TextEncoder();
  for (const [i, files] of packs.entries()) await cache.put(`studio-packs:${baseUrl}:${i}`, enc.encode(JSON.stringify(Object.keys(files))));
  await Promise.all(packs.flatMap((files, i) => Object.entries(files).map(([name, bytes]) => cache.put(`studio-packs:${baseUrl}:${i}:${name}`, bytes))));
  await cache.put(`studio-packs:${baseUrl}`, enc.encode(String(packs.length)));
}

export async function restorePacks(baseUrl: string): Promise<Record<string, Uint8Array>[]> {
  const cache = idbBlobCache();
  const dec = new TextDecoder();
  const count = Number(dec.decode((await cache.get(`studio-packs:${baseUrl}`).catch(() => undefined)) ?? new Uint8Array()));
  const packs: Record<string, Uint8Array>[] = [];
  for (let i = 0; i < (Number.isInteger(count) ? count : 0); i++) {
    const names = JSON.parse(dec.decode((await cache.get(`studio-packs:${baseUrl}:${i}`)) ?? new TextEncoder().encode('[]'))) as string[];
    const entries = await Promise.all(names.map(async (n) => [n, await cache.get(`studio-packs:${baseUrl}:${i}:${n}`)] as const));
    if (entries.every(([, b]) => b)) packs.push(Object.fromEntries(entries) as Record<string, Uint8Array>);
  }
  return packs;
}

/** Each run's pack, kept under its run id (the run history's "Use" applies it again): file names, then the files. */
export async function saveRunPack(baseUrl: string, runId: string, files: Record<string, Uint8Array>): Promise<void> {
  const cache = idbBlobCache();
  await Promise.all(Object.entries(files).map(([name, bytes]) => cache.put(`studio-runs:${baseUrl}:${runId}:${name}`, bytes)));
  await cache.put(`studio-runs:${baseUrl}:${runId}`, new TextEncoder().encode(JSON.stringify(Object.keys(files))));
}

/** The pack run `runId` left, or undefined when this browser no longer has all of it. */
export async function restoreRunPack(baseUrl: string, runId: string): Promise<Record<string, Uint8Array> | undefined> {
  const cache = idbBlobCache();
  const index = await cache.get(`studio-runs:${baseUrl}:${runId}`);
  if (!index) return undefined;
  const names: unknown = JSON.parse(new TextDecoder().decode(index));
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return undefined;
  const entries = await Promise.all(names.map(async (n) => [n, await cache.get(`studio-runs:${baseUrl}:${runId}:${n}`)] as const));
  return entries.every(([, b]) => b) ? (Object.fromEntries(entries) as Record<string, Uint8Array>) : undefined;
}

/** Tokens of a pack folder (pack.json concepts); a retrained token replaces the older pack that had it. */
export function packTokens(files: Record<string, Uint8Array>): string[] {
  const json = files['pack.json'];
  if (!json) return [];
  return ((JSON.parse(new TextDecoder().decode(json)) as { concepts?: { token: string }[] }).concepts ?? []).map((c) => c.token);
}
