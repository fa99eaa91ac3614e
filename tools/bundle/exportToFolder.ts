// Node side of training bundles: exportBundle into a folder plus the two runner scripts (run.mjs, run.py) copied
// from this folder, and importing a stepped bundle folder as a concept pack folder. Used by tools/personalize.ts
// (--bundle, --import-bundle) and test/train/bundle. Never steps a graph itself.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeFileSource, writeFilesToFolder } from '../../src/diffusion/loaders/node';
import type { PersonalizeJob } from '../../src/train/loop/job';
import { exportBundle } from '../../src/train/bundle/exportBundle';
import type { BundleSummary, ExportBundleInfo } from '../../src/train/bundle/exportBundle';
import { importBundleResult } from '../../src/train/bundle/importBundle';
import type { BundleBase } from '../../src/train/bundle/importBundle';
import { encodePack } from '../../src/train/pack/io';
import type { ConceptPack, FileSink } from '../../src/train/pack/types';

export const RUNNERS = ['run.mjs', 'run.py'] as const;
const HERE = dirname(fileURLToPath(import.meta.url));

/** A FileSink writing straight to disk (no whole-bundle buffer: SD 1.5 data is hundreds of MB). */
export function folderSink(root: string): FileSink {
  return {
    label: root,
    async write(path, bytes) {
      const full = join(root, ...path.split('/'));
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, bytes);
    },
  };
}

/** exportBundle into `dir` plus the runners; sizes include them. */
export async function exportBundleToFolder(job: PersonalizeJob, dir: string, info: ExportBundleInfo): Promise<BundleSummary> {
  const summary = await exportBundle(job, folderSink(dir), info);
  for (const r of RUNNERS) await copyFile(join(HERE, r), join(dir, r));
  return summary;
}

/** Reads a stepped bundle folder and writes its pack (pack.json + weights.safetensors) into `out`. */
export async function importBundleToFolder(dir: string, base: BundleBase, out: string): Promise<ConceptPack> {
  const pack = await importBundleResult(createNodeFileSource(dir), base);
  await writeFilesToFolder(out, encodePack(pack));
  return pack;
}
