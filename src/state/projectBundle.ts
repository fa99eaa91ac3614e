// The project archive: project.json (the project file of projectFile.ts) plus the trained concept packs in use
// (packs/<n>/pack.json, weights.safetensors) and a README, so trained concepts travel with their project. Pure:
// building the file list and splitting one back; the persistence slice does the engine and archive calls.
// Reference: the studio's persistence and export, src/train/pack/io.ts (pack folder).
import type { PackFiles } from './ports';

export const BUNDLE_PROJECT = 'project.json';
export const BUNDLE_README = 'README.txt';
/** Packs carried at most (a project has a few concepts; each pack teaches one or more). */
export const MAX_BUNDLE_PACKS = 32;

const README = `DisenStudio project with its trained concepts.

project.json    the project: reference image, concepts (token, class word, colour), masks, training and
                generation settings.
packs/<n>/      the concept packs in use when it was exported: pack.json (tokens, class words, base model)
                and weights.safetensors (token embeddings and cross-attention K/V changes).

Open it in DisenStudio with "Import project…" (the trained concepts are usable at once), or use a pack on
its own: npm run generate -- --model <the base model folder> --pack packs/1 --prompt "..."
`;

/** The archive's files: project.json, packs/<n>/<file> (n from 1), README.txt. */
export function bundleFiles(projectJson: string, packs: readonly PackFiles[]): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>([[BUNDLE_PROJECT, enc.encode(projectJson)]]);
  packs.forEach((pack, i) => Object.entries(pack).forEach(([name, bytes]) => files.set(`packs/${i + 1}/${name}`, bytes)));
  files.set(BUNDLE_README, enc.encode(README));
  return files;
}

/** A ZIP's first bytes (local file header "PK\x03\x04"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * project.json's text and the packs of an archive's files, in folder order.
 * @throws Error naming `name` when project.json is missing, a file sits outside packs/<n>/, or there are too many packs
 */
export function splitBundle(files: ReadonlyMap<string, Uint8Array>, name: string): { projectJson: string; packs: PackFiles[] } {
  const project = files.get(BUNDLE_PROJECT);
  if (!project) throw new Error(`${name}: no ${BUNDLE_PROJECT} inside; this is not a DisenStudio project archive`);
  const packs = new Map<number, Record<string, Uint8Array>>();
  for (const [path, bytes] of files) {
    if (path === BUNDLE_PROJECT || path === BUNDLE_README) continue;
    const m = /^packs\/([1-9]\d{0,2})\/([^/]+)$/.exec(path);
    if (!m) throw new Error(`${name}: "${path}" is not project.json, README.txt or a file of packs/<n>/`);
    const n = Number(m[1]);
    if (!packs.has(n) && packs.size >= MAX_BUNDLE_PACKS) throw new Error(`${name}: more than ${MAX_BUNDLE_PACKS} concept packs`);
    packs.set(n, { ...packs.get(n), [m[2]!]: bytes });
  }
  return { projectJson: new TextDecoder('utf-8', { fatal: false }).decode(project), packs: [...packs.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p) };
}
