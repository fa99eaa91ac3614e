// The CLIP vocabulary that ships with the studio (public/clip/bpe_simple_vocab_16e6.txt.gz, OpenAI's merge list,
// MIT): builds the 49,408-token SD 1.x tokenizer from the gzipped merges alone, so a single .safetensors checkpoint
// needs no vocab.json / merges.txt beside it. Pure; the caller reads the file. Reference: openai/CLIP
// clip/simple_tokenizer.py `SimpleTokenizer.__init__` (merges[1:49152-256-2+1]; vocab = bytes, bytes + "</w>",
// merges joined, then the two specials). Text cleaning differs from CLIP's only where CLIP runs ftfy: see
// pretokenize.ts and docs/ecosystem.md ("Tokenizer without ftfy").
import { ModelFormatError } from '../../lib/errors';
import { gunzip } from '../image/zlib';
import { ClipBpeTokenizer } from './ClipBpeTokenizer';
import type { ClipTokenizerOptions } from './ClipBpeTokenizer';
import { bytesToUnicode } from './bytes';

/** Where the shipped vocabulary lives, relative to the app's public root (and to the repository's public/). */
export const CLIP_VOCABULARY_PATH = 'clip/bpe_simple_vocab_16e6.txt.gz';
/** Merges CLIP uses from the file (49152 − 256 − 2). */
export const CLIP_MERGES = 48894;

/**
 * The SD 1.x CLIP tokenizer from the gzipped BPE merge list (`bpe_simple_vocab_16e6.txt.gz`).
 * @throws ModelFormatError when the file is not gzip, or holds fewer than 48,894 merges
 * @example const tok = clipTokenizerFromBpe(await readFile('public/clip/bpe_simple_vocab_16e6.txt.gz'));
 */
export function clipTokenizerFromBpe(gz: Uint8Array, options: ClipTokenizerOptions = {}, file = CLIP_VOCABULARY_PATH): ClipBpeTokenizer {
  let text: string;
  try {
    text = new TextDecoder().decode(gunzip(gz, 1 << 24));
  } catch (e) {
    throw new ModelFormatError('garbage', `${file}: ${(e as Error).message}`);
  }
  const lines = text.split('\n');
  const merges = lines.slice(1, 1 + CLIP_MERGES);
  if (merges.length < CLIP_MERGES || merges.some((m) => m.split(' ').length !== 2)) {
    throw new ModelFormatError('garbage', `${file}: expected ${CLIP_MERGES} merges "a b" after the header line, found ${merges.filter((m) => m.split(' ').length === 2).length}.`);
  }
  const symbols = [...bytesToUnicode().values()];
  const words = [...symbols, ...symbols.map((s) => `${s}</w>`), ...merges.map((m) => m.replace(' ', '')), '<|startoftext|>', '<|endoftext|>'];
  const vocab: Record<string, number> = {};
  words.forEach((w, i) => { vocab[w] = i; });
  return new ClipBpeTokenizer(JSON.stringify(vocab), `#version: 0.2\n${merges.join('\n')}\n`, options);
}
