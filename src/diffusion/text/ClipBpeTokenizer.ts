// CLIP's byte-level BPE tokenizer (SD1.x text encoder): clean + lower-case, CLIP regex, UTF-8 bytes →
// byte alphabet, "</w>" on the last symbol, greedy lowest-rank merges, cached per word. No I/O: the
// caller passes the text of vocab.json and merges.txt. Reference: openai/CLIP simple_tokenizer.py
// (`bpe`, `encode`) and HF CLIPTokenizer (pad/unk = <|endoftext|> 49407 for SD1.x, added tokens).
import { ModelFormatError } from '../../lib/errors';
import { parseJsonText } from '../../lib/schema';
import { bytesToUnicode } from './bytes';
import { AddedTokenTable, frame } from './encoding';
import type { Framing } from './encoding';
import { cleanText, splitOnAdded, splitWords } from './pretokenize';
import type { Encoding, Tokenizer } from './types';

export type ClipTokenizerOptions = {
  /** Default 77. */
  maxLength?: number;
  /** Padding token string. Default "<|endoftext|>" (SD1.x); SD2.x uses "!". */
  padToken?: string;
};

const BOS = '<|startoftext|>';
const EOS = '<|endoftext|>';

function parseVocab(vocabJson: string): Map<string, number> {
  const raw = parseJsonText(vocabJson, 'vocab.json', (m) => new ModelFormatError('garbage', `${m}; pass the file's text.`));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ModelFormatError('garbage', 'vocab.json must be an object {"token": id, …}.');
  }
  const vocab = new Map<string, number>();
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!Number.isInteger(v) || (v as number) < 0) throw new ModelFormatError('garbage', `vocab.json: id of "${k}" is ${String(v)}, not an integer ≥ 0.`);
    vocab.set(k, v as number);
  }
  for (const special of [BOS, EOS]) {
    if (!vocab.has(special)) throw new ModelFormatError('garbage', `vocab.json lacks the special token "${special}".`);
  }
  return vocab;
}

/** merges.txt → "a b" → rank (line order, the "#version" header skipped). */
function parseMerges(mergesTxt: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of mergesTxt.split(/\r?\n/)) {
    if (line.startsWith('#version') || line.trim() === '') continue;
    const parts = line.split(' ');
    if (parts.length !== 2) throw new ModelFormatError('garbage', `merges.txt: line "${line.slice(0, 40)}" is not "a b".`);
    if (!ranks.has(line)) ranks.set(line, ranks.size);
  }
  return ranks;
}

/** Byte-level BPE tokenizer with CLIP's vocabulary layout. */
export class ClipBpeTokenizer implements Tokenizer {
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly maxLength: number;
  private readonly vocab: Map<string, number>;
  private readonly inverse = new Map<number, string>();
  private readonly ranks: Map<string, number>;
  private readonly byteEncoder = bytesToUnicode();
  private readonly byteDecoder = new Map<string, number>();
  /** word (byte-alphabet string) → its BPE symbols. */
  private readonly cache = new Map<string, string[]>();
  private readonly added: AddedTokenTable;
  private readonly framing: Framing;

  /** @throws ModelFormatError when vocab.json / merges.txt are malformed or the pad token is unknown. */
  constructor(vocabJson: string, mergesTxt: string, options: ClipTokenizerOptions = {}) {
    this.vocab = parseVocab(vocabJson);
    this.ranks = parseMerges(mergesTxt);
    for (const [k, v] of this.vocab) this.inverse.set(v, k);
    for (const [b, c] of this.byteEncoder) this.byteDecoder.set(c, b);
    const padToken = options.padToken ?? EOS;
    const pad = this.vocab.get(padToken);
    if (pad === undefined) throw new ModelFormatError('garbage', `padToken "${padToken}" is not in vocab.json.`);
    this.bosId = this.vocab.get(BOS) as number;
    this.eosId = this.vocab.get(EOS) as number;
    this.padId = pad;
    this.maxLength = options.maxLength ?? 77;
    let maxId = 0;
    for (const id of this.vocab.values()) maxId = Math.max(maxId, id);
    this.added = new AddedTokenTable(maxId + 1);
    for (const special of [BOS, EOS]) this.cache.set(special, [special]);
    this.framing = { bosId: this.bosId, eosId: this.eosId, padId: this.padId, bos: BOS, eos: EOS, maxLength: this.maxLength };
  }

  get vocabSize(): number {
    return this.vocab.size + this.added.size;
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const piece of splitOnAdded(text, this.added.tokens)) {
      if (piece.kind === 'added') out.push(piece.token);
      else for (const word of splitWords(cleanText(piece.text))) for (const t of this.bpe(this.toByteAlphabet(word))) out.push(t);
    }
    return out;
  }

  encode(text: string): Encoding {
    const tokens = this.tokenize(text);
    const warnings: string[] = [];
    const ids = tokens.map((t) => {
      const id = this.tokenToId(t);
      if (id !== undefined) return id;
      warnings.push(`Token "${t}" is not in the vocabulary; encoded as ${EOS} (CLIP's unknown token).`);
      return this.eosId;
    });
    return frame(this.framing, ids, tokens, warnings);
  }

  decode(ids: readonly number[]): string {
    const specials = new Set([this.bosId, this.eosId, this.padId]);
    const bytes: number[] = [];
    for (const id of ids) {
      if (specials.has(id)) continue;
      const added = this.added.tokenOf(id);
      if (added !== undefined) bytes.push(...new TextEncoder().encode(` ${added} `));
      else for (const ch of (this.inverse.get(id) ?? '').replace(/<\/w>/g, ' ')) bytes.push(this.byteDecoder.get(ch) ?? 0x20);
    }
    return new TextDecoder().decode(Uint8Array.from(bytes)).replace(/\s+/g, ' ').trim();
  }

  tokenToId(token: string): number | undefined {
    return this.added.get(token) ?? this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.added.tokenOf(id) ?? this.inverse.get(id);
  }

  addTokens(tokens: readonly string[]): number[] {
    return this.added.add(tokens, (t) => this.vocab.has(t));
  }

  private toByteAlphabet(word: string): string {
    let s = '';
    for (const b of new TextEncoder().encode(word)) s += this.byteEncoder.get(b) as string;
    return s;
  }

  /**
   * CLIP `bpe` (openai/CLIP simple_tokenizer.py `bpe`): symbols = chars with "</w>" on the last; repeatedly merge
   * every occurrence, left to right, of the lowest-rank pair. Same result in O(n log n) instead of O(n²) (a
   * 100,000-letter word took seconds): a heap of (rank, left position) over a linked list of symbols. Ranks are
   * unique per pair and a merge never recreates the pair it merged, so popping by (rank, position) merges each
   * pair's occurrences left to right exactly as CLIP's pass does; an entry whose two symbols changed is skipped.
   */
  private bpe(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const sym = [...word];
    sym[sym.length - 1] += '</w>';
    const n = sym.length;
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const heap = new PairHeap();
    const pushPair = (i: number): void => {
      const j = next[i] as number;
      if (i < 0 || j < 0) return;
      const r = this.ranks.get(`${sym[i]} ${sym[j]}`);
      if (r !== undefined) heap.push(r, i, sym[i] as string, sym[j] as string);
    };
    for (let i = 0; i < n - 1; i++) pushPair(i);
    for (let e = heap.pop(); e; e = heap.pop()) {
      const i = e.pos;
      const j = next[i] as number;
      if (j < 0 || sym[i] !== e.left || sym[j] !== e.right) continue;
      sym[i] = e.left + e.right;
      sym[j] = ''; // absorbed: its stale heap entries fail the check above
      const k = next[j] as number;
      next[i] = k;
      if (k >= 0) prev[k] = i;
      pushPair(prev[i] as number);
      pushPair(i);
    }
    const symbols: string[] = [];
    for (let i = 0; i >= 0; i = next[i] as number) symbols.push(sym[i] as string);
    this.cache.set(word, symbols);
    return symbols;
  }
}

/** A binary min-heap of BPE merge candidates ordered by (rank, left position). */
class PairHeap {
  private readonly items: { rank: number; pos: number; left: string; right: string }[] = [];

  push(rank: number, pos: number, left: string, right: string): void {
    const a = this.items;
    a.push({ rank, pos, left, right });
    for (let c = a.length - 1; c > 0;) {
      const p = (c - 1) >> 1;
      if (!less(a[c]!, a[p]!)) break;
      [a[c], a[p]] = [a[p]!, a[c]!];
      c = p;
    }
  }

  pop(): { rank: number; pos: number; left: string; right: string } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let p = 0; ;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === p) break;
        [a[m], a[p]] = [a[p]!, a[m]!];
        p = m;
      }
    }
    return top;
  }
}

function less(x: { rank: number; pos: number }, y: { rank: number; pos: number }): boolean {
  return x.rank < y.rank || (x.rank === y.rank && x.pos < y.pos);
}
