// FileSource: the one abstraction every model loader reads through, so the same loader works on a Node
// folder (node.ts), a browser directory handle or a dropped file list (browser.ts), and in-memory files.
// Pure interface plus the in-memory implementation; no fs, no DOM here. Paths are '/'-separated, relative.
import { GraphError, ModelAssetError, ModelFormatError, showValue } from '../../lib/errors';
import { isObject, parseJsonText } from '../../lib/schema';

/** A read-only tree of files. */
export interface FileSource {
  /** Shown in error messages, e.g. the folder path. */
  readonly label: string;
  /** Every file path under the root, '/'-separated, relative (e.g. "unet/config.json"). */
  list(): Promise<string[]>;
  /** The bytes of `path`. Throws ModelAssetError naming the path when it does not exist. */
  read(path: string): Promise<Uint8Array>;
}

/** A FileSource over a map (path → bytes), for tests and for files already in memory. */
export class MemoryFileSource implements FileSource {
  /** @param files path → bytes */
  constructor(
    private readonly files: ReadonlyMap<string, Uint8Array>,
    readonly label = 'memory',
  ) {}

  async list(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }

  async read(path: string): Promise<Uint8Array> {
    const bytes = this.files.get(path);
    if (!bytes) throw new ModelAssetError(`${this.label}: file "${path}" does not exist.`);
    return bytes;
  }
}

/** Reads a UTF-8 JSON file; throws ModelAssetError naming the file when it is not JSON. */
export async function readJson(src: FileSource, path: string): Promise<unknown> {
  const text = new TextDecoder().decode(await src.read(path));
  return parseJsonText(text, `${src.label}: "${path}"`, (m) => new ModelAssetError(`${m}.`));
}

/** Reads a UTF-8 JSON file that must hold an object (null, a list or a number are refused naming the file). */
export async function readJsonObject(src: FileSource, path: string): Promise<Record<string, unknown>> {
  const v = await readJson(src, path);
  if (!isObject(v)) throw new ModelAssetError(`${src.label}: "${path}" must hold a JSON object, got ${showValue(v)}.`);
  return v;
}

/** Reads a UTF-8 text file. */
export async function readText(src: FileSource, path: string): Promise<string> {
  return new TextDecoder().decode(await src.read(path));
}

/** Runs `f`, prefixing a ModelFormatError's or GraphError's message with the file it came from. */
export function withPath<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(e.reason, `${file}: ${e.message}`);
    if (e instanceof GraphError) {
      const named = new GraphError(`${file}: ${e.message}`);
      (named as { nodeName: string | undefined }).nodeName = e.nodeName;
      throw named;
    }
    throw e;
  }
}
