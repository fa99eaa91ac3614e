// `npm run bench:disentangle:compare -- a.json b.json … [--reference NAME] [--json]`: pools the per-scene figures
// of several bench:disentangle runs (one file per run, or an archive { runs: [...] } as in docs/benchmarks) and
// compares every variant with the reference variant (default: the baseline) cell by cell, a cell being one
// (training seed, scene); files re-scored by bench:disentangle:pixels add the pixel-share figures. Per figure: both means over the shared cells, the mean difference and its 95% cluster-
// bootstrap interval over scenes (src/train/loop/disentanglement.ts pairedComparison; 2000 draws, Rng seed 1).
// A difference is called "lower"/"higher" only when the interval excludes 0. Runs must share steps, lr, λ, images
// per prompt and generation settings; the tool refuses to pool runs that differ. A cell seen twice keeps the last.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/lib/random';
import { pairedComparison } from '../../src/train/loop/disentanglement';
import type { Cell } from '../../src/train/loop/disentanglement';

type PerScene = { scene: number; imageAlignment: number | null; combined: number | null; leakage: (number | null)[]; own: (number | null)[]; noObject?: number; pixel?: { leakage: number; own: number } };
type Run = { settings: Record<string, unknown> & { seed: number }; variants: { variant: string; lambda: number | null; maskAttentionWeight?: number | null; perScene?: PerScene[] }[] };

/** The figures compared, read from one perScene entry. */
const FIGURES: Record<string, (p: PerScene) => number | null | undefined> = {
  imageAlignment: (p) => p.imageAlignment,
  combinedAlignment: (p) => p.combined,
  leakageAttribute: (p) => p.leakage[1],
  leakageSimilarity: (p) => p.leakage[0],
  ownAttribute: (p) => p.own[1],
  ownSimilarity: (p) => p.own[0],
  // in runs of bench:disentangle since 2026-11-28, or after bench:disentangle:pixels re-scored a run's contact sheets
  pixelLeakage: (p) => p.pixel?.leakage,
  pixelOwn: (p) => p.pixel?.own,
};
/** Settings that must agree between pooled runs. */
const SHARED = ['steps', 'lr', 'images', 'genSteps', 'cfg', 'regCount', 'regSteps', 'model'];

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

async function runsOf(path: string): Promise<Run[]> {
  const d = JSON.parse(await readFile(path, 'utf8')) as Run | { runs: Run[] };
  return 'runs' in d ? d.runs : [d];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { reference: { type: 'string', default: 'baseline (no calibration)' }, json: { type: 'boolean', default: false } } });
  if (!positionals.length) throw new Error('give one or more bench:disentangle JSON files');
  const runs = (await Promise.all(positionals.map(runsOf))).flat().filter((r) => r.variants.some((v) => v.perScene));
  const first = runs[0];
  if (!first) throw new Error('no run in these files has per-scene figures (perScene)');
  for (const r of runs) {
    const differs = SHARED.filter((k) => JSON.stringify(r.settings[k]) !== JSON.stringify(first.settings[k]));
    if (differs.length) throw new Error(`runs differ in ${differs.join(', ')} (seed ${r.settings.seed} vs seed ${first.settings.seed}); pool only comparable runs`);
  }
  // variant name (λ) → figure → cells
  const table = new Map<string, Map<string, Map<string, Cell>>>();
  for (const r of runs) {
    for (const v of r.variants) {
      // runs before --mask-attention existed used λ_attn 0.01: the name shows λ_attn only when it differs
      const attn = v.maskAttentionWeight ?? 0.01;
      const weights = [v.lambda === null ? '' : `λ ${v.lambda}`, attn === 0.01 ? '' : `λ_attn ${attn}`].filter(Boolean).join(', ');
      const name = weights ? `${v.variant} (${weights})` : v.variant;
      const byFigure = table.get(name) ?? new Map<string, Map<string, Cell>>();
      table.set(name, byFigure);
      for (const p of v.perScene ?? []) {
        for (const [f, get] of Object.entries(FIGURES)) {
          const value = get(p);
          if (value === null || value === undefined) continue;
          const cells = byFigure.get(f) ?? new Map<string, Cell>();
          byFigure.set(f, cells);
          cells.set(`${r.settings.seed}:${p.scene}`, { seed: r.settings.seed, scene: p.scene, value });
        }
      }
    }
  }
  const refName = [...table.keys()].find((k) => k.startsWith(values.reference as string));
  if (!refName) throw new Error(`no variant named "${values.reference}"; have ${[...table.keys()].join(', ')}`);
  const ref = table.get(refName) as Map<string, Map<string, Cell>>;
  const comparisons = [...table.entries()].filter(([name]) => name !== refName).map(([name, byFigure]) => ({
    variant: name,
    seeds: [...new Set([...(byFigure.get('imageAlignment')?.values() ?? [])].map((c) => c.seed))].sort(),
    figures: Object.fromEntries(Object.keys(FIGURES).map((f) => {
      const rng = new Rng(1);
      const c = pairedComparison([...(byFigure.get(f)?.values() ?? [])], [...(ref.get(f)?.values() ?? [])], () => rng.uniform());
      if (!c) return [f, null];
      const verdict = c.interval[1] < 0 ? 'lower' : c.interval[0] > 0 ? 'higher' : 'no clear difference';
      return [f, { cells: c.cells, scenes: c.scenes, variant: round(c.meanA), reference: round(c.meanB), difference: round(c.difference), interval95: c.interval.map(round), verdict }];
    })),
  }));
  const report = { bench: 'disentangle:compare', reference: refName, files: positionals, runs: runs.length, settings: Object.fromEntries(SHARED.map((k) => [k, first.settings[k]])), comparisons };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const c of comparisons) {
      console.log(`${c.variant} vs ${refName} (seeds ${c.seeds.join(', ')}):${Object.values(c.figures).some(Boolean) ? '' : ' no shared (seed, scene) cell'}`);
      for (const [f, x] of Object.entries(c.figures)) if (x) console.log(`  ${f}: ${x.variant} vs ${x.reference}, Δ ${x.difference} [${x.interval95.join(', ')}] ${x.verdict} (${x.cells} cells, ${x.scenes} scenes)`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(`bench:disentangle:compare: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
