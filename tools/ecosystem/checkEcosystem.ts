// `npm run check:ecosystem [-- --json] [--rank 8] [--out DIR]`: writes the studio's export files for an SD 1.5-shaped
// pack with random weights and for a default-model pack (exportsForCheck.ts), then loads every file with
// AUTOMATIC1111's, ComfyUI's and diffusers' own loader code (check_ecosystem.py on /usr/bin/python3 with torch; peer
// sources from the bare git dirs under /work/.mirror or A1111_GIT / COMFYUI_GIT / DIFFUSERS_GIT) and prints per
// peer × file: loaded, keys mapped, max weight error (a table, or JSON with --json). Exit 1 when not all green.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCheckExports } from './exportsForCheck';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const rank = Number(opt('--rank') ?? '8');
  if (!Number.isInteger(rank) || rank < 1) throw new Error(`--rank must be a positive integer (got ${opt('--rank')})`);
  const out = opt('--out') ?? mkdtempSync(join(tmpdir(), 'disenstudio-ecosystem-'));
  const studio = await writeCheckExports(out, rank);
  if (!args.includes('--json')) console.log(`export files in ${out} (LoRA rank ${rank})`);
  const py = spawnSync(process.env.PYTHON_TORCH ?? '/usr/bin/python3', [join(import.meta.dirname, 'check_ecosystem.py'), out, ...(args.includes('--json') ? ['--json'] : [])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (py.error) throw new Error(`cannot run ${process.env.PYTHON_TORCH ?? '/usr/bin/python3'}: ${py.error.message} (needs Python 3 with torch and numpy)`);
  if (py.status !== 0 && !py.stdout.trim()) throw new Error(`check_ecosystem.py failed (exit ${py.status}): ${py.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  if (args.includes('--json')) {
    const report = JSON.parse(py.stdout) as Record<string, unknown>;
    console.log(JSON.stringify({ ...report, rank, studioReport: studio }, null, 1));
  } else process.stdout.write(py.stdout);
  if (py.stderr && py.status !== 0) process.stderr.write(py.stderr.split('\n').slice(-5).join('\n'));
  process.exit(py.status ?? 1);
}

main().catch((e: unknown) => {
  console.error(`check:ecosystem: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
