// Browser FileSources exercised with Node's File and an in-memory directory-handle fake: paths, lazy reads,
// and errors naming the file. (The real OPFS handle path runs in e2e/generate.spec.ts.)
import { describe, expect, it } from 'vitest';
import { createDirectoryHandleSource, createFileListSource } from '../../../src/diffusion/loaders/browser';
import type { DirectoryHandleLike, FileHandleLike } from '../../../src/diffusion/loaders/browser';

function fakeDir(name: string, tree: Record<string, string | Record<string, string>>): DirectoryHandleLike {
  const entries = Object.entries(tree).map(([k, v]): DirectoryHandleLike | FileHandleLike =>
    typeof v === 'string' ? { name: k, kind: 'file', getFile: async () => new Blob([v]) } : fakeDir(k, v));
  const find = (n: string, kind: string) => {
    const e = entries.find((x) => x.name === n && x.kind === kind);
    if (!e) throw new Error(`NotFoundError: ${n}`);
    return e;
  };
  return {
    name, kind: 'directory',
    async *values() {
      yield* entries;
    },
    getDirectoryHandle: async (n) => find(n, 'directory') as DirectoryHandleLike,
    getFileHandle: async (n) => find(n, 'file') as FileHandleLike,
  };
}

describe('when reading a directory handle', () => {
  const src = createDirectoryHandleSource(fakeDir('sd15', { 'model_index.json': '{}', unet: { 'config.json': '{"a":1}' } }));

  it('lists nested files with "/" paths and reads them', async () => {
    expect(await src.list()).toEqual(['model_index.json', 'unet/config.json']);
    expect(new TextDecoder().decode(await src.read('unet/config.json'))).toBe('{"a":1}');
    expect(src.label).toBe('sd15');
  });

  it('names a file it cannot read', async () => {
    await expect(src.read('vae/config.json')).rejects.toThrow(/sd15: file "vae\/config.json" cannot be read/);
  });
});

describe('when reading a dropped file list', () => {
  it('uses the name when there is no relative path and says how many files there are', async () => {
    const src = createFileListSource([new File(['x'], 'model_index.json')]);
    expect(await src.list()).toEqual(['model_index.json']);
    await expect(src.read('unet/config.json')).rejects.toThrow(/"unet\/config.json" is not among the 1 dropped files/);
  });
});
