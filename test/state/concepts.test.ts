// Concept rules and the project slice: 1–4 concepts, token/class-word checks, prompt expansion.
import { describe, expect, it } from 'vitest';
import { isConceptToken, parseConceptTokens } from '../../src/diffusion/index';
import { imagePoint } from '../../src/editor/index';
import { Rng } from '../../src/lib/random';
import { expandPrompt as trainExpand } from '../../src/train/index';
import { checkClassWord, checkToken, createStudioStore, expandPrompt, selectConceptChecks, tokensInPrompt } from '../../src/state/index';
import type { Concept, TokenizerPort } from '../../src/state/index';

const vocab: TokenizerPort = { isSingleToken: (w) => ['cat', 'dog', 'teddy'].includes(w) };
const c = (token: string, classWord = 'cat'): Concept => ({ id: token, token, classWord, color: '#000' });

describe('concept rules', () => {
  it('accepts <cat1>-style tokens and refuses unsafe or duplicate ones', () => {
    expect(checkToken('<cat1>', [])).toEqual([]);
    expect(checkToken('cat1', [])[0]?.text).toMatch(/must look like <cat1>/);
    expect(checkToken('<../x>', [])[0]?.level).toBe('error');
    expect(checkToken('<Cat>', [])[0]?.level).toBe('error');
    expect(checkToken('<cat1>', [c('<cat1>')])[0]?.text).toMatch(/already used/);
  });

  it('warns when the class word is several tokens, or cannot be checked without a tokenizer', () => {
    expect(checkClassWord('cat', vocab)).toEqual([]);
    expect(checkClassWord('doggo', vocab)[0]).toMatchObject({ level: 'warning' });
    expect(checkClassWord('doggo', vocab)[0]?.text).toMatch(/several tokens/);
    expect(checkClassWord('cat', null)[0]?.text).toMatch(/no tokenizer is loaded/);
    expect(checkClassWord('two words', vocab)[0]?.level).toBe('error');
    expect(checkClassWord('', vocab)[0]).toMatchObject({ level: 'error', isPending: true, text: 'Class word: give the plain noun the concept is, e.g. "cat".' });
  });

  it('expands tokens to "token classWord" once, and lists tokens in a prompt', () => {
    const cs = [c('<cat1>', 'cat'), c('<dog1>', 'dog')];
    expect(expandPrompt('a <cat1> and a <dog1> dog', cs)).toBe('a <cat1> cat and a <dog1> dog');
    expect(expandPrompt('<cat1>,<cat1>', cs)).toBe('<cat1> cat,<cat1> cat');
    expect(tokensInPrompt('a <cat1> and <x> and <cat1>')).toEqual(['<cat1>', '<x>']);
  });
});

describe('one prompt syntax (diffusion/text/prompt.ts) for the studio and training', () => {
  // seeded prompts built from tokens, class words, near-misses and separators
  const pieces = ['<cat1>', '<dog1>', '<x>', '<Cat1>', '<lora:x:1>', '<a.b>', '<>', 'cat', 'Cat', 'cats', 'dog', ' ', '  ', ',', '\n', 'a', 'é', '<', '>'];
  const prompts = (seed: number, n: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: n }, () => Array.from({ length: rng.int(0, 12) }, () => pieces[rng.int(0, pieces.length - 1)]).join(''));
  };
  const cs = [c('<cat1>', 'cat'), c('<dog1>', 'dog'), c('<x>', '')];

  it('expands exactly as training does, on 500 seeded prompts', () => {
    const all = prompts(7, 500);
    expect(all.filter((p) => expandPrompt(p, cs) !== p).length).toBeGreaterThan(100);
    for (const p of all) expect(expandPrompt(p, cs)).toBe(trainExpand(p, cs));
  });

  it('leaves a class word that already follows, in any case, and a concept with no class word yet', () => {
    expect(expandPrompt('<cat1>cat and <cat1> Cat, <cat1> cats', cs)).toBe('<cat1>cat and <cat1> Cat, <cat1> cat cats');
    expect(expandPrompt('a <x>', cs)).toBe('a <x>');
  });

  it('lists in a prompt the tokens training finds there, no others', () => {
    expect(tokensInPrompt('a <cat1>, <lora:x:1> and <a.b> <cat1>')).toEqual(['<cat1>', '<a.b>']);
    for (const p of prompts(8, 300)) expect(tokensInPrompt(p)).toEqual([...new Set(parseConceptTokens(p).map((m) => m.token))]);
  });

  it('accepts only tokens that are concept tokens to training too (the studio rule is narrower)', () => {
    const rng = new Rng(9);
    const chars = 'aZ9._-<>: é';
    let accepted = 0;
    for (let k = 0; k < 2000; k++) {
      const t = `<${Array.from({ length: rng.int(0, 6) }, () => chars[rng.int(0, chars.length - 1)]).join('')}>`;
      if (checkToken(t, []).length > 0) continue;
      accepted++;
      expect(isConceptToken(t)).toBe(true);
    }
    expect(accepted).toBeGreaterThan(20);
  });
});

describe('the project slice', () => {
  it('starts with one concept and allows 1–4', () => {
    const store = createStudioStore();
    const s = () => store.getState();
    expect(s().project.concepts.map((k) => k.token)).toEqual(['<concept1>']);
    for (let k = 0; k < 5; k++) s().addConcept();
    expect(s().project.concepts.map((k) => k.token)).toEqual(['<concept1>', '<concept2>', '<concept3>', '<concept4>']);
    expect(new Set(s().project.concepts.map((k) => k.color)).size).toBe(4);
    for (const k of [...s().project.concepts]) s().removeConcept(k.id);
    expect(s().project.concepts).toHaveLength(1);
    expect(s().editor.activeConceptId).toBe(s().project.concepts[0]?.id);
  });

  it('renames a concept and reports its checks through the selector', () => {
    const store = createStudioStore({ tokenizer: vocab });
    const id = store.getState().project.concepts[0]!.id;
    store.getState().updateConcept(id, { token: '<cat1>', classWord: 'kitty' });
    const checks = selectConceptChecks(store.getState())[id]!;
    expect(checks.map((k) => k.text).join('\n')).toMatch(/"kitty" is several tokens[\s\S]*mask of <cat1> is empty/);
  });

  it('accepts a reference image with a centred crop and clamps crop moves', () => {
    const store = createStudioStore();
    store.getState().setReference({ name: 'a.png', dataUrl: 'data:image/png;base64,AA', width: 300, height: 200, originalWidth: 3000, originalHeight: 2000 });
    const ref = () => store.getState().project.reference!;
    expect(ref().crop).toEqual({ x: 50, y: 0, size: 200 });
    expect(store.getState().project.referenceNotice?.text).toMatch(/3000×2000; it was downscaled to 300×200/);
    store.getState().moveCrop(500, 40);
    expect(ref().crop).toEqual({ x: 100, y: 0, size: 200 });
    store.getState().rejectReference('notes.txt is not an image');
    expect(store.getState().project.referenceNotice).toEqual({ kind: 'error', text: 'notes.txt is not an image' });
    expect(ref().name).toBe('a.png');
    store.getState().commitOp({ kind: 'clear' });
    store.getState().setReference({ name: 'b.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    expect(store.getState().project.referenceNotice?.text).toBe('Loaded "b.png" (64×64). Move the crop box to choose the training square.');
    store.getState().commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    store.getState().setReference({ name: 'c.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    expect(store.getState().project.referenceNotice?.text).toMatch(/Existing masks were kept/);
  });
});

describe('class words on a word-level model (the default model)', () => {
  it('refuses a word outside the vocabulary with example words, and accepts a known one', async () => {
    const { WordTokenizer } = await import('../../src/diffusion/text/WordTokenizer');
    const { tokenizerPort } = await import('../../src/workers/tokenizerPort');
    const port = tokenizerPort(new WordTokenizer(['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'red', 'circle', 'square']));
    expect(port.exampleWords).toEqual(['circle', 'square']);
    expect(checkClassWord('circle', port)).toEqual([]);
    const [check] = checkClassWord('cat', port);
    expect(check?.level).toBe('error');
    expect(check?.text).toMatch(/^Class word "cat" is not in this model's vocabulary: the model has never seen the word, so it cannot bind a concept to it\. Its nouns are "circle", "square"\. To personalise real subjects .* load your own Stable Diffusion 1\.5: in the Model panel choose "Load model folder…"/);
    // the example class word comes from the model's own vocabulary, and is one it accepts
    expect(port.exampleClassWord).toBe('circle');
    expect(port.vocabulary).toEqual({ nouns: ['circle', 'square'], colours: ['red'], patterns: [], other: ['a'] });
    expect(checkClassWord('', port)[0]?.text).toBe('Class word: give the plain noun the concept is, e.g. "circle".');
    expect(checkClassWord(port.exampleClassWord!, port)).toEqual([]);
  });
});
