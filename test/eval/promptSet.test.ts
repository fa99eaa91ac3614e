// The fixed prompt set of eval:base: deterministic, a fixed mix of kinds, HELD_OUT pairs only where meant.
import { describe, expect, it } from 'vitest';
import { basePromptSet } from '../../src/eval/index';
import { isHeldOut, parseCaption } from '../../src/world/index';

describe('basePromptSet', () => {
  const set = basePromptSet(60);

  it('is the same on every call and every prefix is the start of the longer set', () => {
    expect(basePromptSet(60)).toEqual(set);
    expect(basePromptSet(7)).toEqual(set.slice(0, 7));
  });

  it('has 24 single-object, 24 two-object and 12 HELD_OUT-pair prompts, image seed = index', () => {
    const kinds = set.map((p) => p.kind);
    expect([kinds.filter((k) => k === 'single').length, kinds.filter((k) => k === 'two').length, kinds.filter((k) => k === 'heldOut').length]).toEqual([24, 24, 12]);
    expect(set.map((p) => p.seed)).toEqual(set.map((_, i) => i));
  });

  it('names a HELD_OUT pair exactly in the heldOut prompts, and prompts parse back to their scenes', () => {
    for (const p of set) {
      const parsed = parseCaption(p.prompt).objects;
      expect(parsed.some((o) => o.color !== undefined && isHeldOut(o.color, o.shape))).toBe(p.kind === 'heldOut');
      expect(parsed.map((o) => o.shape)).toEqual(p.scene.objects.map((o) => o.shape));
      expect(parsed).toHaveLength(p.kind === 'two' ? 2 : 1);
    }
  });

  it('refuses a non-positive size', () => {
    expect(() => basePromptSet(0)).toThrow(/positive integer; got 0/);
  });
});
