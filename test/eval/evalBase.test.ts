// tools/eval/baseFigures.ts, the function behind `npm run eval:base` and the default model's card figures, on
// the rendered prompt scenes (no diffusion model needed): the five issue-5 figures come first, on the ceiling.
import { describe, expect, it } from 'vitest';
import { baseScores } from '../../tools/eval/baseFigures';
import { nodeOrt } from '../helpers/ort';

describe('baseScores on the rendered scenes of the first 10 prompts', () => {
  it('reports the five figures in order, each prompt kind scored, at the ceiling', async () => {
    const s = await baseScores(nodeOrt(), 10);
    expect(Object.keys(s).slice(0, 5)).toEqual(['textAlignment', 'shapeAccuracy', 'colorAccuracy', 'twoObjectAccuracy', 'heldOutAccuracy']);
    expect(s).toMatchObject({ prompts: 10, source: 'rendered', shapeAccuracy: 1, colorAccuracy: 1, twoObjectAccuracy: 1, heldOutAccuracy: 1 });
    expect(s.textAlignment).toBeGreaterThanOrEqual(0.95);
  });
});
