// Seeded mutation fuzzing of a valid model's bytes: decode (+ validate) either succeeds or throws
// ModelFormatError/GraphError, never anything else. Deterministic (src/lib/random.ts), a few hundred cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphError, ModelFormatError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import { decodeModel, encodeModel, validateModel } from '../../../src/onnx/index';
import { tinyModel } from './fixtures';

type Mutation = (b: Uint8Array, rng: Rng) => Uint8Array;

const MUTATIONS: Record<string, Mutation> = {
  bitFlip: (b, rng) => {
    const out = b.slice();
    for (let k = rng.int(1, 4); k > 0; k--) {
      const i = rng.int(0, out.length - 1);
      out[i] = (out[i] as number) ^ (1 << rng.int(0, 7));
    }
    return out;
  },
  truncate: (b, rng) => b.slice(0, rng.int(0, b.length - 1)),
  insert: (b, rng) => {
    const at = rng.int(0, b.length);
    const extra = Uint8Array.from({ length: rng.int(1, 8) }, () => rng.int(0, 255));
    return Uint8Array.from([...b.subarray(0, at), ...extra, ...b.subarray(at)]);
  },
  duplicateRange: (b, rng) => {
    const start = rng.int(0, b.length - 1);
    const end = Math.min(b.length, start + rng.int(1, 32));
    const at = rng.int(0, b.length);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(start, end), ...b.subarray(at)]);
  },
  setByte: (b, rng) => {
    const out = b.slice();
    out[rng.int(0, out.length - 1)] = rng.pick([0x00, 0x7f, 0x80, 0xff, 0x0a, 0x12]);
    return out;
  },
};

describe('when decoding mutated bytes of a valid model', () => {
  const seedModel = tinyModel();
  seedModel.graph.inputs[0]!.shape = ['batch', 3];
  const seeds: Record<string, Uint8Array> = {
    builder: encodeModel(seedModel),
    python: new Uint8Array(readFileSync(new URL('../../fixtures/onnx/reference.onnx', import.meta.url))),
  };
  const cases = Object.keys(MUTATIONS).flatMap((kind) => Object.keys(seeds).map((seed) => [kind, seed] as const));

  it.each(cases)('%s of the %s model: only typed errors, never a crash', (kind, seed) => {
    const good = seeds[seed] as Uint8Array;
    const rng = new Rng(1234 + kind.length * 7 + seed.length);
    const mutate = MUTATIONS[kind] as Mutation;
    const outcomes = { ok: 0, format: 0, graph: 0 };
    for (let i = 0; i < 120; i++) {
      const bytes = mutate(good, rng);
      try {
        validateModel(decodeModel(bytes));
        outcomes.ok++;
      } catch (e) {
        if (e instanceof ModelFormatError) outcomes.format++;
        else if (e instanceof GraphError) outcomes.graph++;
        else throw new Error(`${kind} #${i} threw ${String(e)}; bytes: ${Array.from(bytes).join(',')}`);
      }
    }
    expect(outcomes.ok + outcomes.format + outcomes.graph).toBe(120);
    expect(outcomes.format).toBeGreaterThan(0);
  });
});
