// Test helper: writes the random-weight tiny diffusers folder into a fresh temp dir (once per seed/variant per
// test file) and loads it. Shared by the loader and pipeline tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeFileSource, writeFilesToFolder } from '../../../src/diffusion/loaders/node';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import type { TinyFolderOptions } from '../../../src/diffusion/loaders/writeDiffusersFolder';

/** Writes a tiny folder (optionally edited) to a temp dir; returns its path and a cleanup. */
export async function tinyFolderOnDisk(o: TinyFolderOptions = {}, edit?: (files: Map<string, Uint8Array>) => void): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'disen-tiny-'));
  const files = writeDiffusersFolder(o);
  edit?.(files);
  await writeFilesToFolder(dir, files);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes and loads the tiny folder. */
export async function loadTiny(o: TinyFolderOptions = {}): Promise<LoadedModel> {
  const { dir, cleanup } = await tinyFolderOnDisk(o);
  try {
    return await loadDiffusersFolder(createNodeFileSource(dir));
  } finally {
    await cleanup();
  }
}
