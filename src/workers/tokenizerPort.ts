// The concepts panel's and prompt field's view of the model's tokenizer (TokenizerPort, src/state/ports.ts): single-token
// checks, known words, the token counter (promptTokens.ts), and for a small word-level vocabulary its words grouped as
// the generated world names them (src/world/vocab.ts). Pure over a Tokenizer; no worker, no DOM.
import type { Tokenizer } from '../diffusion/index';
import type { ModelVocabulary, TokenizerPort } from '../state/index';
import { COLORS, PATTERNS, SHAPES } from '../world/index';
import { countPromptTokens } from './promptTokens';

/**
 * A closed (word-level) vocabulary grouped as the generated world names its words (src/world/vocab.ts): which
 * shapes, colours and patterns this tokenizer really has, and its other plain words.
 */
export function modelVocabulary(tok: Tokenizer): ModelVocabulary {
  const words = Array.from({ length: tok.vocabSize }, (_, id) => tok.idToToken(id) ?? '').filter((w) => /^[a-z]+$/.test(w));
  const has = new Set(words);
  const pick = (list: readonly string[]) => list.filter((w) => has.has(w));
  const grouped = new Set<string>([...SHAPES, ...COLORS, ...PATTERNS]);
  return { nouns: pick(SHAPES), colours: pick(COLORS), patterns: pick(PATTERNS), other: words.filter((w) => !grouped.has(w)) };
}

/** The concepts panel's view of a tokenizer; a small word-level vocabulary also lists example words and its vocabulary. */
export function tokenizerPort(tok: Tokenizer): TokenizerPort {
  const isSmall = tok.vocabSize < 1000;
  const words = isSmall ? Array.from({ length: tok.vocabSize }, (_, id) => tok.idToToken(id) ?? '').filter((w) => /^[a-z]{4,}$/.test(w)) : [];
  const isSingleToken = (word: string) => tok.tokenize(word).length === 1;
  const vocabulary = isSmall ? modelVocabulary(tok) : undefined;
  const example = vocabulary ? (vocabulary.nouns[0] ?? words[0]) : isSingleToken('cat') ? 'cat' : undefined;
  return {
    isSingleToken,
    isKnownWord: (word) => tok.tokenize(word).every((t) => tok.tokenToId(t) !== undefined),
    countPromptTokens: (prompt, embeddings) => countPromptTokens(tok, prompt, embeddings),
    exampleWords: words.slice(0, 24),
    ...(example ? { exampleClassWord: example } : {}),
    ...(vocabulary ? { vocabulary } : {}),
  };
}
