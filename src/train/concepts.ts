// Concepts of a DisenDiff run: 1–4 modifier tokens like `<cat1>`, each bound to a ONE-token
// class word that sits right after it in every prompt (`<cat1> cat`; the class map is token index + 1,
// docs/disendiff.md §2.3); token positions in encoded prompts; initial modifier rows (§2.2). Pure; no I/O.
import { ConfigError } from '../lib/errors';
import { expandConceptTokens, isConceptToken } from '../diffusion/index';
import type { Tokenizer } from '../diffusion/index';

/** A concept as the user defines it. */
export type ConceptDef = { token: string; classWord: string };

/** A concept registered in a tokenizer: `row` is its row in the text encoder's `extra_token_embeds`. */
export type Concept = ConceptDef & { tokenId: number; classId: number; row: number };

/** Where concept i sits in one encoded prompt (undefined when the prompt does not mention it). */
export type ConceptPosition = { modifier: number; cls: number } | undefined;

/** How modifier rows start: copies of rare BPE rows (released DisenDiff) or of the class word's row. */
export type RowInit = { kind: 'rare'; ids?: readonly number[] } | { kind: 'class-word' } | { kind: 'mean'; ids: readonly number[] };

export const MAX_CONCEPTS = 4;

/**
 * Rare CLIP BPE rows of the released code (`FrozenCLIPEmbedderWrapper.add_token`, §2.2), per concept count:
 * the last modifier ← 42170 ("ktn"), the one before ← 47629 ("pll"), three tokens: the first ← 43514 ("ucd</w>").
 * Deviation: with 3 tokens the released middle token keeps a random init; we give it 47629.
 */
export const DISENDIFF_RARE_IDS: Readonly<Record<number, readonly number[]>> = { 1: [42170], 2: [47629, 42170], 3: [43514, 47629, 42170] };

function validateDefs(defs: readonly ConceptDef[], tokenizer: Tokenizer): void {
  if (defs.length < 1 || defs.length > MAX_CONCEPTS) throw new ConfigError(`DisenDiff trains 1 to ${MAX_CONCEPTS} concepts; got ${defs.length}.`);
  const seen = new Set<string>();
  for (const { token, classWord } of defs) {
    if (!isConceptToken(token)) throw new ConfigError(`Concept token "${token}" must look like "<cat1>": "<", letters/digits/._-, ">".`);
    if (seen.has(token)) throw new ConfigError(`Concept token "${token}" is used twice; every concept needs its own token.`);
    seen.add(token);
    const pieces = tokenizer.tokenize(classWord);
    if (pieces.length !== 1) {
      throw new ConfigError(`Class word "${classWord}" of ${token} is ${pieces.length} tokens (${pieces.join(' | ') || 'none'}); DisenDiff reads the class map at the ONE token after the modifier, so pick a single-token noun (e.g. "cat", "dog", "toy").`);
    }
  }
}

/**
 * Validates the concepts and adds their tokens to `tokenizer` (atomic, ids after the base vocabulary).
 * @param vocabSize the text encoder's vocab_size: token id vocabSize + r selects extra_token_embeds row r
 * @throws ConfigError for 0 or > 4 concepts, a malformed or repeated token, a multi-token class word
 */
export function registerConcepts(tokenizer: Tokenizer, defs: readonly ConceptDef[], vocabSize: number): Concept[] {
  validateDefs(defs, tokenizer);
  const ids = tokenizer.addTokens(defs.map((d) => d.token));
  return defs.map((d, i) => {
    const tokenId = ids[i] as number;
    const classId = tokenizer.tokenToId((tokenizer.tokenize(d.classWord)[0]) as string) as number;
    const row = tokenId - vocabSize;
    if (row < 0 || row >= defs.length) throw new ConfigError(`Token ${d.token} got id ${tokenId}, but the text encoder's vocab_size is ${vocabSize}; the tokenizer and the model disagree on the vocabulary size.`);
    return { ...d, tokenId, classId, row };
  });
}

/** `a <cat1> on a sofa` → `a <cat1> cat on a sofa` (each modifier followed by its class word). */
export function expandPrompt(prompt: string, concepts: readonly ConceptDef[]): string {
  return expandConceptTokens(prompt, concepts);
}

/**
 * Positions of each concept's modifier and class token in `ids` (first occurrence, as the released code).
 * @throws ConfigError when a modifier is not followed by its class word (prompt not expanded, or truncated)
 */
export function conceptPositions(ids: readonly number[], concepts: readonly Concept[]): ConceptPosition[] {
  return concepts.map((c) => {
    const at = ids.indexOf(c.tokenId);
    if (at < 0) return undefined;
    if (ids[at + 1] !== c.classId) {
      throw new ConfigError(`${c.token} at token ${at} is followed by id ${ids[at + 1]}, not its class word "${c.classWord}" (${c.classId}); expand the prompt with expandPrompt() and keep it under the length limit.`);
    }
    return { modifier: at, cls: at + 1 };
  });
}

/**
 * The graph's selection inputs for one batch: select [B, S, 2n] (column i one-hot at modifier i, column n+i at
 * its class token) and present [B, n]. An absent concept leaves both columns zero.
 */
export function selectionInputs(positions: readonly ConceptPosition[][], seqLen: number, n: number): { select: Float32Array; present: Float32Array } {
  const k = 2 * n;
  const select = new Float32Array(positions.length * seqLen * k);
  const present = new Float32Array(positions.length * n);
  positions.forEach((perConcept, b) => {
    perConcept.forEach((p, i) => {
      if (!p) return;
      select[(b * seqLen + p.modifier) * k + i] = 1;
      select[(b * seqLen + p.cls) * k + n + i] = 1;
      present[b * n + i] = 1;
    });
  });
  return { select, present };
}

/**
 * Initial extra_token_embeds [n, hidden]: row r copies table row `ids[r]` (rare) or the class word's row; 'mean'
 * gives every row the mean of the listed rows (e.g. the world's colour words: the slot the modifier takes).
 * @param table the frozen token embedding table [vocab, hidden] (row-major)
 * @throws ConfigError when rare init has no id list for this many concepts or an id is out of range
 */
export function initialModifierRows(concepts: readonly Concept[], table: Float32Array, hidden: number, init: RowInit): Float32Array {
  const vocab = table.length / hidden;
  if (init.kind === 'mean') {
    if (!init.ids.length || init.ids.some((id) => !(id >= 0 && id < vocab))) throw new ConfigError(`Mean init needs row ids inside the embedding table (0..${vocab - 1}); got [${init.ids.join(', ')}].`);
    const mean = new Float32Array(hidden);
    for (const id of init.ids) for (let k = 0; k < hidden; k++) mean[k] = (mean[k] as number) + (table[id * hidden + k] as number) / init.ids.length;
    const rows = new Float32Array(concepts.length * hidden);
    concepts.forEach((c) => rows.set(mean, c.row * hidden));
    return rows;
  }
  const source = init.kind === 'class-word' ? concepts.map((c) => c.classId) : (init.ids ?? DISENDIFF_RARE_IDS[concepts.length]);
  if (!source || source.length < concepts.length) throw new ConfigError(`Rare-token init has no row list for ${concepts.length} concepts; pass ids explicitly or use { kind: 'class-word' }.`);
  const out = new Float32Array(concepts.length * hidden);
  concepts.forEach((c, r) => {
    const id = source[r] as number;
    if (!(id >= 0 && id < vocab)) throw new ConfigError(`Init row ${id} for ${c.token} is outside the embedding table (0..${vocab - 1}).`);
    out.set(table.subarray(id * hidden, (id + 1) * hidden), c.row * hidden);
  });
  return out;
}
