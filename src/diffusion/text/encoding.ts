// Shared tail of every tokenizer: SOS/EOS framing, truncation with a warning, padding, and the table
// of atomic added tokens. Pure; no I/O. Reference: HF `PreTrainedTokenizer` (max_length padding,
// truncation keeps the first maxLength − 2 content tokens) and `add_tokens` (ids after the vocab).
import { ConfigError } from '../../lib/errors';
import type { Encoding } from './types';

/** Ids and token strings of the special tokens plus the target length. */
export type Framing = { bosId: number; eosId: number; padId: number; bos: string; eos: string; maxLength: number };

/** [SOS, …content, EOS] cut to maxLength (EOS kept) and padded with padId. */
export function frame(f: Framing, ids: number[], tokens: string[], warnings: string[]): Encoding {
  const room = f.maxLength - 2;
  const isTruncated = ids.length > room;
  const out = [...warnings];
  if (isTruncated) {
    const dropped = tokens.slice(room).join(' ');
    out.push(
      `Prompt is ${ids.length} tokens; only the first ${room} fit (max length ${f.maxLength} incl. start/end). ` +
        `Dropped: "${dropped.length > 80 ? `${dropped.slice(0, 80)}…` : dropped}".`,
    );
  }
  const realIds = [f.bosId, ...ids.slice(0, room), f.eosId];
  const realTokens = [f.bos, ...tokens.slice(0, room), f.eos];
  const padded = realIds.concat(new Array<number>(f.maxLength - realIds.length).fill(f.padId));
  return { ids: padded, tokens: realTokens, length: realIds.length, isTruncated, warnings: out };
}

/** Atomic tokens appended after a base vocabulary. Map: token string → id (base size + insertion index). */
export class AddedTokenTable {
  private readonly byToken = new Map<string, number>();
  private readonly byId = new Map<number, string>();

  constructor(private readonly baseSize: number) {}

  get size(): number {
    return this.byToken.size;
  }

  get tokens(): string[] {
    return [...this.byToken.keys()];
  }

  get(token: string): number | undefined {
    return this.byToken.get(token);
  }

  tokenOf(id: number): string | undefined {
    return this.byId.get(id);
  }

  /** Adds all tokens or none; `isKnown` reports tokens that already exist in the base vocabulary. */
  add(tokens: readonly string[], isKnown: (t: string) => boolean): number[] {
    const seen = new Set<string>();
    for (const t of tokens) {
      if (t.length === 0 || /\s/u.test(t)) {
        throw new ConfigError(`Added token ${JSON.stringify(t)} must be non-empty and contain no whitespace (e.g. "<cat1>").`);
      }
      if (isKnown(t) || this.byToken.has(t) || seen.has(t)) {
        throw new ConfigError(`Token "${t}" already exists in the tokenizer; pick a new name such as "<${t.replace(/[<>]/g, '')}2>".`);
      }
      seen.add(t);
    }
    return tokens.map((t) => {
      const id = this.baseSize + this.byToken.size;
      this.byToken.set(t, id);
      this.byId.set(id, t);
      return id;
    });
  }
}
