// Pure rules for concepts: token/class-word validation, defaults for a new concept, prompt expansion.
// No store access, no I/O. Reference: the studio's concepts panel (tokens like <cat1>, class word one tokenizer token).
import { conceptTokenName, expandConceptTokens, parseConceptTokens } from '../diffusion/index';
import type { Concept } from './types';
import type { TokenizerPort } from './ports';

export const MIN_CONCEPTS = 1;
export const MAX_CONCEPTS = 4;

/** Mask colours, one per concept slot (distinct under common colour-vision deficiencies). */
export const CONCEPT_COLORS = ['#e6194b', '#3cb4ff', '#ffb400', '#2ca02c'] as const;

/**
 * The studio's tokens narrow the one token syntax (diffusion/text/prompt.ts `conceptTokenName`): a lowercase letter
 * + up to 23 of [a-z0-9_-], so a token is unique and safe as a file name on every OS (case-insensitive ones too).
 */
const STUDIO_TOKEN_NAME = /^[a-z][a-z0-9_-]{0,23}$/;
const CLASS_WORD_PATTERN = /^[a-z][a-z-]*$/i;

/**
 * A mask colour as the studio stores it (lower-case "#rrggbb"), from "#rgb" or "#rrggbb"; undefined for anything
 * else. Colours from files go through this, so no other CSS (url(…), var(…), expressions) reaches a style.
 */
export function parseColor(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (!m) return undefined;
  const hex = (m[1] as string).toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`;
}

/** `isPending`: nothing is wrong yet, a field is just not filled in (shown as a to-do, not as ✖; still blocks training). */
export type Check = { readonly level: 'error' | 'warning'; readonly text: string; readonly isPending?: boolean };

/** The example class word of a tokenizer: one its model accepts (from its vocabulary), else "cat" (CLIP knows it). */
export function exampleClassWord(tokenizer: TokenizerPort | null): string {
  return tokenizer?.exampleClassWord ?? 'cat';
}

/** The exact steps to use one's own SD 1.5, for refusals on a closed-vocabulary model. */
export const OWN_MODEL_STEPS =
  'To personalise real subjects (a cat, a cup), load your own Stable Diffusion 1.5: in the Model panel choose "Load model folder…" and pick a diffusers folder of stable-diffusion-v1-5 (model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/), or "Load model files…" with one SD 1.x .safetensors checkpoint (the CLIP vocabulary ships with the studio).';

/** Checks a token against the pattern and the other concepts' tokens. Empty list = valid. */
export function checkToken(token: string, others: readonly Concept[]): Check[] {
  if (!STUDIO_TOKEN_NAME.test(conceptTokenName(token) ?? '')) {
    return [{ level: 'error', text: `Token "${token}" must look like <cat1>: "<", a lowercase letter, up to 23 of a–z 0–9 _ -, then ">".` }];
  }
  if (others.some((c) => c.token === token)) return [{ level: 'error', text: `Token "${token}" is already used by another concept; tokens must be unique.` }];
  return [];
}

/** Checks a class word: one plain word, and one token of the model's tokenizer when a tokenizer is known. */
export function checkClassWord(word: string, tokenizer: TokenizerPort | null): Check[] {
  const eg = exampleClassWord(tokenizer);
  if (word.trim() === '') return [{ level: 'error', isPending: true, text: `Class word: give the plain noun the concept is, e.g. "${eg}".` }];
  if (!CLASS_WORD_PATTERN.test(word)) return [{ level: 'error', text: `Class word "${word}" must be one word of letters (e.g. "${eg}"), no spaces or digits.` }];
  if (!tokenizer) return [{ level: 'warning', text: `Cannot check yet that "${word}" is a single token: no tokenizer is loaded (engine not available).` }];
  if (tokenizer.isKnownWord && !tokenizer.isKnownWord(word)) {
    const nouns = tokenizer.vocabulary?.nouns ?? tokenizer.exampleWords ?? [];
    const examples = nouns.length ? ` Its nouns are ${nouns.map((w) => `"${w}"`).join(', ')}.` : '';
    return [{ level: 'error', text: `Class word "${word}" is not in this model's vocabulary: the model has never seen the word, so it cannot bind a concept to it.${examples} ${OWN_MODEL_STEPS}` }];
  }
  if (!tokenizer.isSingleToken(word)) {
    return [{ level: 'warning', text: `Class word "${word}" is several tokens for this model's tokenizer; pick a word that is one token (e.g. "${eg}").` }];
  }
  return [];
}

/** The first unused "<conceptN>" token and colour for a new concept. */
export function nextConceptDefaults(existing: readonly Concept[]): { token: string; color: string } {
  let n = 1;
  while (existing.some((c) => c.token === `<concept${n}>`)) n++;
  const used = new Set(existing.map((c) => c.color));
  const color = CONCEPT_COLORS.find((c) => !used.has(c)) ?? CONCEPT_COLORS[0];
  return { token: `<concept${n}>`, color };
}

/**
 * Expands each concept token into "token classWord", as the captions used in training do: the one expansion,
 * diffusion/text/prompt.ts `expandConceptTokens` (a token already followed by its class word is left alone).
 * @example expandPrompt("a <cat1> on a sofa", [{token:"<cat1>", classWord:"cat"}]) // "a <cat1> cat on a sofa"
 */
export function expandPrompt(prompt: string, concepts: readonly Pick<Concept, 'token' | 'classWord'>[]): string {
  return expandConceptTokens(prompt, concepts);
}

/** Concept tokens ("<x>", the syntax of diffusion/text/prompt.ts) in a prompt, in order of first appearance. */
export function tokensInPrompt(prompt: string): string[] {
  return [...new Set(parseConceptTokens(prompt).map((m) => m.token))];
}
