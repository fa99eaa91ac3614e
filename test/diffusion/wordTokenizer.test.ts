// WordTokenizer: word-level ids for the small default model, same contract as the CLIP tokenizer.
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/lib/errors';
import { WordTokenizer } from '../../src/diffusion/text/WordTokenizer';

const VOCAB = ['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'photo', 'of', 'cat', 'dog', 'and', ',', '1'];

describe('WordTokenizer', () => {
  it('lower-cases and maps words, digits and punctuation to list indices, padded with EOS', () => {
    const t = new WordTokenizer(VOCAB, { maxLength: 8 });
    expect(t.tokenize('A Photo of a CAT, 1')).toEqual(['a', 'photo', 'of', 'a', 'cat', ',', '1']);
    const e = t.encode('a cat');
    expect(e.ids).toEqual([0, 3, 6, 1, 1, 1, 1, 1]);
    expect(e.warnings).toEqual([]);
    expect(t.vocabSize).toBe(11);
    expect(t.decode(e.ids)).toBe('a cat');
  });
  it('encodes unknown words as <unk> and says which', () => {
    const e = new WordTokenizer(VOCAB).encode('a zebra and a yak');
    expect(e.ids.slice(0, 7)).toEqual([0, 3, 2, 8, 3, 2, 1]);
    expect(e.warnings[0]).toMatch(/Unknown word\(s\) "zebra", "yak" encoded as <unk>/);
  });
  it('keeps added tokens atomic with ids after the list', () => {
    const t = new WordTokenizer(VOCAB, { maxLength: 10 });
    expect(t.addTokens(['<cat1>'])).toEqual([11]);
    expect(t.encode('photo of a <cat1> cat').ids.slice(0, 7)).toEqual([0, 4, 5, 3, 11, 6, 1]);
    expect(() => t.addTokens(['cat'])).toThrow(/already exists/);
  });
  it('truncates with a warning and keeps EOS last', () => {
    const e = new WordTokenizer(VOCAB, { maxLength: 4 }).encode('a cat and dog');
    expect(e.ids).toEqual([0, 3, 6, 1]);
    expect(e.isTruncated).toBe(true);
    expect(e.warnings[0]).toMatch(/Dropped: "and dog"/);
  });
  it('rejects a malformed vocab', () => {
    expect(() => new WordTokenizer({ a: 1 })).toThrow(ModelFormatError);
    expect(() => new WordTokenizer(['a'])).toThrow(/lacks the special token "<\|startoftext\|>"/);
  });
});
