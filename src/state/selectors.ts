// Derived views of the studio state: concept checks, mask coverage and overlaps, training blockers,
// prompt expansion and chips. Pure functions of the state; mask statistics are cached per mask document.
// No React. Reference: the mask editor's overlap warning, the concepts panel's validation and prompt preview, the generation panel's chips.
import { emptyLayer, hasNoPaint, overlapCount, rasterizeLayer, coverage } from '../editor/index';
import { checkClassWord, checkToken, expandPrompt, tokensInPrompt } from './concepts';
import type { Check } from './concepts';
import { parseLoraTags, triggerPattern } from '../diffusion/index';
import type { NetworkItem, PromptEmbedding } from './ports';
import type { StudioData, Concept, MaskDoc, Notice } from './types';

/** Masks are compared on the latent grid (64×64 for SD 1.5): fine enough, cheap enough. */
export const CHECK_RESOLUTION = 64;

export type MaskStats = {
  /** concept id → fraction of the square painted */
  readonly coverage: Readonly<Record<string, number>>;
  /** pairs of concepts whose masks share pixels (allowed, but warned about) */
  readonly overlaps: readonly { readonly a: string; readonly b: string; readonly pixels: number }[];
};

const statsCache = new WeakMap<MaskDoc, { key: string; stats: MaskStats }>();

/** A run is training (or paused): it read the reference, concepts, masks and settings at its start, so they are locked. */
export function isTrainingActive(s: StudioData): boolean {
  return s.training.status.kind === 'running' || s.training.status.kind === 'paused';
}

/** Why an edit is refused while a run trains (the one wording for every locked action). */
export const LOCKED_WHILE_TRAINING = 'Locked while training: the run uses the reference, concepts, masks and settings as they were at its start. Cancel, or wait for the end, to change them.';

/** Whether replacing the project would discard something the user made: a reference image, a painted mask, learned concepts. */
export function selectHasWork(s: StudioData): boolean {
  return s.project.reference !== null || Object.values(s.editor.masks.present).some((layer) => !hasNoPaint(layer)) || s.training.learnedTokens.length > 0;
}

export function selectMaskDoc(s: StudioData): MaskDoc {
  return s.editor.masks.present;
}

export function selectActiveConcept(s: StudioData): Concept | null {
  return s.project.concepts.find((c) => c.id === s.editor.activeConceptId) ?? null;
}

/** Coverage per concept and overlapping pairs, at CHECK_RESOLUTION. Cached per mask document. */
export function selectMaskStats(s: StudioData): MaskStats {
  const doc = selectMaskDoc(s);
  const size = s.project.reference?.crop.size ?? 512;
  const ids = s.project.concepts.map((c) => c.id);
  const key = `${size}|${ids.join(',')}`;
  const hit = statsCache.get(doc);
  if (hit && hit.key === key) return hit.stats;
  const masks = ids.map((id) => rasterizeLayer(doc[id] ?? emptyLayer(id), size, CHECK_RESOLUTION));
  const cov: Record<string, number> = {};
  ids.forEach((id, k) => (cov[id] = coverage(masks[k]!)));
  const overlaps: { a: string; b: string; pixels: number }[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const pixels = overlapCount(masks[i]!, masks[j]!);
      if (pixels > 0) overlaps.push({ a: ids[i]!, b: ids[j]!, pixels });
    }
  }
  const stats = { coverage: cov, overlaps };
  statsCache.set(doc, { key, stats });
  return stats;
}

const checksCache = new WeakMap<readonly Concept[], { stats: MaskStats; tokenizer: unknown; checks: Record<string, Check[]> }>();

/** concept id → its problems (token, class word, empty mask, overlaps), errors first. Cached (stable for React). */
export function selectConceptChecks(s: StudioData): Record<string, Check[]> {
  const stats = selectMaskStats(s);
  const hit = checksCache.get(s.project.concepts);
  if (hit && hit.stats === stats && hit.tokenizer === s.engine.tokenizer) return hit.checks;
  const out: Record<string, Check[]> = {};
  for (const c of s.project.concepts) {
    const others = s.project.concepts.filter((o) => o.id !== c.id);
    const checks = [...checkToken(c.token, others), ...checkClassWord(c.classWord, s.engine.tokenizer)];
    if ((stats.coverage[c.id] ?? 0) === 0) checks.push({ level: 'warning', text: `The mask of ${c.token} is empty: paint the region of this concept.` });
    for (const o of stats.overlaps.filter((p) => p.a === c.id || p.b === c.id)) {
      const other = s.project.concepts.find((x) => x.id === (o.a === c.id ? o.b : o.a));
      checks.push({ level: 'warning', text: `The mask of ${c.token} overlaps ${other?.token ?? 'another mask'} (${o.pixels} of ${CHECK_RESOLUTION * CHECK_RESOLUTION} cells); allowed, but the concepts may blend.` });
    }
    out[c.id] = checks.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
  }
  checksCache.set(s.project.concepts, { stats, tokenizer: s.engine.tokenizer, checks: out });
  return out;
}

/** Reasons training cannot start yet (empty list = ready, engine aside). */
export function selectTrainBlockers(s: StudioData): string[] {
  const blockers: string[] = [];
  if (!s.project.reference) blockers.push('Load a reference image.');
  const checks = selectConceptChecks(s);
  const stats = selectMaskStats(s);
  for (const c of s.project.concepts) {
    for (const e of checks[c.id]?.filter((k) => k.level === 'error') ?? []) blockers.push(e.text);
    if ((stats.coverage[c.id] ?? 0) === 0) blockers.push(`Paint a mask for ${c.token}.`);
  }
  return blockers;
}

export function selectExpandedPrompt(s: StudioData): string {
  return expandPrompt(s.generation.settings.prompt, s.project.concepts);
}

export type PromptChip = { readonly token: string; readonly state: 'learned' | 'untrained' | 'unknown' | 'embedding' | 'lora' | 'unknown-lora' };

/** The `<lora:…>` tags of a prompt; none when a tag's weight is not a number (generation then says which). */
function loraTags(prompt: string): { name: string; strength: number }[] {
  try {
    return parseLoraTags(prompt).loras;
  } catch {
    return [];
  }
}

/**
 * Each "<token>" in the prompt: learned (trained), untrained (a concept not trained yet), an enabled embedding's
 * trigger, or unknown; each plain-word trigger of an enabled embedding it mentions; each `<lora:name:w>` tag, known
 * (a LoRA of the list) or not.
 */
export function promptChips(prompt: string, concepts: readonly Concept[], learned: readonly string[], networks: readonly NetworkItem[] = []): PromptChip[] {
  const triggers = networks.filter((n) => n.kind === 'embedding' && n.isEnabled).map((n) => n.trigger ?? n.name);
  const tokens: PromptChip[] = tokensInPrompt(prompt).map((token) => ({
    token,
    state: learned.includes(token) ? 'learned' : concepts.some((c) => c.token === token) ? 'untrained' : triggers.includes(token) ? 'embedding' : 'unknown',
  }));
  const words: PromptChip[] = triggers.filter((t) => !t.startsWith('<') && triggerPattern(t).test(prompt)).map((token) => ({ token, state: 'embedding' }));
  const loras: PromptChip[] = loraTags(prompt).map((t) => ({ token: `<lora:${t.name}:${t.strength}>`, state: networks.some((n) => n.kind === 'lora' && n.name === t.name) ? 'lora' : 'unknown-lora' }));
  return [...tokens, ...words, ...loras];
}

/** Tokens offered by the prompt autocomplete after "<": learned ones first, the concepts' tokens, the list's LoRAs as
 *  `<lora:name:1>` and the enabled embeddings' triggers written as `<…>`. */
export function tokenSuggestions(concepts: readonly Concept[], learned: readonly string[], networks: readonly NetworkItem[] = []): string[] {
  const loras = networks.filter((n) => n.kind === 'lora').map((n) => `<lora:${n.name}:1>`);
  const triggers = networks.filter((n) => n.kind === 'embedding' && n.isEnabled).map((n) => n.trigger ?? n.name).filter((t) => t.startsWith('<'));
  return [...new Set([...learned, ...concepts.map((c) => c.token), ...triggers, ...loras])];
}

/** The enabled embeddings' plain-word triggers (offered by the autocomplete as a word is typed). */
export function wordTriggers(networks: readonly NetworkItem[]): string[] {
  return networks.filter((n) => n.kind === 'embedding' && n.isEnabled).map((n) => n.trigger ?? n.name).filter((t) => !t.startsWith('<'));
}

/** The enabled embeddings as the token counter reads them (TokenizerPort.countPromptTokens): trigger and vector count. */
export function promptEmbeddings(networks: readonly NetworkItem[]): PromptEmbedding[] {
  return networks.filter((n) => n.kind === 'embedding' && n.isEnabled).map((n) => ({ trigger: n.trigger ?? n.name, vectors: n.vectors ?? 1 }));
}

/**
 * What a model switch did to the learned concepts: the tokens trained before that the new model has no pack for. Packs
 * are kept per model (they change that model's K/V weights), so those concepts read "not trained yet" until their
 * model is loaded again; null when nothing was hidden (or on the first load).
 */
export function modelSwitchNotice(before: { modelName: string | null; learnedTokens: readonly string[] }, after: { modelName: string; learnedTokens: readonly string[] }): Notice | null {
  if (before.modelName === null || before.modelName === after.modelName) return null;
  const hidden = before.learnedTokens.filter((t) => !after.learnedTokens.includes(t));
  if (hidden.length === 0) return null;
  const list = hidden.join(', ');
  const one = hidden.length === 1;
  return { kind: 'info', text: `${list} ${one ? 'was' : 'were'} trained on ${before.modelName}: ${one ? 'its pack applies' : 'their packs apply'} to that model only and ${one ? 'is' : 'are'} kept for it. On ${after.modelName} ${one ? 'it reads' : 'they read'} "not trained yet"; load ${before.modelName} again to use ${one ? 'it' : 'them'}, or train again here.` };
}
