// The two personalize CLI branches of training bundles (tools/personalize.ts): `--bundle <dir>` exports the prepared
// job instead of training in-process; `--import-bundle <dir> --model <folder> --out pack/` turns a bundle that a runner
// (run.mjs / run.py) has stepped into a concept pack folder. Prints one JSON line; errors propagate to the CLI.
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import { baseModelHash } from '../../src/train/pack/hash';
import type { PersonalizeJob } from '../../src/train/loop/job';
import { exportBundleToFolder, importBundleToFolder } from './exportToFolder';

const MB = 1 << 20;

/** Exports `job` into `dir` (and disposes the job); prints the file count and sizes. */
export async function bundleCommand(job: PersonalizeJob, dir: string, model: { name: string; hash: string }, settings: Record<string, string | number | boolean>): Promise<void> {
  try {
    const s = await exportBundleToFolder(job, dir, { baseModel: model, settings });
    const mb = (n: number) => Number((n / MB).toFixed(2));
    console.log(JSON.stringify({ bundle: dir, files: Object.keys(s.files).length, totalMB: mb(s.totalBytes), dataMB: mb(s.dataBytes), run: [`node ${dir}/run.mjs ${dir} --provider cuda`, `python3 ${dir}/run.py ${dir} --provider cuda`] }));
  } finally {
    await job.dispose();
  }
}

/** Reads the stepped bundle `dir`, checks it against the model folder, writes the pack into `out`. */
export async function importBundleCommand(dir: string, modelDir: string | undefined, out: string): Promise<void> {
  if (!modelDir) throw new Error('--import-bundle needs --model <the diffusers folder the bundle was exported from>');
  const src = createNodeFileSource(modelDir);
  const model = await loadDiffusersFolder(src);
  const pack = await importBundleToFolder(dir, { name: model.name, hash: await baseModelHash(src), unet: model.unet.weights }, out);
  console.log(JSON.stringify({ pack: out, concepts: pack.concepts.map((c) => c.token), deltas: pack.deltas.length, steps: pack.metadata.settings.steps }));
}
