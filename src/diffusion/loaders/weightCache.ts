// Content-addressed weight cache with LRU eviction under a byte budget, over a small directory interface (OPFS in
// the browser: workers/opfsCache.ts; a Map in tests). Key choice: a fast key "<source>/<path>|<size>|<lastModified>"
// (known from File metadata without reading the bytes) maps to the SHA-256 of the content (crypto.subtle), and blobs
// are stored under that hash, so identical files in two folders are stored once. A hit checks the size; the full
// SHA-256 is re-checked on read only with `verifyOnRead`. Never throws into a model load: see readThrough.
import { ModelAssetError } from '../../lib/errors';

/** The parts of a directory the cache needs (OPFS FileSystemDirectoryHandle adapts to it). */
export interface CacheDirectory {
  /** file bytes, or undefined when the file does not exist */
  read(name: string): Promise<Uint8Array | undefined>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  remove(name: string): Promise<void>;
}

export type WeightCacheOptions = {
  /** total bytes of cached blobs kept; least recently used blobs go first (default 8 GiB) */
  budgetBytes?: number;
  /** files smaller than this are not cached (default 1 MiB: configs and tokenizers are cheap to re-read) */
  minBytes?: number;
  /** re-hash a blob on every hit and drop it when it does not match (default false: size check only) */
  verifyOnRead?: boolean;
};

/** what index.json holds */
type Index = {
  version: 1;
  /** logical clock: increments on every get/put, so LRU order is deterministic */
  clock: number;
  /** sha256 hex → blob size and last use (clock) */
  blobs: Record<string, { size: number; lastUsed: number }>;
  /** fast key → sha256 hex */
  keys: Record<string, string>;
};

const INDEX = 'index.json';
export const DEFAULT_CACHE_BUDGET = 8 * 1024 ** 3;

/** The fast key of a file: source label, path, size and modification time (no bytes read). */
export function fastKey(source: string, path: string, file: { size: number; lastModified: number }): string {
  return `${source}/${path}|${file.size}|${file.lastModified}`;
}

/** SHA-256 of `bytes` as lowercase hex (Web Crypto; Node 20 and every browser with a secure context). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class WeightCache {
  private index: Index | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly budget: number;
  readonly minBytes: number;

  constructor(
    private readonly dir: CacheDirectory,
    private readonly options: WeightCacheOptions = {},
  ) {
    this.budget = options.budgetBytes ?? DEFAULT_CACHE_BUDGET;
    this.minBytes = options.minBytes ?? 1024 ** 2;
    if (!(this.budget > 0)) throw new ModelAssetError(`weight cache budgetBytes must be positive, got ${this.budget}`);
  }

  /** The cached bytes for `key`, or undefined (miss, size mismatch or, with verifyOnRead, hash mismatch). */
  get(key: string): Promise<Uint8Array | undefined> {
    return this.serial(async () => {
      const idx = await this.load();
      const sha = idx.keys[key];
      const blob = sha ? idx.blobs[sha] : undefined;
      if (!sha || !blob) return undefined;
      const bytes = await this.dir.read(sha);
      const isBad = !bytes || bytes.byteLength !== blob.size || (this.options.verifyOnRead === true && (await sha256Hex(bytes)) !== sha);
      if (isBad) {
        await this.drop(idx, sha);
        await this.save(idx);
        return undefined;
      }
      blob.lastUsed = ++idx.clock;
      await this.save(idx);
      return bytes;
    });
  }

  /**
   * Stores `bytes` under `key` (content-addressed), then evicts least recently used blobs over the budget.
   * Files under minBytes or over the whole budget are skipped. @returns the sha256, or undefined when skipped
   */
  put(key: string, bytes: Uint8Array): Promise<string | undefined> {
    return this.serial(async () => {
      if (bytes.byteLength < this.minBytes || bytes.byteLength > this.budget) return undefined;
      const sha = await sha256Hex(bytes);
      const idx = await this.load();
      if (!idx.blobs[sha]) await this.dir.write(sha, bytes);
      idx.blobs[sha] = { size: bytes.byteLength, lastUsed: ++idx.clock };
      idx.keys[key] = sha;
      await this.evict(idx, sha);
      await this.save(idx);
      return sha;
    });
  }

  /** Whether `key` names a blob the index holds (no bytes read; a removed or truncated blob shows up on get). */
  has(key: string): Promise<boolean> {
    return this.serial(async () => {
      const idx = await this.load();
      const sha = idx.keys[key];
      return sha !== undefined && idx.blobs[sha] !== undefined;
    });
  }

  /** Forgets `key`; its blob is deleted when no other key names the same content. */
  remove(key: string): Promise<void> {
    return this.serial(async () => {
      const idx = await this.load();
      const sha = idx.keys[key];
      if (sha === undefined) return;
      delete idx.keys[key];
      if (!Object.values(idx.keys).includes(sha)) await this.drop(idx, sha);
      await this.save(idx);
    });
  }

  /** Cached bytes and entries. */
  usage(): Promise<{ bytes: number; blobs: number; keys: number }> {
    return this.serial(async () => {
      const idx = await this.load();
      const sizes = Object.values(idx.blobs).map((b) => b.size);
      return { bytes: sizes.reduce((s, n) => s + n, 0), blobs: sizes.length, keys: Object.keys(idx.keys).length };
    });
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<Index> {
    if (this.index) return this.index;
    const raw = await this.dir.read(INDEX);
    let parsed: Partial<Index> | undefined;
    try {
      parsed = raw ? (JSON.parse(new TextDecoder().decode(raw)) as Partial<Index>) : undefined;
    } catch {
      parsed = undefined;
    }
    const isValid = parsed?.version === 1 && typeof parsed.clock === 'number' && parsed.blobs && parsed.keys;
    this.index = isValid ? (parsed as Index) : { version: 1, clock: 0, blobs: {}, keys: {} };
    return this.index;
  }

  private async save(idx: Index): Promise<void> {
    await this.dir.write(INDEX, new TextEncoder().encode(JSON.stringify(idx)));
  }

  private async drop(idx: Index, sha: string): Promise<void> {
    delete idx.blobs[sha];
    for (const [k, v] of Object.entries(idx.keys)) if (v === sha) delete idx.keys[k];
    await this.dir.remove(sha);
  }

  private async evict(idx: Index, keep: string): Promise<void> {
    let total = Object.values(idx.blobs).reduce((s, b) => s + b.size, 0);
    const byAge = Object.entries(idx.blobs).filter(([sha]) => sha !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [sha, blob] of byAge) {
      if (total <= this.budget) break;
      await this.drop(idx, sha);
      total -= blob.size;
    }
  }
}

/**
 * Reads through `cache`: a hit returns the cached bytes; a miss calls `read` and stores the result. Cache failures
 * (quota, a broken directory) never fail the load: they are reported once through `onWarning` and bytes are read.
 */
export async function readThrough(cache: WeightCache, key: string, read: () => Promise<Uint8Array>, onWarning: (m: string) => void = () => undefined): Promise<Uint8Array> {
  const hit = await cache.get(key).catch((e: unknown) => void onWarning(`weight cache read failed (${String(e)}); reading the file instead`));
  if (hit) return hit;
  const bytes = await read();
  await cache.put(key, bytes).catch((e: unknown) => onWarning(`weight cache could not store ${key} (${String(e)}); the next load reads the file again`));
  return bytes;
}
