// The tokenizer contract shared by the CLIP BPE tokenizer and the word-level tokenizer of the small
// default model. Types only; no I/O. Reference: HF CLIPTokenizer (padding="max_length", truncation).

/** The result of encoding one prompt for a text encoder. */
export type Encoding = {
  /** [maxLength] ids: SOS, content, EOS, then padId. */
  ids: number[];
  /** Token strings of `ids` before padding (SOS … EOS). */
  tokens: string[];
  /** Number of real (unpadded) ids including SOS and EOS. */
  length: number;
  /** True when content tokens were cut to fit maxLength. */
  isTruncated: boolean;
  /** Human-readable notes (truncation, unknown words). Empty when all is well. */
  warnings: string[];
};

/** A text → ids tokenizer with atomic added tokens (textual-inversion / DisenDiff modifiers). */
export interface Tokenizer {
  /** Base vocabulary plus added tokens. */
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  /** Sequence length of `encode` (77 for CLIP). */
  readonly maxLength: number;
  /** Token strings without SOS/EOS, no padding or truncation. */
  tokenize(text: string): string[];
  /** SOS + tokens + EOS, truncated and padded to maxLength. */
  encode(text: string): Encoding;
  /** Best-effort inverse of encode (special and pad ids dropped). */
  decode(ids: readonly number[]): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /**
   * Registers atomic tokens (e.g. "<cat1>") with ids appended after the vocabulary (49408, 49409 … for
   * CLIP). Throws ConfigError for an empty, whitespace-containing or already-known token.
   */
  addTokens(tokens: readonly string[]): number[];
}
