// Text normalisation and pre-tokenisation shared by the tokenizers: whitespace cleanup, lower-casing,
// CLIP's split regex, and splitting around atomic added tokens. Pure; no I/O.
// Reference: openai/CLIP simple_tokenizer.py (`whitespace_clean`, `self.pat`). Deviation: no ftfy
// fix_text (not available in JS); html entities &amp; &lt; &gt; &quot; &#39; are unescaped instead.

/** CLIP's pattern: specials, English contractions, letter runs, single digits, other non-space runs. */
const CLIP_PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** NFC, html-unescape, collapse whitespace runs to one space, trim, lower-case. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();
}

/** Splits cleaned text into pre-tokens with CLIP's regex. */
export function splitWords(cleaned: string): string[] {
  return cleaned.match(CLIP_PATTERN) ?? [];
}

/** A piece of the input: either raw text to tokenize or one atomic added token. */
export type Piece = { kind: 'text'; text: string } | { kind: 'added'; token: string };

/**
 * Splits `text` around occurrences of `added` tokens (exact, case-sensitive, longest first), so that
 * "<cat1>" stays one token whatever the pre-tokenizer would do with "<", "cat1", ">".
 */
export function splitOnAdded(text: string, added: readonly string[]): Piece[] {
  if (added.length === 0) return [{ kind: 'text', text }];
  const sorted = [...added].sort((a, b) => b.length - a.length);
  const escaped = sorted.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(escaped.join('|'), 'gu');
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) pieces.push({ kind: 'text', text: text.slice(last, at) });
    pieces.push({ kind: 'added', token: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) });
  return pieces;
}
