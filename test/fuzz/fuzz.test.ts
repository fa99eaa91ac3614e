// The seeded fuzz suite (tools/fuzz/kinds.ts): a few hundred mutated cases per input kind, each ending in a valid
// result or the project's typed error naming the file (where the reader is given one), never a raw TypeError,
// SyntaxError or RangeError. Deeper runs with a watchdog and memory figures: `npm run fuzz -- --cases N --json`.
import { describe, expect, it } from 'vitest';
import { parseProjectFile } from '../../src/state/projectFile';
import { KINDS, projectSeed, runCase } from '../../tools/fuzz/kinds';

/** cases per kind; the folder kind loads a whole (tiny) model per case, so it runs fewer */
const CASES: Record<string, number> = { folder: 120 };

describe('fuzz: every case ends in a valid result or a typed error naming the file', () => {
  it('the project seed itself is valid', () => {
    expect(() => parseProjectFile(JSON.stringify(projectSeed()))).not.toThrow();
  });

  // found by `npm run fuzz -- --cases 2000` (seed 1): configs the builders refuse (center_input_sample true, a
  // negative mid_block_scale_factor, a level too small to downsample) raised a GraphError naming no file
  it.each([630, 894, 1501])('folder case %i (from a deeper run) names its config file', async (i) => {
    const r = await runCase('folder', i);
    expect([r.outcome, r.message]).toEqual(['typed', undefined]);
  });

  it.each(Object.keys(KINDS))('%s', async (kind) => {
    const n = CASES[kind] ?? 250;
    const counts = { ok: 0, typed: 0, untyped: 0, unnamed: 0 };
    const failures: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await runCase(kind, i);
      counts[r.outcome]++;
      if (r.outcome === 'untyped' || r.outcome === 'unnamed') failures.push(`case ${i}: ${r.outcome} ${r.message}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(counts.ok + counts.typed).toBe(n);
    // the mutations must reach the readers' refusals (a suite of only valid cases would prove nothing)
    if (kind !== 'prompts') expect(counts.typed).toBeGreaterThan(n / 2);
  });
});
