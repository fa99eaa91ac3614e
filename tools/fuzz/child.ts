// One fuzz worker process (spawned by tools/fuzz.ts): runs cases [start, end) of one kind and prints one JSON line
// per case ({ i, outcome, ms, message? }) and a last line with its peak memory ({ done, maxRssMB, heapUsedMB }).
import { runCase } from './kinds';

const [kind = '', startText = '0', endText = '0', seedText = '1'] = process.argv.slice(2);
for (let i = Number(startText); i < Number(endText); i++) {
  process.stdout.write(`${JSON.stringify({ start: i })}\n`);
  const t = performance.now();
  const r = await runCase(kind, i, Number(seedText));
  process.stdout.write(`${JSON.stringify({ i, outcome: r.outcome, ms: Math.round(performance.now() - t), ...(r.message ? { message: r.message } : {}) })}\n`);
}
process.stdout.write(`${JSON.stringify({ done: true, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) })}\n`);
