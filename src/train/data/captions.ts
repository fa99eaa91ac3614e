// Training captions and their token positions (disendiff.md §2.3): "photo of a <cat1> cat and <dog1> dog", the
// augmentation prefix prepended ("a far away photo of a …", as Custom Diffusion prepends to the whole caption),
// and for each concept the index of its modifier token and of the class token right after it (`token+1` in
// `p_losses`). Pure; the tokenizer is passed in. Refuses captions whose class word is not one token.
import { ConfigError } from '../../lib/errors';
import type { Tokenizer } from '../../diffusion/index';

/** One concept to learn: its atomic modifier token and its one-token class word. */
export type ConceptWords = { token: string; classWord: string };

/** The single DisenDiff template (`templates_small` = ["photo of a {}"]). */
export const CAPTION_TEMPLATE = 'photo of a {}';

export type TokenizedCaption = {
  text: string;
  /** [maxLength] token ids (SOS, …, EOS, padding) */
  ids: number[];
  /** per concept: index of its modifier in `ids`, or -1 when the concept is not in this caption */
  modifierPositions: number[];
  /** per concept: index of its class token (modifier + 1), or -1 */
  classPositions: number[];
};

/** "<cat1> cat", "<cat1> cat and <dog1> dog", "<a> x, <b> y and <c> z" for the concepts flagged present. */
export function conceptPhrase(concepts: readonly ConceptWords[], present?: readonly boolean[]): string {
  const parts = concepts.filter((_, i) => present?.[i] ?? true).map((c) => `${c.token} ${c.classWord}`);
  if (parts.length === 0) throw new ConfigError('conceptPhrase: no concept is present; pick at least one');
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** prefix + "photo of a " + phrase, e.g. "very small photo of a <cat1> cat and <dog1> dog". */
export function targetCaption(concepts: readonly ConceptWords[], prefix = '', present?: readonly boolean[]): string {
  return prefix + CAPTION_TEMPLATE.replace('{}', conceptPhrase(concepts, present));
}

/** The class prompt used for regularisation images: "a cat and a dog" (disendiff.md §2.3 `class_prompt`). */
export function classPrompt(concepts: readonly ConceptWords[]): string {
  const words = concepts.map((c) => `a ${c.classWord}`);
  return words.length === 1 ? (words[0] as string) : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Encodes `text` and finds each concept's modifier and class positions.
 * @throws ConfigError when a modifier is not an added token, appears twice, or its next token is not the class word
 */
export function tokenizeCaption(tokenizer: Tokenizer, text: string, concepts: readonly ConceptWords[]): TokenizedCaption {
  const enc = tokenizer.encode(text);
  const modifierPositions: number[] = [];
  const classPositions: number[] = [];
  for (const c of concepts) {
    const id = tokenizer.tokenToId(c.token);
    if (id === undefined) throw new ConfigError(`caption: "${c.token}" is not in the tokenizer; call tokenizer.addTokens(["${c.token}"]) first`);
    const at = enc.ids.flatMap((v, i) => (v === id ? [i] : []));
    if (at.length > 1) throw new ConfigError(`caption "${text}": "${c.token}" appears ${at.length} times; DisenDiff needs it once`);
    const pos = at[0] ?? -1;
    if (pos >= 0) {
      const classIds = tokenizer.tokenize(c.classWord).map((t) => tokenizer.tokenToId(t));
      if (classIds.length !== 1 || enc.ids[pos + 1] !== classIds[0]) {
        throw new ConfigError(`caption "${text}": the class word after "${c.token}" must be the single token "${c.classWord}" (it tokenizes to ${classIds.length} token(s)); choose a one-token class word`);
      }
    }
    modifierPositions.push(pos);
    classPositions.push(pos >= 0 ? pos + 1 : -1);
  }
  return { text, ids: enc.ids, modifierPositions, classPositions };
}
