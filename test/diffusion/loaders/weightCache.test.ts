// WeightCache over an in-memory directory: content addressing (SHA-256), LRU eviction under the byte budget,
// size/hash checks on read, a corrupt index, readThrough's fallback on cache failures, the browser sources' cache
// parameter, and openWeightCache without OPFS. The real OPFS path runs in e2e/opfsCache.spec.ts.
import { describe, expect, it } from 'vitest';
import { createFileListSource } from '../../../src/diffusion/loaders/browser';
import { fastKey, readThrough, sha256Hex, WeightCache } from '../../../src/diffusion/loaders/weightCache';
import type { CacheDirectory } from '../../../src/diffusion/loaders/weightCache';
import { openWeightCache } from '../../../src/workers/opfsCache';

/** CacheDirectory over a Map (name → bytes), counting writes and optionally failing them. */
class MemoryDirectory implements CacheDirectory {
  readonly files = new Map<string, Uint8Array>();
  writes = 0;
  failWrites = false;
  async read(name: string) {
    return this.files.get(name)?.slice();
  }
  async write(name: string, bytes: Uint8Array) {
    if (this.failWrites) throw new Error('QuotaExceededError');
    this.writes++;
    this.files.set(name, bytes.slice());
  }
  async remove(name: string) {
    this.files.delete(name);
  }
}

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const blobNames = (d: MemoryDirectory) => [...d.files.keys()].filter((k) => k !== 'index.json').sort();

describe('when storing and reading weights', () => {
  it('keys blobs by SHA-256 and stores identical content once', async () => {
    const dir = new MemoryDirectory();
    const cache = new WeightCache(dir, { minBytes: 1 });
    const sha = await cache.put('a/unet.safetensors|4|1', bytes(4, 7));
    expect(sha).toBe(await sha256Hex(bytes(4, 7)));
    expect(await cache.put('b/unet.safetensors|4|9', bytes(4, 7))).toBe(sha);
    expect(blobNames(dir)).toEqual([sha]);
    expect(await cache.get('b/unet.safetensors|4|9')).toEqual(bytes(4, 7));
    expect(await cache.get('c/unet.safetensors|4|1')).toBeUndefined();
    expect(await cache.usage()).toEqual({ bytes: 4, blobs: 1, keys: 2 });
  });

  it('survives a reload: a new cache over the same directory finds the entries', async () => {
    const dir = new MemoryDirectory();
    await new WeightCache(dir, { minBytes: 1 }).put('k', bytes(8, 1));
    expect(await new WeightCache(dir, { minBytes: 1 }).get('k')).toEqual(bytes(8, 1));
  });

  it('skips files under minBytes and over the whole budget', async () => {
    const dir = new MemoryDirectory();
    const cache = new WeightCache(dir, { minBytes: 4, budgetBytes: 10 });
    expect(await cache.put('small', bytes(3, 1))).toBeUndefined();
    expect(await cache.put('huge', bytes(11, 1))).toBeUndefined();
    expect(dir.writes).toBe(0);
  });

  it('evicts the least recently used blobs to stay under the budget', async () => {
    const dir = new MemoryDirectory();
    const cache = new WeightCache(dir, { minBytes: 1, budgetBytes: 10 });
    await cache.put('a', bytes(4, 1));
    await cache.put('b', bytes(4, 2));
    await cache.get('a');
    await cache.put('c', bytes(4, 3));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toEqual(bytes(4, 1));
    expect(await cache.get('c')).toEqual(bytes(4, 3));
    expect(blobNames(dir)).toEqual([await sha256Hex(bytes(4, 1)), await sha256Hex(bytes(4, 3))].sort());
  });

  it('drops a blob whose size or (with verifyOnRead) hash no longer matches', async () => {
    const dir = new MemoryDirectory();
    const sha = (await new WeightCache(dir, { minBytes: 1 }).put('k', bytes(4, 1))) as string;
    dir.files.set(sha, bytes(4, 2));
    expect(await new WeightCache(dir, { minBytes: 1 }).get('k')).toEqual(bytes(4, 2));
    expect(await new WeightCache(dir, { minBytes: 1, verifyOnRead: true }).get('k')).toBeUndefined();
    expect(dir.files.has(sha)).toBe(false);
    await new WeightCache(dir, { minBytes: 1 }).put('k', bytes(4, 1));
    dir.files.set(sha, bytes(3, 1));
    expect(await new WeightCache(dir, { minBytes: 1 }).get('k')).toBeUndefined();
  });

  it('starts empty over a corrupt index and rejects a non-positive budget', async () => {
    const dir = new MemoryDirectory();
    dir.files.set('index.json', new TextEncoder().encode('{not json'));
    expect(await new WeightCache(dir).usage()).toEqual({ bytes: 0, blobs: 0, keys: 0 });
    expect(() => new WeightCache(dir, { budgetBytes: 0 })).toThrow(/budgetBytes must be positive, got 0/);
  });
});

describe('when reading through the cache', () => {
  it('reads the file once and serves the next read from the cache', async () => {
    const cache = new WeightCache(new MemoryDirectory(), { minBytes: 1 });
    let reads = 0;
    const read = async () => (reads++, bytes(5, 9));
    expect(await readThrough(cache, 'k', read)).toEqual(bytes(5, 9));
    expect(await readThrough(cache, 'k', read)).toEqual(bytes(5, 9));
    expect(reads).toBe(1);
  });

  it('still returns the bytes when the cache cannot store them, with a warning', async () => {
    const dir = new MemoryDirectory();
    dir.failWrites = true;
    const warnings: string[] = [];
    const got = await readThrough(new WeightCache(dir, { minBytes: 1 }), 'k', async () => bytes(5, 9), (m) => warnings.push(m));
    expect(got).toEqual(bytes(5, 9));
    expect(warnings).toEqual([expect.stringMatching(/could not store k \(Error: QuotaExceededError\); the next load reads the file again/)]);
  });

  it('caches a dropped file list by label, path, size and lastModified', async () => {
    const dir = new MemoryDirectory();
    const cache = new WeightCache(dir, { minBytes: 2 });
    const file = new File([bytes(6, 4)], 'model.safetensors', { lastModified: 1234 });
    const src = createFileListSource([file, new File(['{'], 'config.json')], 'sd', { cache });
    expect(await src.read('model.safetensors')).toEqual(bytes(6, 4));
    expect(await src.read('config.json')).toEqual(new TextEncoder().encode('{'));
    expect(await cache.usage()).toEqual({ bytes: 6, blobs: 1, keys: 1 });
    expect(await cache.get(fastKey('sd', 'model.safetensors', file))).toEqual(bytes(6, 4));
  });
});

describe('when the browser has no OPFS', () => {
  it('answers a message instead of a cache', async () => {
    const r = await openWeightCache();
    expect(r.cache).toBeUndefined();
    expect(r.message).toMatch(/no Origin Private File System.*read from the folder on every load/);
  });
});
