// The gallery: every generated image kept in storage with what made it (prompt, negative prompt, seed, steps,
// guidance, sampler, size, the PNG's infotext), newest first, so results survive a reload. Pure: keys, the item
// type and its checked reading; the gallery slice does the storage calls. Reference: the studio's generation panel.
import { Fields, parseJsonText, StudioError } from '../lib/index';
import { GENERATION_LIMITS, MAX_PROMPT_LENGTH, SAMPLER_NAMES } from './limits';
import type { GeneratedImage, GenerateRequest, SamplerName } from './ports';

/** Storage key of the gallery's index (JSON array of item ids, newest first). */
export const GALLERY_INDEX_KEY = 'gallery/index';
/** Storage key of one item (JSON GalleryItem). */
export const galleryItemKey = (id: string): string => `gallery/item/${id}`;
/** Items kept; the oldest drop off (and leave storage). */
export const MAX_GALLERY = 60;
/** The longest data URL an item may hold (a 1024 px PNG is well under it). */
const MAX_DATA_URL = 16 * 1024 * 1024;

export type GalleryItem = {
  readonly id: string;
  /** PNG data URL (the PNG carries the infotext and the studio's chunk) */
  readonly dataUrl: string;
  readonly prompt: string;
  readonly negativePrompt: string;
  readonly seed: number;
  readonly steps: number;
  readonly guidance: number;
  readonly sampler: SamplerName;
  readonly width: number;
  readonly height: number;
  /** ISO time it was made */
  readonly createdAt: string;
  /** A1111 infotext, when the engine gave it */
  readonly infotext?: string;
};

/** Gallery items of one generation's images, ids from `stamp` (a time) and the image's place. */
export function galleryItems(images: readonly GeneratedImage[], request: GenerateRequest, now: Date): GalleryItem[] {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return images.map((img, i) => ({
    id: `${stamp}-${i}-${img.seed}`, dataUrl: img.dataUrl, prompt: request.prompt, negativePrompt: request.negativePrompt, seed: img.seed,
    steps: request.steps, guidance: request.guidance, sampler: request.sampler, width: img.width, height: img.height, createdAt: now.toISOString(),
    ...(img.infotext ? { infotext: img.infotext } : {}),
  }));
}

const fields = new Fields('gallery item', (m) => new StudioError('gallery', m));

/** A stored item, checked field by field (only PNG data URLs); throws StudioError('gallery') naming the field. */
export function parseGalleryItem(text: string): GalleryItem {
  const o = fields.object(parseJsonText(text, 'a gallery item', (m) => new StudioError('gallery', m)), '(top level)');
  const dataUrl = fields.string(o.dataUrl, 'dataUrl', MAX_DATA_URL);
  if (!dataUrl.startsWith('data:image/png;base64,')) throw fields.error('dataUrl', 'must be a PNG data URL', dataUrl.slice(0, 32));
  const L = GENERATION_LIMITS;
  const infotext = o.infotext === undefined ? undefined : fields.string(o.infotext, 'infotext', 4 * MAX_PROMPT_LENGTH);
  return {
    id: fields.string(o.id, 'id', 128), dataUrl,
    prompt: fields.string(o.prompt, 'prompt', MAX_PROMPT_LENGTH), negativePrompt: fields.string(o.negativePrompt, 'negativePrompt', MAX_PROMPT_LENGTH),
    seed: fields.int(o.seed, 'seed', L.seed.min, L.seed.max), steps: fields.int(o.steps, 'steps', 1, 10_000), guidance: fields.number(o.guidance, 'guidance', 0, 100),
    sampler: fields.oneOf(o.sampler, 'sampler', SAMPLER_NAMES), width: fields.int(o.width, 'width', 1, 8192), height: fields.int(o.height, 'height', 1, 8192),
    createdAt: fields.string(o.createdAt, 'createdAt', 64), ...(infotext === undefined ? {} : { infotext }),
  };
}

/** The stored index (ids), [] when absent or damaged. */
export function parseGalleryIndex(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string').slice(0, MAX_GALLERY) : [];
  } catch {
    return [];
  }
}

/** A download name for an item: "disenstudio-<seed>-<prompt words>.png". */
export function galleryFileName(item: GalleryItem): string {
  const words = item.prompt.replace(/<[^>]*>/g, (t) => t.slice(1, -1)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `disenstudio-${item.seed}${words ? `-${words}` : ''}.png`;
}
