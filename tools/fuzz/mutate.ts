// Seeded mutations for fuzzing: byte-level (flip, truncate, insert, duplicate, set) and JSON-level (replace a value
// at a random path with a hostile one: wrong types, out-of-range numbers, paths leaving the folder, CSS urls, huge
// lists and strings, deep nesting; delete or add keys). Deterministic through src/lib/random.ts. Used by the fuzz
// suite (test/fuzz) and `npm run fuzz`.
import type { Rng } from '../../src/lib/random';

export type ByteMutation = (b: Uint8Array, rng: Rng) => Uint8Array;

const splice = (b: Uint8Array, at: number, extra: Uint8Array): Uint8Array => {
  const out = new Uint8Array(b.length + extra.length);
  out.set(b.subarray(0, at));
  out.set(extra, at);
  out.set(b.subarray(at), at + extra.length);
  return out;
};

export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  bitFlip: (b, rng) => {
    const out = b.slice();
    for (let k = rng.int(1, 4); k > 0; k--) {
      const i = rng.int(0, out.length - 1);
      out[i] = (out[i] as number) ^ (1 << rng.int(0, 7));
    }
    return out;
  },
  truncate: (b, rng) => b.slice(0, rng.int(0, b.length - 1)),
  insert: (b, rng) => splice(b, rng.int(0, b.length), Uint8Array.from({ length: rng.int(1, 8) }, () => rng.int(0, 255))),
  duplicateRange: (b, rng) => {
    const start = rng.int(0, b.length - 1);
    return splice(b, rng.int(0, b.length), b.slice(start, Math.min(b.length, start + rng.int(1, 32))));
  },
  setByte: (b, rng) => {
    const out = b.slice();
    out[rng.int(0, out.length - 1)] = rng.pick([0x00, 0x7f, 0x80, 0xff, 0x0a, 0x12]);
    return out;
  },
};

/** Values that broke or could break a reader: types, ranges, paths, CSS, sizes. */
function hostileValue(rng: Rng): unknown {
  const k = rng.int(0, 21);
  switch (k) {
    case 0: return null;
    case 1: return -1;
    case 2: return 0;
    case 3: return 1e308;
    case 4: return 2 ** 31;
    case 5: return 1e6;
    case 6: return '';
    case 7: return '../../x';
    case 8: return '/etc/passwd';
    case 9: return 'url(http://127.0.0.1:1/x)';
    case 10: return [];
    case 11: return {};
    case 12: return true;
    case 13: return 'x'.repeat(rng.int(1000, 200_000));
    case 14: return Array.from({ length: rng.int(1000, 30_000) }, (_, i) => i);
    case 15: return Array.from({ length: rng.int(100, 3000) }, () => ({ x: 1e6, y: -1e6 }));
    case 16: return -0.5;
    case 17: return 'NaN';
    case 18: return [[[[[[[[1]]]]]]]];
    case 19: return { __proto__: { polluted: true }, constructor: 'x' };
    case 20: return 1.5;
    default: return '\u0000\u202e<script>';
  }
}

/** Every [container, key] inside `v` (objects and arrays), breadth-first, at most `max`. */
function slots(v: unknown, max = 5000): [Record<string, unknown>, string][] {
  const out: [Record<string, unknown>, string][] = [];
  const queue: unknown[] = [v];
  while (queue.length > 0 && out.length < max) {
    const c = queue.shift();
    if (c === null || typeof c !== 'object') continue;
    for (const key of Object.keys(c)) {
      out.push([c as Record<string, unknown>, key]);
      queue.push((c as Record<string, unknown>)[key]);
    }
  }
  return out;
}

/** A mutated copy of JSON value `v` (1–3 edits). */
export function mutateJson(v: unknown, rng: Rng): unknown {
  const copy = JSON.parse(JSON.stringify(v)) as unknown;
  for (let n = rng.int(1, 3); n > 0; n--) {
    const all = slots(copy);
    if (all.length === 0) return hostileValue(rng);
    const [c, key] = rng.pick(all);
    const what = rng.int(0, 9);
    if (what === 0) delete c[key];
    else if (what === 1) c[`extra${rng.int(0, 99)}`] = hostileValue(rng);
    else c[key] = hostileValue(rng);
  }
  return copy;
}

/** A mutated JSON text: a JSON-level edit, deep nesting around it, or a byte-level edit of the text. */
export function mutateJsonText(v: unknown, rng: Rng): string {
  const k = rng.int(0, 9);
  if (k <= 5) return JSON.stringify(mutateJson(v, rng));
  if (k === 6) {
    const depth = rng.int(100, 20_000);
    return `${'['.repeat(depth)}${JSON.stringify(v)}${']'.repeat(depth)}`;
  }
  const bytes = new TextEncoder().encode(JSON.stringify(v));
  return new TextDecoder().decode(rng.pick(Object.values(BYTE_MUTATIONS))(bytes, rng));
}


