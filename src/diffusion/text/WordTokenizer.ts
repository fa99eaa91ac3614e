// Word-level tokenizer for the project's small default text encoder: same interface as the CLIP one,
// one id per lower-cased word / digit / punctuation run (CLIP's pre-tokenizer), unknown → <unk> with a
// warning. No I/O: the caller passes the parsed vocab list. Reference: types.ts `Tokenizer`.
import { ModelFormatError } from '../../lib/errors';
import { AddedTokenTable, frame } from './encoding';
import type { Framing } from './encoding';
import { cleanText, splitOnAdded, splitWords } from './pretokenize';
import type { Encoding, Tokenizer } from './types';

/** Special-token strings and length; every string must be in the vocab list. */
export type WordTokenizerOptions = {
  /** Default "<|startoftext|>". */
  bosToken?: string;
  /** Default "<|endoftext|>". */
  eosToken?: string;
  /** Default = eosToken (as SD1.x CLIP). */
  padToken?: string;
  /** Default "<unk>". */
  unkToken?: string;
  /** Default 77. */
  maxLength?: number;
};

/** Word-level tokenizer over a vocab list (index = id). */
export class WordTokenizer implements Tokenizer {
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly maxLength: number;
  private readonly words: readonly string[];
  /** word → id (first occurrence wins). */
  private readonly ids = new Map<string, number>();
  private readonly added: AddedTokenTable;
  private readonly framing: Framing;
  private readonly unkToken: string;

  /**
   * @param vocab JSON-parsed vocab list, e.g. `["<|startoftext|>", "<|endoftext|>", "<unk>", "a", "cat", …]`.
   * @throws ModelFormatError when vocab is not a list of strings or lacks a special token.
   */
  constructor(vocab: unknown, options: WordTokenizerOptions = {}) {
    if (!Array.isArray(vocab) || !vocab.every((w) => typeof w === 'string')) {
      throw new ModelFormatError('garbage', 'Word vocab must be a JSON list of strings (index = id).');
    }
    this.words = vocab as string[];
    this.words.forEach((w, i) => {
      if (!this.ids.has(w)) this.ids.set(w, i);
    });
    const need = (token: string): number => {
      const id = this.ids.get(token);
      if (id === undefined) throw new ModelFormatError('garbage', `Word vocab lacks the special token "${token}".`);
      return id;
    };
    const bos = options.bosToken ?? '<|startoftext|>';
    const eos = options.eosToken ?? '<|endoftext|>';
    this.unkToken = options.unkToken ?? '<unk>';
    this.bosId = need(bos);
    this.eosId = need(eos);
    this.padId = need(options.padToken ?? eos);
    this.unkId = need(this.unkToken);
    this.maxLength = options.maxLength ?? 77;
    this.added = new AddedTokenTable(this.words.length);
    this.framing = { bosId: this.bosId, eosId: this.eosId, padId: this.padId, bos, eos, maxLength: this.maxLength };
  }

  get vocabSize(): number {
    return this.words.length + this.added.size;
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const piece of splitOnAdded(text, this.added.tokens)) {
      if (piece.kind === 'added') out.push(piece.token);
      else for (const w of splitWords(cleanText(piece.text))) out.push(w);
    }
    return out;
  }

  encode(text: string): Encoding {
    const tokens = this.tokenize(text);
    const unknown = new Set<string>();
    const ids = tokens.map((t) => {
      const id = this.tokenToId(t);
      if (id !== undefined) return id;
      unknown.add(t);
      return this.unkId;
    });
    const warnings = unknown.size === 0 ? [] : [
      `Unknown word(s) ${[...unknown].map((w) => `"${w}"`).join(', ')} encoded as ${this.unkToken}; the small model's vocabulary has ${this.words.length} words.`,
    ];
    return frame(this.framing, ids, tokens, warnings);
  }

  decode(ids: readonly number[]): string {
    const specials = new Set([this.bosId, this.eosId, this.padId]);
    return ids.filter((id) => !specials.has(id)).map((id) => this.idToToken(id) ?? this.unkToken).join(' ');
  }

  tokenToId(token: string): number | undefined {
    return this.added.get(token) ?? this.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.added.tokenOf(id) ?? this.words[id];
  }

  addTokens(tokens: readonly string[]): number[] {
    return this.added.add(tokens, (t) => this.ids.has(t));
  }
}
