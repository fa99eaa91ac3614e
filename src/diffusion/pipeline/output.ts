// Turns a text-to-image result into files: the image PNG with A1111's `parameters` text chunk, and one heatmap
// PNG per prompt token from the aggregated cross-attention maps. Pure (bytes out, no fs), so the CLI and the
// browser share it. Reference: docs/ecosystem.md §5 (infotext), image/infotext.ts, image/heatmap.ts.
import { attentionHeatmap } from '../image/heatmap';
import { formatInfotext } from '../image/infotext';
import { encodePng } from '../image/png';
import { tokenMap } from './attentionMaps';
import type { AttentionMaps } from './attentionMaps';
import type { GenerationParameters, Txt2ImgResult } from './types';

/** A1111 infotext of one image: "DPM++ 2M Karras" is written as Sampler "DPM++ 2M" + Schedule type "Karras". */
export function infotextOf(p: GenerationParameters): string {
  const karras = p.sampler.endsWith(' Karras');
  return formatInfotext({
    prompt: p.prompt, negativePrompt: p.negativePrompt, steps: p.steps, sampler: karras ? p.sampler.slice(0, -' Karras'.length) : p.sampler,
    scheduleType: karras ? 'Karras' : undefined, cfgScale: p.cfgScale, seed: p.seed, width: p.width, height: p.height, model: p.model,
  });
}

/** PNG bytes of image `i` of the result, with the `parameters` chunk. */
export function imagePng(r: Txt2ImgResult, i: number): Uint8Array {
  const size = r.width * r.height * 3;
  const data = r.rgb.subarray(i * size, (i + 1) * size);
  return encodePng({ width: r.width, height: r.height, channels: 3, data }, { parameters: infotextOf(r.parameters[i] as GenerationParameters) });
}

/** A file-name-safe form of a token ("cat</w>" → "cat", "<cat1>" → "cat1"). */
function safeToken(token: string): string {
  return token.replace(/<\/w>$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'token';
}

/**
 * One heatmap PNG per prompt token of image `i` (start and end tokens left out), named
 * "<position>-<token>.png" (position as in the 77-token encoding), each with a `token` text chunk.
 */
export function tokenHeatmapPngs(a: AttentionMaps, i: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (let pos = 1; pos < a.tokens.length - 1; pos++) {
    const token = a.tokens[pos] as string;
    const img = attentionHeatmap(tokenMap(a, i, pos), a.height, a.width);
    out.set(`${String(pos).padStart(2, '0')}-${safeToken(token)}.png`, encodePng(img, { token }));
  }
  return out;
}
