// The input kinds the fuzz suite attacks, each with a valid seed, its mutations, and the reader the studio or a CLI
// runs on it. A case ends `ok` (the reader accepted it), `typed` (a StudioError whose message names one of the
// kind's files), or a failure: `untyped` (any other throw: TypeError, SyntaxError, RangeError…) or `unnamed` (a typed
// error that does not say which file). Pure apart from reading one committed ONNX fixture; no network, no disk writes.
import { readFileSync } from 'node:fs';
import { StudioError } from '../../src/lib/errors';
import { Rng } from '../../src/lib/random';
import { MemoryFileSource, withPath } from '../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder, readTokenizer } from '../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../src/diffusion/loaders/writeDiffusersFolder';
import { readSafetensors, writeSafetensors } from '../../src/diffusion/weights/safetensors';
import { decodePng, encodePng, readPngText } from '../../src/diffusion/image/png';
import { readGenerationSettings } from '../../src/diffusion/image/generationPng';
import { parseInfotext } from '../../src/diffusion/image/infotext';
import { expandConceptTokens, parseConceptTokens } from '../../src/diffusion/text/prompt';
import { decodeModel, validateModel } from '../../src/onnx/index';
import { readBundleResult, readManifest } from '../../src/train/bundle/importBundle';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/train/loop/checkpoints';
import { encodePack, loadPack } from '../../src/train/pack/io';
import { parseProjectFile, toProjectFile } from '../../src/state/projectFile';
import { initialStudioData } from '../../src/state/initialState';
import { BYTE_MUTATIONS, mutateJsonText } from './mutate';

export type Outcome = 'ok' | 'typed' | 'untyped' | 'unnamed';
export type FuzzKind = {
  /** makes one case from `rng` and runs the reader on it */
  run(rng: Rng): Promise<void>;
  /** labels one of which a typed error must name; null: the reader gets bytes only and names no file */
  names: readonly string[] | null;
};

const enc = (s: string) => new TextEncoder().encode(s);
const f32 = (n: number, v = 0.5) => new Float32Array(n).fill(v);

/** Mutates one file of `files` (JSON files as JSON, others as bytes) and returns the new map. */
function mutateFolder(files: ReadonlyMap<string, Uint8Array>, rng: Rng, pick?: readonly string[]): Map<string, Uint8Array> {
  const out = new Map(files);
  const path = rng.pick(pick ?? [...files.keys()]);
  const bytes = files.get(path) as Uint8Array;
  if (rng.int(0, 9) === 0) out.delete(path);
  else if (path.endsWith('.json')) out.set(path, enc(mutateJsonText(JSON.parse(new TextDecoder().decode(bytes)), rng)));
  else out.set(path, rng.pick(Object.values(BYTE_MUTATIONS))(bytes, rng));
  return out;
}

function bundleFiles(): Map<string, Uint8Array> {
  const manifest = {
    format: 'disenstudio-train-bundle', version: 1, plan: 'fused',
    graphs: { step: { file: 'train_step.onnx', inputs: ['x'], outputs: ['loss'], state: { w: 'w_out' } } },
    params: ['w'], slots: ['m', 'v'], outputs: { loss: 'loss', gradNorm: 'gradNorm', skipped: 'skipped' }, hyper: { lr: 'lr', step: 'step' },
    lrSchedule: { kind: 'constant', value: 1e-3 }, optimizer: { kind: 'adamw', weightDecay: 0 }, steps: 2, accumulation: 1, batchSize: 1,
    data: { pattern: 'data/batch_%04d.safetensors', count: 2, inputs: [] }, state: 'state.safetensors', baseModel: { name: 'tiny', hash: 'abc123' },
    concepts: [{ token: '<c1>', classWord: 'cat' }], result: { file: 'result.safetensors', losses: 'losses.json', toPack: '' }, settings: {},
  };
  const w = (v: number) => writeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: f32(4, v) }, 'm/w': { dtype: 'F32', shape: [2, 2], data: f32(4, 0) } });
  return new Map([
    ['bundle.json', enc(JSON.stringify(manifest))],
    ['state.safetensors', w(0.1)],
    ['result.safetensors', w(0.2)],
    ['losses.json', enc(JSON.stringify({ appliedSteps: 2, skippedSteps: 0, losses: [1, 0.5], provider: 'cpu' }))],
  ]);
}

function packFiles(): Map<string, Uint8Array> {
  return encodePack({
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'tiny', hash: 'abc' }, createdAt: '2026-01-01T00:00:00Z', settings: { steps: 2 } },
    concepts: [{ token: '<c1>', classWord: 'cat', embedding: f32(4) }],
    deltas: [{ name: 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight', shape: [2, 2], delta: f32(4) }],
  });
}

const tinyFolder = writeDiffusersFolder({ seed: 1 });
const FOLDER_JSON = [...tinyFolder.keys()].filter((p) => p.endsWith('.json'));

/** A valid project file (the seed every project case mutates). */
export function projectSeed(): unknown {
  const f = toProjectFile(initialStudioData());
  const ops = [{ kind: 'stroke', mode: 'add', radius: 12, points: [{ x: 1, y: 1 }, { x: 30, y: 40 }] }, { kind: 'fill', at: { x: 3, y: 3 } }, { kind: 'polygon', mode: 'erase', points: [{ x: 0, y: 0 }, { x: 9, y: 0 }, { x: 9, y: 9 }] }];
  return {
    ...f,
    reference: { name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 80, height: 64, originalWidth: 80, originalHeight: 64, crop: { x: 8, y: 0, size: 64 } },
    concepts: [{ id: 'c1', token: '<c1>', classWord: 'cat', color: '#e6194b' }, { id: 'c2', token: '<c2>', classWord: 'dog', color: '#3cb4ff' }],
    masks: { c1: { conceptId: 'c1', ops }, c2: { conceptId: 'c2', ops: [] } },
    activeConceptId: 'c1',
  };
}

const PROMPT_ALPHABET = ['a', ' ', '<', '>', 'c1', '<c1>', 'cat', '(', ')', ':', '1.5', '[', ']', '|', ',', '\n', '猫', '\u{1f431}', '\u0000', '\u202e', '\\', '"', 'BREAK', 'x'.repeat(50)];

let tokenizer: Awaited<ReturnType<typeof readTokenizer>> | undefined;

export const KINDS: Record<string, FuzzKind> = {
  bundle: {
    names: ['fuzz'],
    async run(rng) {
      const src = new MemoryFileSource(mutateFolder(bundleFiles(), rng), 'fuzz');
      await readBundleResult(src, await readManifest(src));
    },
  },
  pack: {
    names: ['fuzz'],
    async run(rng) {
      await loadPack(new MemoryFileSource(mutateFolder(packFiles(), rng), 'fuzz'));
    },
  },
  checkpoint: {
    names: ['fuzz/checkpoint.safetensors'],
    async run(rng) {
      const good = encodeCheckpoint({ step: 3, batchIndex: 6, rollbacks: 0, params: { w: { dtype: 'float32', dims: [4], data: f32(4) } }, optimizer: { stepCount: 3, slots: { 'm/w': { dtype: 'float32', dims: [4], data: f32(4, 0) } } } });
      let bytes: Uint8Array;
      if (rng.int(0, 1) === 0) bytes = rng.pick(Object.values(BYTE_MUTATIONS))(good, rng);
      else {
        const meta = mutateJsonText({ step: 3, batchIndex: 6, rollbacks: 0, optimizerStepCount: 3 }, rng);
        bytes = writeSafetensors({ w: { dtype: 'F32', shape: [4], data: f32(4) } }, { 'disenstudio.checkpoint': meta });
      }
      decodeCheckpoint(bytes, 'fuzz/checkpoint.safetensors');
    },
  },
  project: {
    names: ['project'],
    async run(rng) {
      parseProjectFile(mutateJsonText(projectSeed(), rng));
    },
  },
  folder: {
    names: ['fuzz', 'config.json', 'vocab.json', 'model_index.json', 'tokenizer_config.json', 'added_tokens.json'],
    async run(rng) {
      await loadDiffusersFolder(new MemoryFileSource(mutateFolder(tinyFolder, rng, FOLDER_JSON), 'fuzz'));
    },
  },
  onnx: {
    names: ['fuzz/model.onnx'],
    async run(rng) {
      const good = new Uint8Array(readFileSync(new URL('../../test/fixtures/onnx/reference.onnx', import.meta.url)));
      const bytes = rng.pick(Object.values(BYTE_MUTATIONS))(good, rng);
      withPath('fuzz/model.onnx', () => validateModel(decodeModel(bytes)));
    },
  },
  safetensors: {
    names: ['fuzz/w.safetensors'],
    async run(rng) {
      const good = writeSafetensors({ a: { dtype: 'F32', shape: [2, 3], data: f32(6) }, b: { dtype: 'F16', shape: [4], data: new Uint16Array(4) } }, { note: 'x' });
      let bytes = rng.pick(Object.values(BYTE_MUTATIONS))(good, rng);
      if (rng.int(0, 2) === 0) {
        const header = mutateJsonText({ a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] }, __metadata__: { note: 'x' } }, rng);
        const h = enc(header);
        bytes = new Uint8Array(8 + h.length + 24);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(h.length), true);
        bytes.set(h, 8);
      }
      withPath('fuzz/w.safetensors', () => readSafetensors(bytes));
    },
  },
  png: {
    names: null,
    async run(rng) {
      const img = { width: 5, height: 4, channels: 3 as const, data: Uint8Array.from({ length: 60 }, (_, i) => i * 4) };
      const good = encodePng(img, { parameters: 'a cat\nNegative prompt: dog\nSteps: 20, Seed: 1', workflow: '{"a":1}', comment: '猫' });
      const bytes = rng.pick(Object.values(BYTE_MUTATIONS))(good, rng);
      // the studio's settings drop first (text only): a typed refusal there still lets the pixel decoder try the bytes
      try {
        readGenerationSettings(readPngText(bytes));
      } catch (e) {
        if (!(e instanceof StudioError)) throw e;
      }
      const decoded = decodePng(bytes);
      if (decoded.text.parameters !== undefined) parseInfotext(decoded.text.parameters);
    },
  },
  prompts: {
    names: null,
    async run(rng) {
      tokenizer ??= await readTokenizer(new MemoryFileSource(tinyFolder), new Set(tinyFolder.keys()));
      const n = rng.int(0, 3) > 0 ? rng.int(0, 40) : rng.int(1000, 5000);
      let text = '';
      for (let i = 0; i < n; i++) text += rng.pick(PROMPT_ALPHABET);
      const concepts = [{ token: '<c1>', classWord: 'cat' }];
      parseConceptTokens(text);
      tokenizer.encode(expandConceptTokens(text, concepts));
      parseInfotext(text);
    },
  },
};

/** Runs case `index` of `kind` (its own seeded generator, so any case replays alone). */
export async function runCase(kind: string, index: number, seed = 1): Promise<{ outcome: Outcome; message?: string }> {
  const k = KINDS[kind];
  if (!k) throw new Error(`unknown fuzz kind "${kind}"; kinds: ${Object.keys(KINDS).join(', ')}`);
  const rng = new Rng((seed * 1_000_003 + index * 7919 + kind.length) >>> 0);
  try {
    await k.run(rng);
    return { outcome: 'ok' };
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e);
    if (!(e instanceof StudioError)) return { outcome: 'untyped', message };
    if (k.names && !k.names.some((n) => e.message.includes(n))) return { outcome: 'unnamed', message };
    return { outcome: 'typed' };
  }
}


