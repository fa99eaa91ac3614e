// The fixed prompt set of `npm run eval:base`: seeded world scenes whose captions are
// the prompts, in a fixed mix of kinds, each with its own image seed (its index). Pure; no I/O, no runtime.
// Kinds cycle with period 5: two single-object prompts, two two-object prompts, one HELD_OUT-pair prompt
// (single object, cycling through HELD_OUT). Ordinary objects never form a HELD_OUT pair.
import { Rng } from '../lib/random';
import { captionOf, HELD_OUT, sampleScene } from '../world/index';
import type { Scene } from '../world/index';

/** Seed of the prompt set's scene stream. */
export const PROMPT_SEED = 2024;

export type PromptKind = 'single' | 'two' | 'heldOut';
/** One prompt: its scene (also the rendered ceiling), caption, kind and the generation seed. */
export type EvalPrompt = { prompt: string; scene: Scene; kind: PromptKind; seed: number };

const CYCLE: readonly PromptKind[] = ['single', 'single', 'two', 'two', 'heldOut'];

/** The first `n` prompts of the set (any prefix is itself a balanced set when n is a multiple of 5). */
export function basePromptSet(n: number): EvalPrompt[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`basePromptSet: n must be a positive integer; got ${n}`);
  const rng = new Rng(PROMPT_SEED);
  return Array.from({ length: n }, (_, i) => {
    const kind = CYCLE[i % CYCLE.length] as PromptKind;
    const pair = HELD_OUT[Math.floor(i / CYCLE.length) % HELD_OUT.length] as (typeof HELD_OUT)[number];
    const scene = kind === 'heldOut'
      ? sampleScene(rng, { count: 1, excludeHeldOut: false, fixed: [{ shape: pair.shape, color: pair.color }] })
      : sampleScene(rng, { count: kind === 'single' ? 1 : 2, excludeHeldOut: true });
    return { prompt: captionOf(scene), scene, kind, seed: i };
  });
}
