// Browser FileSources: a directory handle (File System Access API: showDirectoryPicker(), or OPFS via
// navigator.storage.getDirectory()) and a dropped / <input webkitdirectory> file list. Reads files lazily.
// No fs, no onnxruntime; DOM types only (structural, so Node type-checks it). Reference: WHATWG File System.
import { ModelAssetError } from '../../lib/errors';
import type { FileSource } from './fileSource';
import { fastKey, readThrough } from './weightCache';
import type { WeightCache } from './weightCache';

/** Optional weight cache of a browser source (OPFS: workers/opfsCache.ts); warnings say why a file was not cached. */
export type SourceCache = { cache: WeightCache; onWarning?: (message: string) => void };

/** The parts of FileSystemDirectoryHandle used here. */
export type DirectoryHandleLike = {
  readonly name: string;
  readonly kind: 'directory';
  values(): AsyncIterable<DirectoryHandleLike | FileHandleLike>;
  getDirectoryHandle(name: string): Promise<DirectoryHandleLike>;
  getFileHandle(name: string): Promise<FileHandleLike>;
};
export type FileHandleLike = { readonly name: string; readonly kind: 'file'; getFile(): Promise<Blob> };

async function walk(dir: DirectoryHandleLike, prefix: string, out: string[]): Promise<void> {
  for await (const entry of dir.values()) {
    if (entry.kind === 'directory') await walk(entry, `${prefix}${entry.name}/`, out);
    else out.push(`${prefix}${entry.name}`);
  }
}

/** Bytes of a file, through the cache (keyed by label, path, size and lastModified) when one is given. */
async function readBlob(blob: Blob, label: string, path: string, cache: SourceCache | undefined): Promise<Uint8Array> {
  const read = async () => new Uint8Array(await blob.arrayBuffer());
  if (!cache || blob.size < cache.cache.minBytes) return read();
  const key = fastKey(label, path, { size: blob.size, lastModified: (blob as Partial<File>).lastModified ?? 0 });
  return readThrough(cache.cache, key, read, cache.onWarning);
}

/** A FileSource over a directory handle; `label` defaults to the folder name; `cache` keeps large files in OPFS. */
export function createDirectoryHandleSource(root: DirectoryHandleLike, label = root.name, cache?: SourceCache): FileSource {
  return {
    label,
    async list() {
      const out: string[] = [];
      await walk(root, '', out);
      return out.sort();
    },
    async read(path) {
      const parts = path.split('/');
      const fileName = parts.pop() as string;
      try {
        let dir = root;
        for (const p of parts) dir = await dir.getDirectoryHandle(p);
        const blob = await (await dir.getFileHandle(fileName)).getFile();
        return await readBlob(blob, label, path, cache);
      } catch (e) {
        throw new ModelAssetError(`${label}: file "${path}" cannot be read (${e instanceof Error ? e.message : String(e)}).`);
      }
    },
  };
}

/**
 * A FileSource over files from a folder drop or `<input webkitdirectory>`: paths are `webkitRelativePath`
 * without the picked folder's own name (falling back to `name`).
 */
export function createFileListSource(files: Iterable<File>, label = 'dropped folder', cache?: SourceCache): FileSource {
  const byPath = new Map<string, File>();
  for (const f of files) {
    const rel = f.webkitRelativePath || f.name;
    byPath.set(rel.includes('/') ? rel.slice(rel.indexOf('/') + 1) : rel, f);
  }
  return {
    label,
    async list() {
      return [...byPath.keys()].sort();
    },
    async read(path) {
      const f = byPath.get(path);
      if (!f) throw new ModelAssetError(`${label}: file "${path}" is not among the ${byPath.size} dropped files.`);
      return readBlob(f, label, path, cache);
    },
  };
}
