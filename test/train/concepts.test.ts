// Concepts: validation with teaching errors, token ids and extra rows, prompt expansion,
// modifier/class token positions, the graph's selection inputs, and initial modifier rows.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/lib/errors';
import { conceptPositions, DISENDIFF_RARE_IDS, expandPrompt, initialModifierRows, registerConcepts, selectionInputs } from '../../src/train/index';
import { SEQ, tinyConcepts, tinyTokenizer } from './tiny';

describe('registering concepts', () => {
  it('gives <cat1>, <dog1> the ids after the base vocabulary (100, 101) and extra rows 0, 1', () => {
    const { tok, concepts } = tinyConcepts();
    expect(concepts.map((c) => [c.tokenId, c.row, c.classId])).toEqual([[100, 0, tok.tokenToId('cat')], [101, 1, tok.tokenToId('dog')]]);
  });
  it('refuses a multi-token class word with a message that names it and says why', () => {
    expect(() => registerConcepts(tinyTokenizer(), [{ token: '<x1>', classWord: 'red cat' }], 100)).toThrow(ConfigError);
    expect(() => registerConcepts(tinyTokenizer(), [{ token: '<x1>', classWord: 'red cat' }], 100)).toThrow(/"red cat" of <x1> is 2 tokens.*single-token noun/);
  });
  it('refuses 0 or 5 concepts, malformed tokens and repeated tokens', () => {
    const c = (i: number): { token: string; classWord: string } => ({ token: `<c${i}>`, classWord: 'cat' });
    expect(() => registerConcepts(tinyTokenizer(), [], 100)).toThrow(/1 to 4 concepts; got 0/);
    expect(() => registerConcepts(tinyTokenizer(), [1, 2, 3, 4, 5].map(c), 100)).toThrow(/got 5/);
    expect(() => registerConcepts(tinyTokenizer(), [{ token: 'cat1', classWord: 'cat' }], 100)).toThrow(/must look like "<cat1>"/);
    expect(() => registerConcepts(tinyTokenizer(), [c(1), c(1)], 100)).toThrow(/used twice/);
  });
  it('refuses a tokenizer whose vocabulary disagrees with the text encoder', () => {
    expect(() => registerConcepts(tinyTokenizer(), [{ token: '<x1>', classWord: 'cat' }], 90)).toThrow(/vocab_size is 90/);
  });
});

describe('token positions', () => {
  const { tok, concepts } = tinyConcepts();
  it('expands <cat1> → <cat1> cat once, leaving an already expanded token alone', () => {
    expect(expandPrompt('a <cat1> and a <dog1> dog', concepts)).toBe('a <cat1> cat and a <dog1> dog');
  });
  it('finds modifier and class positions (SOS shifts them by one), undefined for an absent concept', () => {
    const ids = tok.encode('photo of a <cat1> cat and <dog1> dog').ids;
    expect(conceptPositions(ids, concepts)).toEqual([{ modifier: 4, cls: 5 }, { modifier: 7, cls: 8 }]);
    expect(conceptPositions(tok.encode('photo of a <dog1> dog').ids, concepts)).toEqual([undefined, { modifier: 4, cls: 5 }]);
  });
  it('refuses a modifier not followed by its class word', () => {
    expect(() => conceptPositions(tok.encode('photo of a <cat1> dog').ids, concepts)).toThrow(/not its class word "cat"/);
  });
  it('builds one-hot selection columns (modifiers, then classes) and presence', () => {
    const pos = [conceptPositions(tok.encode('photo of a <dog1> dog').ids, concepts)];
    const { select, present } = selectionInputs(pos, SEQ, 2);
    expect([...present]).toEqual([0, 1]);
    const ones = [...select.keys()].filter((i) => select[i] === 1).map((i) => [Math.floor(i / 4), i % 4]);
    expect(ones).toEqual([[4, 1], [5, 3]]);
  });
});

describe('initial modifier rows', () => {
  const { concepts } = tinyConcepts();
  const table = Float32Array.from({ length: 100 * 2 }, (_, i) => i);
  it('copies the class word rows for class-word init', () => {
    const rows = initialModifierRows(concepts, table, 2, { kind: 'class-word' });
    const [cat, dog] = concepts.map((c) => c.classId);
    expect([...rows]).toEqual([2 * (cat as number), 2 * (cat as number) + 1, 2 * (dog as number), 2 * (dog as number) + 1]);
  });
  it('uses the released rare rows 47629 / 42170 for two SD concepts, and explicit ids otherwise', () => {
    expect(DISENDIFF_RARE_IDS[2]).toEqual([47629, 42170]);
    expect([...initialModifierRows(concepts, table, 2, { kind: 'rare', ids: [7, 9] })]).toEqual([14, 15, 18, 19]);
    expect(() => initialModifierRows(concepts, table, 2, { kind: 'rare' })).toThrow(/outside the embedding table/);
  });
  it('gives every row the mean of the listed rows (the world style: its colour words), refusing bad ids', () => {
    // table row i = [2i, 2i+1]: mean of rows 3 and 5 = [8, 9]
    expect([...initialModifierRows(concepts, table, 2, { kind: 'mean', ids: [3, 5] })]).toEqual([8, 9, 8, 9]);
    expect(() => initialModifierRows(concepts, table, 2, { kind: 'mean', ids: [] })).toThrow(/Mean init/);
    expect(() => initialModifierRows(concepts, table, 2, { kind: 'mean', ids: [1e6] })).toThrow(/inside the embedding table/);
  });
});

describe('named modifier inits (resolveRowInit)', () => {
  it("gives the released rare rows on a CLIP-sized vocabulary and the model's default where those rows do not exist", async () => {
    const { resolveRowInit } = await import('../../src/train/loop/job');
    const { WORLD_CAPTIONS, DISENDIFF_CAPTIONS } = await import('../../src/train/data/captions');
    const tok = { tokenToId: (w: string) => ({ red: 11, blue: 12 })[w] } as unknown as Parameters<typeof resolveRowInit>[0];
    expect(resolveRowInit(tok, DISENDIFF_CAPTIONS, 'rare', 49408)).toEqual({ kind: 'rare' });
    expect(resolveRowInit(tok, DISENDIFF_CAPTIONS, 'rare', 64)).toEqual({ kind: 'class-word' });
    expect(resolveRowInit(tok, WORLD_CAPTIONS, 'model-default', 64).kind).toBe('mean');
    expect(resolveRowInit(tok, WORLD_CAPTIONS, 'class-word', 49408)).toEqual({ kind: 'class-word' });
  });
});
