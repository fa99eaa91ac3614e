// The committed evaluator (public/models/evaluator) on seeded world scenes: near-perfect on ground truth,
// at or below chance on seeded uniform noise, image alignment ranks renders of the same object above different objects.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basePromptSet, headAccuracy, loadEvaluator } from '../../src/eval/index';
import type { Evaluator, EvalImage, EvaluatorManifest } from '../../src/eval/index';
import { Rng } from '../../src/lib/random';
import { captionOf, renderScene, sampleScene } from '../../src/world/index';
import type { Scene, WorldObject } from '../../src/world/index';
import { nodeOrt } from '../helpers/ort';

const DIR = 'public/models/evaluator';
let ev: Evaluator;

beforeAll(async () => {
  const manifest = JSON.parse(readFileSync(`${DIR}/evaluator.json`, 'utf8')) as EvaluatorManifest;
  ev = await loadEvaluator(nodeOrt(), { manifest, weights: readFileSync(`${DIR}/${manifest.weights}`) });
});
afterAll(async () => ev.dispose());

const scenes = (seed: number, n: number): Scene[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => sampleScene(rng, { excludeHeldOut: false }));
};

function noise(seed: number, n: number): EvalImage[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => ({ size: 64, rgba: Uint8ClampedArray.from({ length: 64 * 64 * 4 }, (_, i) => (i % 4 === 3 ? 255 : rng.int(0, 255))) }));
}

describe('when scoring ground-truth renders of 64 seeded scenes (1–3 objects, HELD_OUT pairs allowed)', () => {
  const truth = scenes(77, 64);
  const renders = truth.map((s) => renderScene(s, 64));

  it('finds and classifies nearly every object', async () => {
    const a = headAccuracy(await ev.predict(renders), truth, renders.map((r) => r.masks));
    expect(a.objects).toBe(truth.reduce((n, s) => n + s.objects.length, 0));
    expect(a.shape).toBeGreaterThanOrEqual(0.95);
    expect(a.color).toBeGreaterThanOrEqual(0.95);
    expect(a.pattern).toBeGreaterThanOrEqual(0.9);
    expect(a.count).toBeGreaterThanOrEqual(0.95);
  });

  it('is deterministic', async () => {
    const s = await ev.scoreSet(renders.slice(0, 16), truth.slice(0, 16).map(captionOf));
    expect(await ev.scoreSet(renders.slice(0, 16), truth.slice(0, 16).map(captionOf))).toEqual(s);
  });
});

describe('the eval:base prompt set (40 prompts)', () => {
  const set = basePromptSet(40);
  const prompts = set.map((p) => p.prompt);

  it('scores its rendered scenes near perfectly (the ceiling)', async () => {
    const s = await ev.scoreSet(set.map((p) => renderScene(p.scene, 64)), prompts);
    expect(s.shapeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(s.colorAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(s.twoObjectAccuracy).toBeGreaterThanOrEqual(0.9);
    // 8 HELD_OUT prompts: the blur-augmented evaluator misreads one (a small purple gradient star on night, read
    // red/green; its card: 91 % HELD_OUT-pair colour on crisp renders). Two misses fail.
    expect(s.heldOutAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(s.textAlignment).toBeGreaterThanOrEqual(0.95);
  });

  it('scores seeded uniform noise at or below chance (1/6 for a shape, 1/8 for a colour)', async () => {
    const s = await ev.scoreSet(noise(5, 40), prompts);
    expect(s.shapeAccuracy).toBeLessThanOrEqual(0.2);
    expect(s.colorAccuracy).toBeLessThanOrEqual(0.2);
    expect(s.twoObjectAccuracy).toBeLessThanOrEqual(0.05);
    expect(s.heldOutAccuracy).toBeLessThanOrEqual(0.2);
    expect(s.textAlignment).toBeLessThanOrEqual(0.3);
  });
});

describe('image alignment', () => {
  const obj = (o: Partial<WorldObject>): WorldObject => ({ shape: 'star', color: 'red', pattern: 'striped', size: 'large', cx: 0.5, cy: 0.5, radius: 0.24, angle: 0, ...o });
  const render = (o: Partial<WorldObject>, background: Scene['background']) => renderScene({ objects: [obj(o)], background }, 64);

  it('rates two renders of the same object above renders of different objects', async () => {
    const ref = render({}, 'night');
    const same = await ev.imageAlignment(ref, render({ cx: 0.4, cy: 0.6, radius: 0.2, angle: 0.2 }, 'sand'));
    for (const other of [{ shape: 'circle' }, { color: 'blue' }, { pattern: 'dotted' }] as Partial<WorldObject>[]) {
      expect(await ev.imageAlignment(ref, render(other, 'night'))).toBeLessThan(same);
    }
  });

  it('compares the masked objects when masks are given', async () => {
    const two = renderScene({ background: 'grey', objects: [obj({ cx: 0.27 }), obj({ cx: 0.73, shape: 'circle', color: 'blue', pattern: 'solid' })] }, 64);
    const star = render({}, 'grey');
    const onStar = await ev.imageAlignment(star, two, { maskB: two.masks[0] });
    const onCircle = await ev.imageAlignment(star, two, { maskB: two.masks[1] });
    expect(onStar).toBeGreaterThan(onCircle);
  });

  it('is 1 for an image with itself', async () => {
    const a = render({}, 'night');
    expect(await ev.imageAlignment(a, a)).toBeCloseTo(1, 5);
  });
});
