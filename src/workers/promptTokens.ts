// The prompt's length as the text encoder reads it, for the studio's token counter (TokenizerPort countPromptTokens).
// Pure over a Tokenizer; no I/O. Reference: diffusion/text/encoding.ts (frame: truncation keeps maxLength − 2 tokens).
import type { Tokenizer } from '../diffusion/index';
import type { PromptEmbedding, PromptTokens } from '../state/index';
import { embeddingTokens, parseConceptTokens, parseLoraTags, triggerPattern } from '../diffusion/index';

/**
 * The tokens the text encoder reads of `prompt`: `<lora:…>` tags removed (parseLoraTags: they are not sent to CLIP),
 * each concept token as one (as once its pack is applied, the tokenizer's added token), each whole-word trigger of an
 * enabled embedding as its vector count (at generation it becomes that many added tokens: diffusion/lora/embeddings.ts
 * expandEmbeddingTokens), the rest as the tokenizer splits it; `limit` = maxLength less start and end (CLIP: 75), as
 * diffusion/text/encoding.ts `frame` truncates; `unknown` lists the words the vocabulary lacks (read as <unk>).
 */
export function countPromptTokens(tok: Tokenizer, text: string, embeddings: readonly PromptEmbedding[] = []): PromptTokens {
  let prompt = text;
  try {
    prompt = parseLoraTags(text).prompt;
  } catch {
    // a tag with a bad weight is refused at Generate; count the text as written meanwhile
  }
  // pieces that are single added tokens (concepts) or runs of them (embeddings), in prompt order, non-overlapping
  // (embeddings first: a "<name>" trigger at the same place as a concept-token match is the embedding's, as at generation)
  const spans: { index: number; length: number; tokens: string[] }[] = [];
  for (const e of embeddings) {
    for (const m of prompt.matchAll(triggerPattern(e.trigger, 'g'))) {
      const tokens = embeddingTokens({ name: e.trigger, vectors: Math.max(1, e.vectors) });
      spans.push({ index: m.index ?? 0, length: m[0].length, tokens });
    }
  }
  spans.push(...parseConceptTokens(prompt).map((m) => ({ index: m.index, length: m.token.length, tokens: [m.token] })));
  spans.sort((a, b) => a.index - b.index);
  const pieces: string[] = [];
  const unknown = new Set<string>();
  const read = (t: string) => {
    const split = tok.tokenize(t);
    // a piece without an id is what the encoder reads as <unk> (a closed, word-level vocabulary; CLIP's BPE has none)
    for (const p of split) if (tok.tokenToId(p) === undefined) unknown.add(p.replace(/<\/w>$/, ''));
    return split;
  };
  let at = 0;
  for (const sp of spans) {
    if (sp.index < at) continue; // inside an earlier span
    pieces.push(...read(prompt.slice(at, sp.index)), ...sp.tokens);
    at = sp.index + sp.length;
  }
  pieces.push(...read(prompt.slice(at)));
  const limit = tok.maxLength - 2;
  const dropped = pieces[limit];
  return { count: pieces.length, limit, ...(dropped === undefined ? {} : { firstDropped: dropped.replace(/<\/w>$/, '') }), ...(unknown.size ? { unknown: [...unknown] } : {}) };
}
