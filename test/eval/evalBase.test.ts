// tools/eval/baseFigures.ts, the function behind `npm run eval:base` and the default model's card figures, on
// the rendered prompt scenes (no diffusion model needed): the five issue-5 figures come first, on the ceiling.
import { describe, expect, it } from 'vitest';
import { baseScores, vaeReconstructions } from '../../tools/eval/baseFigures';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import { basePromptSet } from '../../src/eval/index';
import { renderScene } from '../../src/world/index';
import { nodeOrt } from '../helpers/ort';

describe('baseScores on the rendered scenes of the first 10 prompts', () => {
  it('reports the five figures in order, each prompt kind scored, at the ceiling', async () => {
    const s = await baseScores(nodeOrt(), 10);
    expect(Object.keys(s).slice(0, 5)).toEqual(['textAlignment', 'shapeAccuracy', 'colorAccuracy', 'twoObjectAccuracy', 'heldOutAccuracy']);
    expect(s).toMatchObject({ prompts: 10, source: 'rendered', shapeAccuracy: 1, colorAccuracy: 1, twoObjectAccuracy: 1, heldOutAccuracy: 1 });
    expect(s.textAlignment).toBeGreaterThanOrEqual(0.95);
  });
});

/** Mean absolute difference of the RGB bytes of two 64×64 RGBA images. */
function meanAbsRgb(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++) d += Math.abs((a[i + c] as number) - (b[i + c] as number));
  return d / (64 * 64 * 3);
}

describe('vaeReconstructions through the shipped default model', () => {
  it('returns 64×64 images close to the rendered scenes (encoder mean → decoder wiring)', async () => {
    const model = await loadDiffusersFolder(createNodeFileSource('public/models/default'));
    const scenes = basePromptSet(4).map((p) => renderScene(p.scene, 64));
    const rec = await vaeReconstructions(nodeOrt(), model, scenes);
    expect(rec.map((r) => [r.size, r.rgba.length])).toEqual(scenes.map(() => [64, 64 * 64 * 4]));
    rec.forEach((r, k) => expect(meanAbsRgb(r.rgba, scenes[k]!.rgba)).toBeLessThan(12));
    // A scene is farther from another scene's reconstruction than from its own.
    expect(meanAbsRgb(rec[0]!.rgba, scenes[1]!.rgba)).toBeGreaterThan(12);
  });
});
