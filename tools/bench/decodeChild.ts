// One case of `npm run bench:decode` in its own process (spawned by tools/bench/decode.ts), so each peak RSS is
// that case's alone: reads the PNG file, runs the case once, prints one JSON line
// { case, ok, ms, message?, rssBeforeMB, rssAfterMB, arrayBuffersBeforeMB, arrayBuffersAfterMB, maxRssBeforeMB, maxRssMB,
// width?, height?, textKeys? }. "Before" is once the file is read; "after" is right after the case, with its result still
// held (so rssAfter − rssBefore is what the case costs the process then, live data and not yet collected garbage).
// maxRss is the process high-water mark: tsx's start-up already raises it above what one decode adds.
import { readFile } from 'node:fs/promises';
import { decodePng, readGenerationSettings, readPngText } from '../../src/diffusion/index';

const [kase = '', path = ''] = process.argv.slice(2);
const file = await readFile(path);
const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
const mb = (kb: number) => Math.round(kb / 1024);
const before = process.memoryUsage();
const rssBeforeMB = Math.round(before.rss / 2 ** 20);
const arrayBuffersBeforeMB = Math.round(before.arrayBuffers / 2 ** 20);
const maxRssBeforeMB = mb(process.resourceUsage().maxRSS);
const t = performance.now();
let out: Record<string, unknown>;
/** the decoded image, kept alive until the memory after the case is read */
let decoded: { data: Uint8Array } | undefined;
try {
  if (kase === 'decodePng') {
    const d = decodePng(bytes);
    decoded = d;
    out = { ok: true, width: d.width, height: d.height, textKeys: Object.keys(d.text) };
  } else if (kase === 'settings') {
    const s = readGenerationSettings(readPngText(bytes));
    out = { ok: true, seed: s?.seed, prompt: s?.prompt };
  } else throw new Error(`unknown case "${kase}"`);
} catch (e) {
  out = { ok: false, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
const ms = Math.round(performance.now() - t);
const after = process.memoryUsage();
const rssAfterMB = Math.round(after.rss / 2 ** 20);
const arrayBuffersAfterMB = Math.round(after.arrayBuffers / 2 ** 20);
const decodedMB = decoded ? Math.round(decoded.data.byteLength / 2 ** 20) : 0;
process.stdout.write(`${JSON.stringify({ case: kase, ...out, ms, decodedMB, rssBeforeMB, rssAfterMB, arrayBuffersBeforeMB, arrayBuffersAfterMB, maxRssBeforeMB, maxRssMB: mb(process.resourceUsage().maxRSS) })}\n`);
