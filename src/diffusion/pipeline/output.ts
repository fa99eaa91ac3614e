// Turns a text-to-image result into files: the image PNG with A1111's `parameters` text chunk, and one heatmap
// PNG per prompt token from the aggregated cross-attention maps. Pure (bytes out, no fs), so the CLI and the
// browser share it. Reference: docs/ecosystem.md §5 (infotext), image/infotext.ts, image/heatmap.ts.
import { attentionHeatmap } from '../image/heatmap';
import { STUDIO_CHUNK, STUDIO_VERSION, studioChunk } from '../image/generationPng';
import { formatInfotext } from '../image/infotext';
import { SAMPLERS } from '../schedulers/registry';
import { encodePng } from '../image/png';
import { tokenMap } from './attentionMaps';
import type { AttentionMaps } from './attentionMaps';
import type { GenerationParameters, Txt2ImgResult } from './types';

/** "a: h1, b: h2" for A1111's "TI hashes" / "Lora hashes". */
const hashList = (m: Record<string, string> | undefined): string | undefined => (m && Object.keys(m).length > 0 ? Object.entries(m).map(([k, v]) => `${k}: ${v}`).join(', ') : undefined);

/**
 * A1111 1.10 infotext of one image, with the registry's names (schedulers/registry.ts `infotext`): "DPM++ 2M
 * Karras" → Sampler "DPM++ 2M" + Schedule type "Karras", plain "DPM++ 2M" → Schedule type "Uniform" (A1111 reads a
 * bare "DPM++ 2M" as Karras); a sampler A1111 lacks (DDPM) goes in "DisenStudio sampler" and no "Sampler" is
 * written, so A1111 falls back to its own default instead of reading a wrong name.
 */
export function infotextOf(p: GenerationParameters): string {
  const entry = SAMPLERS[p.sampler];
  const extra: Record<string, string> = {};
  // image-to-image and inpainting, where A1111 writes them: "Denoising strength" then extra_generation_params
  if (p.denoisingStrength !== undefined) extra['Denoising strength'] = String(p.denoisingStrength);
  if (p.maskBlur !== undefined) extra['Mask blur'] = String(p.maskBlur);
  if (p.maskMode === 'Inpaint not masked') extra['Mask mode'] = p.maskMode;
  if (p.inpaintArea !== undefined) extra['Inpaint area'] = p.inpaintArea;
  if (p.maskedAreaPadding !== undefined) extra['Masked area padding'] = String(p.maskedAreaPadding);
  const ti = hashList(p.tiHashes);
  const lora = hashList(p.loraHashes);
  if (ti) extra['TI hashes'] = ti;
  if (lora) extra['Lora hashes'] = lora;
  if (!entry || entry.infotext.sampler === null) extra['DisenStudio sampler'] = p.sampler;
  extra.Version = `DisenStudio ${STUDIO_VERSION}`;
  return formatInfotext({
    prompt: p.prompt, negativePrompt: p.negativePrompt, steps: p.steps, sampler: entry ? (entry.infotext.sampler ?? undefined) : undefined,
    scheduleType: entry?.infotext.scheduleType, cfgScale: p.cfgScale, seed: p.seed, width: p.width, height: p.height,
    modelHash: p.modelHash, model: p.model, extra,
  });
}

/** PNG bytes of image `i` of the result, with A1111's `parameters` chunk and the studio's own JSON chunk. */
export function imagePng(r: Txt2ImgResult, i: number): Uint8Array {
  const size = r.width * r.height * 3;
  const data = r.rgb.subarray(i * size, (i + 1) * size);
  const p = r.parameters[i] as GenerationParameters;
  return encodePng({ width: r.width, height: r.height, channels: 3, data }, { parameters: infotextOf(p), [STUDIO_CHUNK]: studioChunk(p) });
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
