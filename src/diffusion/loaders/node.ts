// Node-only FileSource over a folder on disk, and a writer for in-memory file maps. Never imported by browser
// code (it uses node:fs); tools, tests and CLIs import it directly. Files above 2 GB are read in chunks,
// because fs.readFile refuses them (SD 1.5's fp32 UNet is 3.4 GB).
import { mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelAssetError } from '../../lib/errors';
import { checkInsidePath } from '../../lib/paths';
import { CLIP_VOCABULARY_PATH } from '../text/clipVocabulary';
import type { FileSource } from './fileSource';

const CHUNK = 1 << 28;

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
}

/**
 * A FileSource over `root` (a folder). Throws ModelAssetError at first use when the folder does not exist, and
 * UnsafePathError for a path that is not a plain relative name inside it (src/lib/paths.ts): a manifest, index or
 * config inside the folder can name only files inside the folder. (Links inside the folder are followed: the
 * Hugging Face cache's snapshot folders are links to its blobs.)
 */
export function createNodeFileSource(root: string): FileSource {
  return {
    label: root,
    async list() {
      const isDir = await stat(root).then((s) => s.isDirectory(), () => false);
      if (!isDir) throw new ModelAssetError(`Model folder "${root}" does not exist or is not a folder.`);
      const out: string[] = [];
      await walk(root, root, out);
      return out.sort();
    },
    async read(path) {
      checkInsidePath(path, root, 'path');
      const full = join(root, ...path.split('/'));
      const handle = await open(full, 'r').catch(() => {
        throw new ModelAssetError(`${root}: file "${path}" does not exist or cannot be opened.`);
      });
      try {
        const size = (await handle.stat()).size;
        const bytes = new Uint8Array(size);
        for (let at = 0; at < size; ) {
          const { bytesRead } = await handle.read(bytes, at, Math.min(CHUNK, size - at), at);
          if (bytesRead === 0) throw new ModelAssetError(`${root}: "${path}" ended after ${at} of ${size} bytes.`);
          at += bytesRead;
        }
        return bytes;
      } finally {
        await handle.close();
      }
    },
  };
}

/** Writes path → bytes under `root`, creating folders. */
export async function writeFilesToFolder(root: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  for (const [path, bytes] of files) {
    const full = join(root, ...path.split('/'));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
  }
}

/** The CLIP vocabulary shipped in the repository's public/ (gzip bytes), for loadAnyModel's `clipVocabulary`. */
export async function readBundledClipVocabulary(): Promise<Uint8Array> {
  const path = fileURLToPath(new URL(`../../../public/${CLIP_VOCABULARY_PATH}`, import.meta.url));
  return new Uint8Array(await readFile(path).catch(() => {
    throw new ModelAssetError(`The shipped CLIP vocabulary "${path}" is missing; restore public/${CLIP_VOCABULARY_PATH} from the repository.`);
  }));
}

/** A FileSource holding just the one file at `path` (a single-file checkpoint picked on its own). */
export function createNodeSingleFileSource(path: string): FileSource {
  const dir = createNodeFileSource(dirname(path));
  const name = basename(path);
  return { label: dirname(path), list: async () => [name], read: (p) => dir.read(p) };
}
