// The one rule for every path written inside a bundle, pack or project file: a plain relative name inside its
// folder. '/'-separated segments of printable characters; no absolute path, drive letter, URL scheme, backslash,
// empty, '.' or '..' segment, control character; at most MAX_PATH_LENGTH characters and MAX_PATH_DEPTH segments.
// The self-contained bundle runners (tools/bundle/run.mjs, tools/bundle/run.py) carry a copy of this rule in their
// own language; test/lib/paths.test.ts runs the same case table (test/fixtures/paths/cases.json) through all three.
import { UnsafePathError } from './errors';

export const MAX_PATH_LENGTH = 255;
export const MAX_PATH_DEPTH = 8;
/** characters a segment may not hold: separators and what Windows, URLs or shells treat specially */
const FORBIDDEN = /[\\:*?"<>|\u0000-\u001f\u007f]/;

/** Why `path` is not a plain relative name inside its folder, or undefined when it is one. */
export function unsafePathReason(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'not a string';
  if (path.length === 0) return 'empty';
  if (path.length > MAX_PATH_LENGTH) return `longer than ${MAX_PATH_LENGTH} characters`;
  if (path.startsWith('/')) return 'absolute path';
  if (FORBIDDEN.test(path)) return 'holds a backslash, colon, wildcard, quote or control character';
  const segments = path.split('/');
  if (segments.length > MAX_PATH_DEPTH) return `more than ${MAX_PATH_DEPTH} folders deep`;
  for (const s of segments) {
    if (s === '') return 'empty segment';
    if (s === '.' || s === '..') return `"${s}" segment`;
    if (s.trim() !== s) return 'a segment starts or ends with a space';
  }
  return undefined;
}

/**
 * `path` itself when it is a plain relative name inside its folder.
 * @param file the file that holds the path (e.g. "bundle/bundle.json"), named in the error
 * @param field the field that holds it (e.g. "result.file"), named in the error
 * @throws UnsafePathError naming file and field
 */
export function checkInsidePath(path: unknown, file: string, field: string): string {
  const reason = unsafePathReason(path);
  if (reason !== undefined) throw new UnsafePathError(file, field, reason, path);
  return path as string;
}
