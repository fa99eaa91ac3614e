// Seeded mutation fuzzing of a valid model's bytes: decode (+ validate) either succeeds or throws
// ModelFormatError/GraphError, never anything else. Deterministic (src/lib/random.ts), a few hundred cases; the
// mutations are the fuzz suite's (tools/fuzz/mutate.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphError, ModelFormatError } from '../../../src/lib/errors';
import { Rng } from '../../../src/lib/random';
import { decodeModel, encodeModel, validateModel } from '../../../src/onnx/index';
import { tinyModel } from './fixtures';
import { BYTE_MUTATIONS } from '../../../tools/fuzz/mutate';
import type { ByteMutation } from '../../../tools/fuzz/mutate';

type Mutation = ByteMutation;
const MUTATIONS = BYTE_MUTATIONS;

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
