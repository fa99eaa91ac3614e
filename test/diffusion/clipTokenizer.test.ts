// ClipBpeTokenizer on a tiny vocab/merges in CLIP's real layout (tools/fixtures/clip_tiny_vocab.py).
// Ids 0–511 are the byte alphabet exactly as in CLIP's 49,408-entry vocab, so single-byte tokens carry
// their real CLIP ids ("a</w>" = 320, ",</w>" = 267, ".</w>" = 269); merged ids are fixture-only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ModelFormatError } from '../../src/lib/errors';
import { bytesToUnicode } from '../../src/diffusion/text/bytes';
import { ClipBpeTokenizer } from '../../src/diffusion/text/ClipBpeTokenizer';

const dir = new URL('../fixtures/diffusion/clip-tiny/', import.meta.url);
const vocabJson = readFileSync(new URL('vocab.json', dir), 'utf8');
const mergesTxt = readFileSync(new URL('merges.txt', dir), 'utf8');
const vocab = JSON.parse(vocabJson) as Record<string, number>;
const make = (o = {}): ClipBpeTokenizer => new ClipBpeTokenizer(vocabJson, mergesTxt, o);

describe('the byte-level base vocabulary', () => {
  it('matches the Python bytes_to_unicode layout: ids 0–255 bytes, 256–511 the same with </w>', () => {
    const chars = [...bytesToUnicode().values()];
    chars.forEach((c, i) => {
      expect(vocab[c]).toBe(i);
      expect(vocab[`${c}</w>`]).toBe(256 + i);
    });
  });
  it('gives the real CLIP ids of single-character words', () => {
    expect(make().encode('a , .').ids.slice(0, 5)).toEqual([532, 320, 267, 269, 533]);
    expect(make().tokenToId('!')).toBe(0);
  });
});

describe('BPE', () => {
  it('applies merges by rank, with </w> on the final symbol', () => {
    const t = make();
    expect(t.tokenize('a photo of a cat')).toEqual(['a</w>', 'photo</w>', 'of</w>', 'a</w>', 'cat</w>']);
    expect(t.tokenize('sleeping')).toEqual(['sle', 'eping</w>']);
    expect(t.tokenize('cats')).toEqual(['cat', 's</w>']);
    expect(t.tokenize('dog')).toEqual(['dog</w>']);
  });
  it('keeps CLIP special tokens written in the text whole', () => {
    expect(make().encode('a <|endoftext|> cat').ids.slice(0, 5)).toEqual([532, 320, 533, 513, 533]);
  });
  it('lower-cases, collapses whitespace and splits digits and punctuation like CLIP', () => {
    const t = make();
    expect(t.tokenize('  A\n\tDOG  ')).toEqual(['a</w>', 'dog</w>']);
    expect(t.tokenize("cat's 42!?")).toEqual(['cat</w>', "'", 's</w>', '4</w>', '2</w>', '!', '?</w>']);
  });
  it('encodes UTF-8 through the byte alphabet and decodes back', () => {
    const t = make();
    expect(t.tokenize('é')).toEqual(['Ã', '©</w>']);
    expect(t.decode(t.encode('a café photo').ids)).toBe('a café photo');
  });
});

describe('encode', () => {
  it('frames with SOS/EOS and pads with EOS (SD1.x) to 77', () => {
    const e = make().encode('a cat');
    expect(e.ids.length).toBe(77);
    expect(e.ids.slice(0, 4)).toEqual([532, 320, 513, 533]);
    expect(e.ids[76]).toBe(533);
    expect(e.length).toBe(4);
    expect(e.isTruncated).toBe(false);
    expect(e.warnings).toEqual([]);
  });
  it('pads with "!" (id 0) when asked, as SD2.x does', () => {
    expect(make({ padToken: '!' }).encode('a').ids.slice(0, 4)).toEqual([532, 320, 533, 0]);
  });
  it('truncates to 75 content tokens, keeps EOS and warns', () => {
    const e = make().encode(Array(100).fill('cat').join(' '));
    expect(e.ids.length).toBe(77);
    expect(e.ids[75]).toBe(513);
    expect(e.ids[76]).toBe(533);
    expect(e.isTruncated).toBe(true);
    expect(e.warnings[0]).toMatch(/100 tokens; only the first 75 fit/);
  });
});

describe('added tokens', () => {
  it('get ids after the vocabulary and stay atomic', () => {
    const t = make();
    expect(t.tokenize('<cat1> cat')).toEqual(['<</w>', 'cat</w>', '1</w>', '></w>', 'cat</w>']);
    expect(t.addTokens(['<cat1>', '<dog1>'])).toEqual([534, 535]);
    expect(t.vocabSize).toBe(536);
    expect(t.tokenize('a<cat1>cat and <dog1> dog')).toEqual(['a</w>', '<cat1>', 'cat</w>', 'and</w>', '<dog1>', 'dog</w>']);
    expect(t.encode('photo of a <cat1> cat').ids.slice(0, 7)).toEqual([532, 521, 517, 320, 534, 513, 533]);
    expect(t.idToToken(535)).toBe('<dog1>');
    expect(t.decode(t.encode('a <cat1> cat').ids)).toBe('a <cat1> cat');
  });
  it('refuses duplicates, vocab words and whitespace, adding nothing', () => {
    const t = make();
    t.addTokens(['<cat1>']);
    expect(() => t.addTokens(['<new>', '<cat1>'])).toThrow(ConfigError);
    expect(() => t.addTokens(['cat</w>'])).toThrow(/already exists/);
    expect(() => t.addTokens(['<a b>'])).toThrow(/no whitespace/);
    expect(t.vocabSize).toBe(535);
  });
});

describe('malformed files', () => {
  it('throws ModelFormatError naming the problem', () => {
    expect(() => new ClipBpeTokenizer('{oops', mergesTxt)).toThrow(ModelFormatError);
    expect(() => new ClipBpeTokenizer('{"a": 1}', mergesTxt)).toThrow(/lacks the special token "<\|startoftext\|>"/);
    expect(() => new ClipBpeTokenizer(vocabJson, '#version: 0.2\na b c')).toThrow(/not "a b"/);
    expect(() => make({ padToken: '<pad>' })).toThrow(/padToken "<pad>"/);
  });
});

describe('unbounded input', () => {
  it('tokenizes 130,000 words without spreading them onto the stack', async () => {
    const { WordTokenizer } = await import('../../src/diffusion/text/WordTokenizer');
    const tok = new WordTokenizer(['<|startoftext|>', '<|endoftext|>', '<unk>', 'a', 'cat']);
    expect(tok.tokenize('a cat '.repeat(65_000))).toHaveLength(130_000);
  });
});
