// Concept-token prompt helpers: parsing, DisenDiff class-word expansion, token positions.
import { describe, expect, it } from 'vitest';
import { expandConceptTokens, findTokenPositions, parseConceptTokens } from '../../src/diffusion/text/prompt';

const CONCEPTS = [
  { token: '<cat1>', classWord: 'cat' },
  { token: '<dog1>', classWord: 'dog' },
];

describe('parseConceptTokens', () => {
  it('finds <name> tokens with their offsets and ignores LoRA tags', () => {
    expect(parseConceptTokens('a <cat1> and <dog-1.v2> <lora:x:0.8>')).toEqual([
      { token: '<cat1>', name: 'cat1', index: 2 },
      { token: '<dog-1.v2>', name: 'dog-1.v2', index: 13 },
    ]);
  });
});

describe('expandConceptTokens', () => {
  it('inserts the class word after each token', () => {
    expect(expandConceptTokens('photo of a <cat1> and <dog1> on a sofa', CONCEPTS)).toBe(
      'photo of a <cat1> cat and <dog1> dog on a sofa',
    );
  });
  it('leaves a token alone when its class word already follows (any case, any spacing)', () => {
    expect(expandConceptTokens('a <cat1> Cat and <dog1>  dog', CONCEPTS)).toBe('a <cat1> Cat and <dog1>  dog');
    expect(expandConceptTokens('<cat1>cat', CONCEPTS)).toBe('<cat1>cat');
  });
  it('treats a longer word as not the class word, and expands every occurrence', () => {
    expect(expandConceptTokens('<cat1> cats, <cat1>', CONCEPTS)).toBe('<cat1> cat cats, <cat1> cat');
  });
  it('does not touch unknown tokens', () => {
    expect(expandConceptTokens('a <bird1>', CONCEPTS)).toBe('a <bird1>');
  });
});

describe('findTokenPositions', () => {
  it('returns every index of the id', () => {
    expect(findTokenPositions([49406, 1125, 49408, 2368, 49408, 49407], 49408)).toEqual([2, 4]);
    expect(findTokenPositions([1, 2], 3)).toEqual([]);
  });
});
