// The O(n log n) BPE (ClipBpeTokenizer `bpe`, a heap over a linked list) against CLIP's own O(n²) loop
// (openai/CLIP simple_tokenizer.py `bpe`, transcribed below) on the shipped 49,408-token vocabulary: seeded random
// words made of frequent pieces and runs of one letter (where overlapping equal pairs decide the result).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gunzip } from '../../src/diffusion/image/zlib';
import { CLIP_MERGES, clipTokenizerFromBpe } from '../../src/diffusion/text/clipVocabulary';
import { Rng } from '../../src/lib/random';

const gz = new Uint8Array(readFileSync(new URL('../../public/clip/bpe_simple_vocab_16e6.txt.gz', import.meta.url)));
const merges = new TextDecoder().decode(gunzip(gz, 1 << 24)).split('\n').slice(1, 1 + CLIP_MERGES);
const ranks = new Map(merges.map((m, i) => [m, i]));

/** CLIP simple_tokenizer.py `bpe`, line by line (get_pairs, min by rank, the left-to-right merge pass). */
function clipBpe(token: string): string[] {
  let word = [...token.slice(0, -1), `${token.slice(-1)}</w>`];
  while (word.length > 1) {
    let bigram: [string, string] | undefined;
    let best = Infinity;
    for (let i = 0; i < word.length - 1; i++) {
      const r = ranks.get(`${word[i]} ${word[i + 1]}`);
      if (r !== undefined && r < best) [best, bigram] = [r, [word[i] as string, word[i + 1] as string]];
    }
    if (!bigram) break;
    const [first, second] = bigram;
    const out: string[] = [];
    let i = 0;
    while (i < word.length) {
      const j = word.indexOf(first, i);
      if (j < 0) { out.push(...word.slice(i)); break; }
      out.push(...word.slice(i, j));
      i = j;
      if (word[i] === first && i < word.length - 1 && word[i + 1] === second) { out.push(first + second); i += 2; } else { out.push(word[i] as string); i += 1; }
    }
    word = out;
  }
  return word;
}

describe('BPE on the shipped CLIP vocabulary', () => {
  const tok = clipTokenizerFromBpe(gz);
  const pieces = ['a', 'aa', 'ab', 'an', 'the', 'ing', 'er', 'lo', 'ol', 'ss', 'e', 'q', 'z', 'x', 'tion', 'cat', 'dog', 'ana', 'aaa', 'mm'];

  it('gives CLIP\'s symbols for 400 seeded words of frequent pieces and letter runs', () => {
    const rng = new Rng(11);
    let merged = 0;
    for (let k = 0; k < 400; k++) {
      let w = '';
      const parts = rng.int(1, 12);
      for (let p = 0; p < parts; p++) w += rng.uniform() < 0.2 ? 'a'.repeat(rng.int(2, 9)) : pieces[rng.int(0, pieces.length - 1)];
      const want = clipBpe(w);
      expect(tok.tokenize(w), w).toEqual(want);
      if (want.length < w.length) merged++;
    }
    expect(merged).toBeGreaterThan(350); // the words do exercise merges
  });

  it('gives CLIP\'s symbols for long runs of one letter and of one pair', () => {
    for (const w of ['a'.repeat(7), 'a'.repeat(64), 'a'.repeat(501), 'lo'.repeat(200), 'ana'.repeat(99)]) expect(tok.tokenize(w), w.slice(0, 12)).toEqual(clipBpe(w));
  });
});
