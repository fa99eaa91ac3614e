// The layer rules of eslint.config.js, each proven by a fixture that must fail: every file in test/lint/fixtures/
// starts with "// lint-fixture: <path it pretends to be> <rule id>" and is linted as if it lived at that path (the
// normal `npm run lint` ignores the folder). A fixture must fail with its rule and with no other rule, so it fails
// for the stated reason. Then the tree itself must lint clean, exactly as `npm run lint` sees it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const dir = join(root, 'test/lint/fixtures');
const eslint = new ESLint({ cwd: root });

/** name → [pretended path, expected rule id, source] */
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const m = /^\/\/ lint-fixture: (\S+) (\S+)/.exec(text);
  if (!m) throw new Error(`${file}: first line must be "// lint-fixture: <path> <rule id>"`);
  return { file, path: m[1] as string, rule: m[2] as string, text };
});

describe('each layer rule rejects its fixture', () => {
  it('has fixtures for every kind of rule', () => {
    const kinds = new Set(fixtures.map((f) => f.rule));
    expect([...kinds].sort()).toEqual(['@typescript-eslint/no-restricted-imports', '@typescript-eslint/no-restricted-types', 'import-x/no-restricted-paths', 'no-restricted-globals', 'no-restricted-properties']);
  });
  it.each(fixtures)('$file fails as $path with $rule', async ({ path, rule, text }) => {
    const [result] = await eslint.lintText(text, { filePath: join(root, path) });
    const rules = (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules)).toEqual(new Set([rule]));
  });
});

describe('the tree', () => {
  // Lints the same folders as `npm run lint` (src test e2e): about 1–2 min of CPU on a loaded 2-core machine, so no
  // short limit; the test's limit is the suite's outer bound, not a speed target.
  it('lints clean', async () => {
    const results = await eslint.lintFiles(['src', 'test', 'e2e']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath.slice(root.length + 1)}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(errors).toEqual([]);
  }, 30 * 60_000);
});
