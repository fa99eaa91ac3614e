// Deeper fuzz runs than the unit suite (test/fuzz): `npm run fuzz -- --cases N [--kind bundle,pack,…] [--seed S]
// [--timeout-ms 5000] [--memory-mb 2048] [--json]`. Each kind runs in child processes (tools/fuzz/child.ts) under a
// per-case watchdog and a heap limit: a case that runs past the timeout is killed and recorded as a hang, a child
// that dies (out of memory, crash) is recorded as a crash, and the run goes on with the next case. Prints per kind
// the outcome counts, the slowest case, peak RSS and every failing case (replay one with the same --seed).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { KINDS } from './fuzz/kinds';

const { values: a } = parseArgs({
  options: { cases: { type: 'string', default: '1000' }, kind: { type: 'string' }, seed: { type: 'string', default: '1' }, 'timeout-ms': { type: 'string', default: '5000' }, 'memory-mb': { type: 'string', default: '2048' }, json: { type: 'boolean', default: false } },
});
const cases = Number(a.cases);
const timeoutMs = Number(a['timeout-ms']);
const kinds = a.kind ? a.kind.split(',') : Object.keys(KINDS);
for (const k of kinds) if (!KINDS[k]) throw new Error(`unknown kind "${k}"; kinds: ${Object.keys(KINDS).join(', ')}`);

type Report = { kind: string; cases: number; ok: number; typed: number; untyped: number; unnamed: number; hang: number; crash: number; slowestMs: number; slowestCase: number; maxRssMB: number; seconds: number; failures: string[] };

/** Runs cases [from, cases) in one child; resolves with the index to resume from (cases when finished). */
function runChild(kind: string, from: number, r: Report): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${a['memory-mb']}`, '--import', 'tsx', 'tools/fuzz/child.ts', kind, String(from), String(cases), String(a.seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let current = from;
    let buffer = '';
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        r.hang++;
        r.failures.push(`case ${current}: hang (over ${timeoutMs} ms)`);
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as { start?: number; i?: number; outcome?: keyof Report; ms?: number; message?: string; done?: boolean; maxRssMB?: number };
        buffer = buffer.slice(nl + 1);
        if (line.start !== undefined) {
          current = line.start;
          arm();
        } else if (line.i !== undefined && line.outcome) {
          (r[line.outcome] as number)++;
          if ((line.ms ?? 0) > r.slowestMs) [r.slowestMs, r.slowestCase] = [line.ms ?? 0, line.i];
          if (line.outcome === 'untyped' || line.outcome === 'unnamed') r.failures.push(`case ${line.i}: ${line.outcome} ${line.message}`);
          current = line.i + 1;
        } else if (line.done) {
          finished = true;
          r.maxRssMB = Math.max(r.maxRssMB, line.maxRssMB ?? 0);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (finished) return resolve(cases);
      if (signal !== 'SIGKILL') {
        r.crash++;
        r.failures.push(`case ${current}: child died (${signal ?? `exit ${code}`})`);
      }
      resolve(current + 1);
    });
  });
}

const reports: Report[] = [];
for (const kind of kinds) {
  const r: Report = { kind, cases, ok: 0, typed: 0, untyped: 0, unnamed: 0, hang: 0, crash: 0, slowestMs: 0, slowestCase: -1, maxRssMB: 0, seconds: 0, failures: [] };
  const t = performance.now();
  for (let from = 0; from < cases; ) from = await runChild(kind, from, r);
  r.seconds = Number(((performance.now() - t) / 1000).toFixed(1));
  reports.push(r);
  if (!a.json) console.log(`${kind}: ${r.ok} ok, ${r.typed} typed, ${r.untyped} untyped, ${r.unnamed} unnamed, ${r.hang} hangs, ${r.crash} crashes; slowest case ${r.slowestCase} ${r.slowestMs} ms; peak RSS ${r.maxRssMB} MB; ${r.seconds} s${r.failures.length ? `\n  ${r.failures.slice(0, 10).join('\n  ')}` : ''}`);
}
const failed = reports.reduce((n, r) => n + r.untyped + r.unnamed + r.hang + r.crash, 0);
if (a.json) console.log(JSON.stringify({ seed: Number(a.seed), timeoutMs, memoryMB: Number(a['memory-mb']), failed, kinds: reports }));
process.exitCode = failed > 0 ? 1 : 0;
