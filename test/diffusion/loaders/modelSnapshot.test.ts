// Model snapshots over an in-memory CacheDirectory: a tiny diffusers folder stored (large files as WeightCache blobs,
// small ones in the snapshot folder) is read back byte-exact by a fresh cache (as after a reload; the browser load runs
// in e2e/modelSnapshot.spec.ts); a missing blob, a corrupt file, an evicted blob and a missing or broken manifest
// each give a clear error; a model that does not fit the budget leaves nothing; removing one snapshot keeps another's
// blobs; without OPFS (Node) openSnapshotStorage answers why.
import { describe, expect, it } from 'vitest';
import { detectModelLayout, loadAnyModel } from '../../../src/diffusion/loaders/detect';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { createSnapshotSource, forgetSnapshot, missingSnapshotFiles, readSnapshotManifest, removeSnapshot, writeSnapshot } from '../../../src/diffusion/loaders/modelSnapshot';
import type { SnapshotStorage } from '../../../src/diffusion/loaders/modelSnapshot';
import { manifestName, smallFileName } from '../../../src/diffusion/loaders/snapshotManifest';
import { WeightCache } from '../../../src/diffusion/loaders/weightCache';
import type { CacheDirectory, WeightCacheOptions } from '../../../src/diffusion/loaders/weightCache';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { ModelAssetError } from '../../../src/lib/errors';
import { openSnapshotStorage } from '../../../src/workers/modelSnapshots';

/** CacheDirectory over a Map (name → bytes). */
class MemoryDirectory implements CacheDirectory {
  readonly files = new Map<string, Uint8Array>();
  async read(name: string) {
    return this.files.get(name)?.slice();
  }
  async write(name: string, bytes: Uint8Array) {
    this.files.set(name, bytes.slice());
  }
  async remove(name: string) {
    this.files.delete(name);
  }
}

const folder = writeDiffusersFolder({ seed: 3 });
const LARGE = ['text_encoder/model.safetensors', 'unet/diffusion_pytorch_model.safetensors', 'vae/diffusion_pytorch_model.safetensors'];
const isSame = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const CREATED = '2026-11-27T08:00:00.000Z';

/** Two directories standing for OPFS; `reopen` gives a fresh WeightCache over the same blobs (a page reload). */
function storage(options: WeightCacheOptions = {}) {
  const weightsDir = new MemoryDirectory();
  const folderDir = new MemoryDirectory();
  const open = (): SnapshotStorage => ({ weights: new WeightCache(weightsDir, { minBytes: 10_000, ...options }), folder: folderDir });
  return { weightsDir, folderDir, first: open(), reopen: open };
}

const keep = (s: SnapshotStorage, id = 'snap-1') => writeSnapshot(s, new MemoryFileSource(folder, 'my-model'), { id, name: 'my-model', createdAt: CREATED });

describe('when a loaded model is kept as a snapshot', () => {
  it('writes a manifest naming every file, large ones as weight blobs and small ones in the snapshot folder', async () => {
    const { first, folderDir } = storage();
    const progress: number[] = [];
    const m = await writeSnapshot(first, new MemoryFileSource(folder, 'my-model'), { id: 'snap-1', name: 'my-model', createdAt: CREATED, onProgress: (done) => progress.push(done) });
    expect(m.sourceKind).toBe('diffusers');
    expect(Object.keys(m.files).sort()).toEqual([...folder.keys()].sort());
    expect(Object.entries(m.files).filter(([, f]) => f.where === 'weights').map(([p]) => p).sort()).toEqual(LARGE);
    expect(m.totalBytes).toBe([...folder.values()].reduce((s, b) => s + b.byteLength, 0));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(folderDir.files.has(manifestName('snap-1'))).toBe(true);
    expect(folderDir.files.size).toBe(1 + 8);
  });

  it('reads back byte-exact after a reload, with the layout the loader detects', async () => {
    const s = storage();
    await keep(s.first);
    const again = s.reopen();
    const m = await readSnapshotManifest(again, 'snap-1');
    expect(m.name).toBe('my-model');
    expect(await missingSnapshotFiles(again, m)).toEqual([]);
    const src = createSnapshotSource(again, m);
    for (const [path, bytes] of folder) expect(isSame(await src.read(path), bytes), path).toBe(true);
    expect(await detectModelLayout(src)).toBe('diffusers');
  });
});

describe('when a snapshot is damaged', () => {
  it('names a weight blob that was removed from storage', async () => {
    const s = storage();
    const m = await keep(s.first);
    s.weightsDir.files.delete(m.files['unet/diffusion_pytorch_model.safetensors']!.sha256);
    const src = createSnapshotSource(s.reopen(), m);
    await expect(src.read('unet/diffusion_pytorch_model.safetensors')).rejects.toThrow('my-model: "unet/diffusion_pytorch_model.safetensors" is no longer in browser storage (evicted or removed); pick the model files again.');
  });

  it('lists a missing small file and refuses a corrupt one with the two hashes', async () => {
    const s = storage();
    const m = await keep(s.first);
    s.folderDir.files.delete(smallFileName('snap-1', m.files['tokenizer/vocab.json']!.sha256));
    const config = smallFileName('snap-1', m.files['unet/config.json']!.sha256);
    s.folderDir.files.set(config, new Uint8Array(m.files['unet/config.json']!.size).fill(32));
    expect(await missingSnapshotFiles(s.first, m)).toEqual(['"tokenizer/vocab.json" (missing or truncated)']);
    const src = createSnapshotSource(s.first, m);
    await expect(src.read('unet/config.json')).rejects.toThrow(/my-model: "unet\/config.json" in browser storage is corrupt \(SHA-256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\); pick the model files again\./);
    await expect(loadAnyModel(src)).rejects.toBeInstanceOf(ModelAssetError);
  });

  it('detects blobs the weight cache evicted for newer files', async () => {
    const s = storage({ budgetBytes: 7_000_000 });
    const m = await keep(s.first);
    await s.first.weights.put('other-model/unet.safetensors|3000000|1', new Uint8Array(3_000_000).fill(9));
    const after = s.reopen();
    expect(await missingSnapshotFiles(after, m)).toEqual(['"text_encoder/model.safetensors" (evicted from the weight cache)', '"unet/diffusion_pytorch_model.safetensors" (evicted from the weight cache)']);
    await expect(loadAnyModel(createSnapshotSource(after, m))).rejects.toThrow('is no longer in browser storage');
  });

  it('says when the manifest is gone or broken', async () => {
    const s = storage();
    await keep(s.first);
    await expect(readSnapshotManifest(s.first, 'snap-2')).rejects.toThrow('model snapshot snap-2 is not in browser storage (it was forgotten, or the browser cleared the site\'s storage).');
    s.folderDir.files.set(manifestName('snap-1'), new TextEncoder().encode('{"format":"disenstudio-model-snapshot","version":1,"id":"snap-1"}'));
    await expect(readSnapshotManifest(s.first, 'snap-1')).rejects.toThrow('model snapshot snap-1: the manifest is broken ("name" must be a non-empty string).');
    await expect(readSnapshotManifest(s.first, '../x')).rejects.toThrow('model snapshot id "../x" is not valid');
  });
});

describe('when storage is short or a snapshot is forgotten', () => {
  it('refuses a model larger than the budget and leaves no manifest and no small files', async () => {
    const s = storage({ budgetBytes: 4_000_000 });
    await expect(keep(s.first)).rejects.toThrow(/"my-model" \(0\.01 GiB\) does not fit the browser weight cache: storing it evicted "text_encoder\/model.safetensors" \(evicted from the weight cache\)/);
    expect(s.folderDir.files.size).toBe(0);
  });

  it('removes one snapshot entirely and keeps the blobs another snapshot shares', async () => {
    const s = storage();
    const a = await keep(s.first, 'snap-a');
    const b = await keep(s.first, 'snap-b');
    expect((await s.first.weights.usage()).blobs).toBe(3);
    await removeSnapshot(s.first, a);
    expect(await missingSnapshotFiles(s.reopen(), b)).toEqual([]);
    expect([...s.folderDir.files.keys()].every((n) => n.startsWith('snap-b.'))).toBe(true);
    await removeSnapshot(s.first, b);
    expect(s.folderDir.files.size).toBe(0);
    expect(await s.first.weights.usage()).toEqual({ bytes: 0, blobs: 0, keys: 0 });
    expect([...s.weightsDir.files.keys()]).toEqual(['index.json']);
  });

  it('forgets by id: the whole snapshot, a broken manifest alone, and an unknown id without error', async () => {
    const s = storage();
    await keep(s.first, 'snap-a');
    await forgetSnapshot(s.first, 'snap-a');
    expect(s.folderDir.files.size).toBe(0);
    expect((await s.first.weights.usage()).blobs).toBe(0);
    s.folderDir.files.set(manifestName('snap-x'), new TextEncoder().encode('not json'));
    await forgetSnapshot(s.first, 'snap-x');
    expect(s.folderDir.files.size).toBe(0);
    await expect(forgetSnapshot(s.first, 'never-kept')).resolves.toBeUndefined();
  });

  it('says why there is no snapshot storage where OPFS is missing (Node)', async () => {
    expect(await openSnapshotStorage()).toEqual({ message: 'this browser has no Origin Private File System (navigator.storage.getDirectory)' });
  });
});
