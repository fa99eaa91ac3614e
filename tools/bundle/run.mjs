// Steps a DisenStudio training bundle (bundle.json) with onnxruntime-node: `node run.mjs <bundle dir> [--provider cpu|cuda]`.
// Same semantics as src/train/engine TrainingSession: fused step (or grads per micro-batch + update), state outputs
// fed back, a step whose `skipped` ≠ 0 or non-finite gradNorm keeps the old state and does not advance Adam's t.
// Writes result.safetensors (trained params) and losses.json. Never modifies the bundle's inputs. Self-contained:
// needs only onnxruntime-node (resolved next to this file or from the current folder: `npm i onnxruntime-node`).
import { lstat, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DTYPES = { F32: [Float32Array, 'float32'], I32: [Int32Array, 'int32'] };

/**
 * Why `path` is not a plain relative name inside its folder, or undefined: this runner's copy of src/lib/paths.ts
 * (unsafePathReason), checked against the same case table as the TypeScript and Python copies (test/lib/paths.test.ts).
 */
export function unsafePathReason(path) {
  if (typeof path !== 'string') return 'not a string';
  if (path.length === 0) return 'empty';
  if (path.length > 255) return 'longer than 255 characters';
  if (path.startsWith('/')) return 'absolute path';
  if (/[\\:*?"<>|\u0000-\u001f\u007f]/.test(path)) return 'holds a backslash, colon, wildcard, quote or control character';
  const segments = path.split('/');
  if (segments.length > 8) return 'more than 8 folders deep';
  for (const s of segments) {
    if (s === '') return 'empty segment';
    if (s === '.' || s === '..') return `"${s}" segment`;
    if (s.trim() !== s) return 'a segment starts or ends with a space';
  }
  return undefined;
}

/** `dir`/`path` after checking `path` (the manifest field `field`); throws naming the field, never reads the target. */
export function insidePath(dir, path, field) {
  const reason = unsafePathReason(path);
  const shown = typeof path === 'string' ? JSON.stringify(path.slice(0, 80)) : typeof path;
  if (reason) throw new Error(`${join(dir, 'bundle.json')}: "${field}" must be a plain relative file name inside the bundle (${reason}); got ${shown}. Nothing was read or written.`);
  const full = resolve(dir, ...path.split('/'));
  if (!full.startsWith(resolve(dir) + sep)) throw new Error(`${join(dir, 'bundle.json')}: "${field}" leaves the bundle folder`);
  return full;
}

/** Every path the manifest names, checked before anything is read or written; field → full path. */
export function manifestPaths(dir, m) {
  const out = { state: insidePath(dir, m.state, 'state'), 'result.file': insidePath(dir, m.result?.file, 'result.file'), 'result.losses': insidePath(dir, m.result?.losses, 'result.losses') };
  for (const [k, g] of Object.entries(m.graphs ?? {})) {
    out[`graphs.${k}.file`] = insidePath(dir, g?.file, `graphs.${k}.file`);
    if (g?.externalData !== undefined) insidePath(dir, g.externalData, `graphs.${k}.externalData`);
  }
  if (typeof m.data?.pattern !== 'string' || !m.data.pattern.includes('%04d')) throw new Error(`${join(dir, 'bundle.json')}: "data.pattern" must be a file name holding %04d`);
  insidePath(dir, m.data.pattern.replace('%04d', '0000'), 'data.pattern');
  return out;
}

/** Refuses to write through a link (a bundle unpacked from an archive may hold one pointing anywhere). */
async function writeInside(full, field, bytes) {
  const link = await lstat(full).then((s) => s.isSymbolicLink(), () => false);
  if (link) throw new Error(`${full} ("${field}") is a symbolic link; remove it, the runner writes only plain files inside the bundle`);
  await writeFile(full, bytes);
}

function loadOrt() {
  for (const base of [import.meta.url, join(process.cwd(), 'index.js')]) {
    try {
      return createRequire(base)('onnxruntime-node');
    } catch {
      /* try the next place */
    }
  }
  throw new Error('onnxruntime-node not found next to run.mjs or in the current folder; run `npm i onnxruntime-node` there');
}

/** safetensors: u64 LE header length, JSON header, raw little-endian data (huggingface/safetensors README). */
export function readSafetensors(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const out = {};
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const kind = DTYPES[h.dtype];
    if (!kind) throw new Error(`tensor "${name}" has dtype ${h.dtype}; bundles hold F32 and I32 only`);
    const [start, end] = h.data_offsets;
    const raw = bytes.slice(8 + n + start, 8 + n + end);
    out[name] = { dtype: kind[1], dims: h.shape, data: new kind[0](raw.buffer, raw.byteOffset, (end - start) / kind[0].BYTES_PER_ELEMENT) };
  }
  return out;
}

/** Writes float32 tensors (name → {dims, data}) as safetensors, names sorted, header padded to 8 bytes. */
export function writeSafetensors(tensors, metadata) {
  const names = Object.keys(tensors).sort();
  const header = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    header[name] = { dtype: 'F32', shape: t.dims, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const name of names) {
    const d = Float32Array.from(tensors[name].data);
    out.set(new Uint8Array(d.buffer), at);
    at += d.byteLength;
  }
  return out;
}

function parseArgs(argv) {
  const dir = argv.find((a) => !a.startsWith('--'));
  const i = argv.indexOf('--provider');
  const provider = i >= 0 ? argv[i + 1] : 'cpu';
  if (!dir || !['cpu', 'cuda'].includes(provider)) throw new Error('usage: node run.mjs <bundle dir> [--provider cpu|cuda]');
  return { dir, provider };
}

/** One optimizer step: fused, or grads per micro-batch (acc fed back, zeros first) then update. */
async function stepOnce(ctx, state, batch, hyper) {
  const { m, phases, tensor, pick } = ctx;
  const value = (out, name) => Number(out[name].data[0]);
  if (m.plan === 'fused') {
    const out = await phases[0].s.run(pick(phases[0], { ...(await batch(0)), ...state, ...hyper }));
    return { out, losses: [value(out, m.outputs.loss)] };
  }
  const [grads, update] = phases;
  const paramOf = (accName) => state[accName.slice(accName.indexOf('/') + 1)];
  let acc = Object.fromEntries(Object.keys(grads.g.state).map((k) => [k, tensor({ dtype: 'float32', dims: paramOf(k).dims, data: new Float32Array(paramOf(k).size) })]));
  const losses = [];
  for (let micro = 0; micro < m.accumulation; micro++) {
    const g = await grads.s.run(pick(grads, { ...(await batch(micro)), ...state, ...acc }));
    acc = Object.fromEntries(Object.entries(grads.g.state).map(([i, o]) => [i, g[o]]));
    losses.push(value(g, m.outputs.loss));
  }
  const gradFeeds = Object.fromEntries(Object.entries(m.gradInputs).map(([gradIn, accName]) => [gradIn, acc[accName]]));
  return { out: await update.s.run(pick(update, { ...state, ...gradFeeds, ...hyper })), losses };
}

/** Loads the bundle's sessions and state; `pick` takes a session's declared inputs from a pool of feeds. */
async function openBundle(ort, dir, provider) {
  const m = JSON.parse(await readFile(join(dir, 'bundle.json'), 'utf8'));
  if (m.format !== 'disenstudio-train-bundle' || m.version !== 1) throw new Error(`${dir}/bundle.json is not a version-1 disenstudio-train-bundle`);
  const paths = manifestPaths(dir, m);
  const tensor = (t) => new ort.Tensor(t.dtype, t.data, t.dims);
  const options = { executionProviders: provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'] };
  const open = async (k) => ({ g: m.graphs[k], s: await ort.InferenceSession.create(paths[`graphs.${k}.file`], options) });
  const phases = m.plan === 'fused' ? [await open('step')] : [await open('grads'), await open('update')];
  const state = Object.fromEntries(Object.entries(readSafetensors(await readFile(paths.state))).map(([k, t]) => [k, tensor(t)]));
  const pick = (p, pool) => Object.fromEntries(p.s.inputNames.map((n) => {
    if (!pool[n]) throw new Error(`${p.g.file}: no feed for input "${n}" (state, data or hyper-parameter missing)`);
    return [n, pool[n]];
  }));
  return { ctx: { m, phases, tensor, pick, paths }, state };
}

async function main() {
  const { dir, provider } = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const { ctx, state } = await openBundle(ort, dir, provider);
  const { m, phases, tensor, paths } = ctx;
  const scalar = (v) => new ort.Tensor('float32', Float32Array.of(v), []);
  const report = { appliedSteps: 0, skippedSteps: 0, losses: [], provider };
  for (let step = 0; step < m.steps; step++) {
    const hyper = { [m.hyper.lr]: scalar(m.lrSchedule.value), [m.hyper.step]: scalar(report.appliedSteps + 1) };
    const batch = async (micro) => {
      const file = m.data.pattern.replace('%04d', String(step * m.accumulation + micro).padStart(4, '0'));
      return Object.fromEntries(Object.entries(readSafetensors(await readFile(insidePath(dir, file, 'data.pattern')))).map(([k, t]) => [k, tensor(t)]));
    };
    const { out, losses } = await stepOnce(ctx, state, batch, hyper);
    const gradNorm = Number(out[m.outputs.gradNorm].data[0]);
    if (Number(out[m.outputs.skipped].data[0]) !== 0 || !Number.isFinite(gradNorm)) report.skippedSteps++;
    else {
      for (const [i, o] of Object.entries(phases[phases.length - 1].g.state)) state[i] = out[o];
      report.appliedSteps++;
    }
    report.losses.push(losses.reduce((a, b) => a + b, 0) / losses.length);
    const line = `step ${step + 1}/${m.steps} loss ${report.losses[step].toFixed(4)} gradNorm ${gradNorm.toFixed(4)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
    else if ((step + 1) % Math.max(1, Math.floor(m.steps / 10)) === 0) process.stderr.write(`${line}\n`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const params = Object.fromEntries(m.params.map((p) => [p, { dims: [...state[p].dims], data: state[p].data }]));
  await writeInside(paths['result.file'], 'result.file', writeSafetensors(params, { appliedSteps: String(report.appliedSteps), provider }));
  await writeInside(paths['result.losses'], 'result.losses', new TextEncoder().encode(JSON.stringify(report, null, 2)));
  console.log(JSON.stringify({ result: paths['result.file'], appliedSteps: report.appliedSteps, skippedSteps: report.skippedSteps }));
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) main().catch((e) => {
  console.error(`run.mjs: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
