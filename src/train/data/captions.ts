// Training captions and their token positions (docs/disendiff.md §2.3): "photo of a <cat1> cat and <dog1> dog", the
// augmentation prefix prepended ("a far away photo of a …", as Custom Diffusion prepends to the whole caption),
// and for each concept the index of its modifier token and of the class token right after it (`token+1` in
// `p_losses`). Pure; the tokenizer is passed in. Refuses captions whose class word is not one token.
// Caption styles: DisenDiff's template is SD's (LAION-like English). A closed-vocabulary model (the embedded default
// model, WordTokenizer) cannot read "photo of" or the prefixes (they encode as <unk>), so it gets its training
// grammar instead: "a large <c1> star and a large <c2> square on a grey background" (src/world/caption.ts), the
// modifier in the colour/pattern slot. captionStyleFor picks one from the tokenizer. Deviation for that style: no
// scale prefixes (the augmentation still runs; its rng draws are unchanged).
import { ConfigError } from '../../lib/errors';
import type { Tokenizer } from '../../diffusion/index';
import { COLORS } from '../../world/index';

/** One concept to learn: its atomic modifier token and its one-token class word. */
export type ConceptWords = { token: string; classWord: string };

/** The single DisenDiff template (`templates_small` = ["photo of a {}"]). */
export const CAPTION_TEMPLATE = 'photo of a {}';

/** How captions are written for a model: the grammar its text encoder was trained on. */
export type CaptionStyle = {
  name: 'disendiff' | 'world';
  /** the target caption around the concept list ({} = the list) */
  template: string;
  /** one concept of a target caption ({token}, {class}) */
  concept: string;
  /** the class prompt (regularisation images) around its list */
  classTemplate: string;
  /** one concept of the class prompt ({class}) */
  classConcept: string;
  /** prepend the scale augmentation's prefix ("a far away ", …) */
  isPrefixed: boolean;
  /** words whose mean row starts each modifier (the slot it takes); none = the job's row init (class word) */
  initWords?: readonly string[];
};

/** DisenDiff's released captions: "photo of a <cat1> cat and <dog1> dog", class prompt "a cat and a dog". */
export const DISENDIFF_CAPTIONS: CaptionStyle = { name: 'disendiff', template: CAPTION_TEMPLATE, concept: '{token} {class}', classTemplate: '{}', classConcept: 'a {class}', isPrefixed: true };

/** The generated world's grammar (src/world/caption.ts) for the default model; the reference scenes are on grey. */
export const WORLD_CAPTIONS: CaptionStyle = { name: 'world', template: '{} on a grey background', concept: 'a large {token} {class}', classTemplate: '{} on a grey background', classConcept: 'a large {class}', isPrefixed: false, initWords: COLORS };

/** DISENDIFF_CAPTIONS when the tokenizer reads their words; WORLD_CAPTIONS when only the world's words are known. */
export function captionStyleFor(tokenizer: Tokenizer): CaptionStyle {
  const reads = (text: string): boolean => tokenizer.encode(text).warnings.length === 0;
  if (reads('a far away very small zoomed in close up photo of a cat')) return DISENDIFF_CAPTIONS;
  return reads('a large star and a large square on a grey background') ? WORLD_CAPTIONS : DISENDIFF_CAPTIONS;
}

/** "a, b and c" */
function joinList(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

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
export function conceptPhrase(concepts: readonly ConceptWords[], present?: readonly boolean[], style: CaptionStyle = DISENDIFF_CAPTIONS): string {
  const parts = concepts.filter((_, i) => present?.[i] ?? true).map((c) => style.concept.replace('{token}', c.token).replace('{class}', c.classWord));
  if (parts.length === 0) throw new ConfigError('conceptPhrase: no concept is present; pick at least one');
  return joinList(parts);
}

/** prefix + "photo of a " + phrase, e.g. "very small photo of a <cat1> cat and <dog1> dog" (prefix dropped when the style has none). */
export function targetCaption(concepts: readonly ConceptWords[], prefix = '', present?: readonly boolean[], style: CaptionStyle = DISENDIFF_CAPTIONS): string {
  return (style.isPrefixed ? prefix : '') + style.template.replace('{}', conceptPhrase(concepts, present, style));
}

/** The class prompt used for regularisation images: "a cat and a dog" (docs/disendiff.md §2.3 `class_prompt`). */
export function classPrompt(concepts: readonly ConceptWords[], style: CaptionStyle = DISENDIFF_CAPTIONS): string {
  return style.classTemplate.replace('{}', joinList(concepts.map((c) => style.classConcept.replace('{class}', c.classWord))));
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
