// The prompt's length as the text encoder reads it, for the studio's token counter (TokenizerPort countPromptTokens).
// Pure over a Tokenizer; no I/O. Reference: diffusion/text/encoding.ts (frame: truncation keeps maxLength − 2 tokens).
import type { Tokenizer } from '../diffusion/index';
import type { PromptTokens } from '../state/index';
import { parseConceptTokens, parseLoraTags } from '../diffusion/index';

/**
 * The tokens the text encoder reads of `prompt`: `<lora:…>` tags removed (parseLoraTags: they are not sent to CLIP),
 * each concept token as one (as once its pack is applied, the tokenizer's added token), the rest as the tokenizer
 * splits it; `limit` = maxLength less start and end (CLIP: 75), as diffusion/text/encoding.ts `frame` truncates.
 */
export function countPromptTokens(tok: Tokenizer, text: string): PromptTokens {
  let prompt = text;
  try {
    prompt = parseLoraTags(text).prompt;
  } catch {
    // a tag with a bad weight is refused at Generate; count the text as written meanwhile
  }
  const pieces: string[] = [];
  let at = 0;
  for (const m of parseConceptTokens(prompt)) {
    pieces.push(...tok.tokenize(prompt.slice(at, m.index)), m.token);
    at = m.index + m.token.length;
  }
  pieces.push(...tok.tokenize(prompt.slice(at)));
  const limit = tok.maxLength - 2;
  const dropped = pieces[limit];
  return { count: pieces.length, limit, ...(dropped === undefined ? {} : { firstDropped: dropped.replace(/<\/w>$/, '') }) };
}
