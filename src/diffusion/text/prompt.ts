// Prompt helpers for concept tokens: find `<name>` tokens, auto-expand `<cat1>` → `<cat1> cat` so the
// class word sits right after its modifier (DisenDiff takes token index + 1 as the class map), and find
// token positions in encoded ids. Pure; no I/O. Reference: docs/disendiff.md §2.3, docs/ecosystem.md §1.

/** One concept token occurrence in a prompt. */
export type ConceptTokenMatch = {
  /** The full token, e.g. "<cat1>". */
  token: string;
  /** The name between the brackets, e.g. "cat1". */
  name: string;
  /** Character offset of "<" in the prompt. */
  index: number;
};

/** A learned concept: its atomic token and its single-word class noun. */
export type ConceptSpec = { token: string; classWord: string };

/**
 * `<name>` with name of letters, digits, ".", "_" or "-" (no spaces or ":", so `<lora:x:1>` is not one): the one
 * token syntax. Training (train/concepts.ts), the studio's prompt chips and its stricter token rule
 * (state/concepts.ts) all read it from here.
 */
const CONCEPT_TOKEN = /<([A-Za-z0-9._-]+)>/g;
const WHOLE_CONCEPT_TOKEN = /^<([A-Za-z0-9._-]+)>$/;

/** Whether `text` is exactly one concept token, e.g. "<cat1>" (true) or "<lora:x:1>" (false). */
export function isConceptToken(text: string): boolean {
  return WHOLE_CONCEPT_TOKEN.test(text);
}

/** The name between the brackets of a concept token ("<cat1>" → "cat1"), undefined for anything else. */
export function conceptTokenName(text: string): string | undefined {
  return WHOLE_CONCEPT_TOKEN.exec(text)?.[1];
}

/** Every `<name>` occurrence, in order. */
export function parseConceptTokens(prompt: string): ConceptTokenMatch[] {
  return [...prompt.matchAll(CONCEPT_TOKEN)].map((m) => ({ token: m[0], name: m[1] as string, index: m.index ?? 0 }));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Inserts each concept's class word after its token unless that word already follows (after optional
 * whitespace, case-insensitive, whole word). Tokens not in `concepts`, and concepts with no class word yet, are left alone. The one prompt expansion: the
 * studio (state/concepts.ts `expandPrompt`) and training (train/concepts.ts) call this. Linear in the prompt's
 * length per concept (the look-ahead is a sticky match at the token's end, not a copy of the rest).
 * @example expandConceptTokens('a <cat1> on a sofa', [{ token: '<cat1>', classWord: 'cat' }]) === 'a <cat1> cat on a sofa'
 */
export function expandConceptTokens(prompt: string, concepts: readonly ConceptSpec[]): string {
  let out = prompt;
  for (const { token, classWord } of concepts) {
    if (classWord.trim() === '') continue;
    const follows = new RegExp(`\\s*${escapeRe(classWord)}(?![\\p{L}\\p{N}])`, 'iuy');
    out = out.replace(new RegExp(escapeRe(token), 'gu'), (m: string, at: number, whole: string) => {
      follows.lastIndex = at + m.length;
      return follows.test(whole) ? m : `${m} ${classWord}`;
    });
  }
  return out;
}

/** Indices i with ids[i] === tokenId (e.g. where "<cat1>" = 49408 sits in a 77-id encoding). */
export function findTokenPositions(ids: readonly number[], tokenId: number): number[] {
  const out: number[] = [];
  ids.forEach((id, i) => {
    if (id === tokenId) out.push(i);
  });
  return out;
}

/** One A1111 `<lora:name:weight>` tag (weight default 1, as A1111's extra-network syntax). */
export type LoraTag = { name: string; strength: number };

/** `<lora:name>` or `<lora:name:0.8>`; A1111's extra_networks `re_extra_net` with the network type fixed to "lora". */
const LORA_TAG = /<lora:([^:>]+)(?::([^:>]*))?>/g;

/**
 * Removes every `<lora:name:w>` from a prompt (they are not sent to CLIP) and returns them in order.
 * @throws Error naming the tag when the weight is not a number
 * @example parseLoraTags('a cat <lora:ink:0.8>') // { prompt: 'a cat', loras: [{ name: 'ink', strength: 0.8 }] }
 */
export function parseLoraTags(prompt: string): { prompt: string; loras: LoraTag[] } {
  const loras: LoraTag[] = [];
  for (const m of prompt.matchAll(LORA_TAG)) {
    const raw = (m[2] ?? '').trim();
    const strength = raw === '' ? 1 : Number(raw);
    if (!Number.isFinite(strength)) throw new Error(`prompt: ${m[0]} has weight "${raw}", which is not a number`);
    loras.push({ name: (m[1] as string).trim(), strength });
  }
  const text = prompt.replace(LORA_TAG, '').replace(/[ \t]{2,}/g, ' ').replace(/\s+([,.])/g, '$1').trim();
  return { prompt: text, loras };
}
