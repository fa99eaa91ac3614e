// Token-grounding targets of the default model's grounding fine-tune (src/train/losses/grounding.ts, TokenCompose):
// which caption token belongs to which object, and each object's mask at every cross-attention resolution. The
// world caption grammar (src/world/caption.ts) names each object as "a <size> <colour> [<pattern>] <shape>", so the
// words before a shape noun belong to that object; the background colour ("on a grey background") belongs to none.
// Pure; no I/O.
import { BACKGROUNDS, COLORS, PATTERN_WORD, SHAPES, SIZES } from '../../world/index';

/** Word slots per image: 3 objects × 4 words (size, colour, pattern, shape). */
export const GROUND_SLOTS = 12;

export type WordClass = 'size' | 'color' | 'pattern' | 'shape';
/** One caption word bound to one object: token position, object index, the word and its class. */
export type GroundSlot = { position: number; object: number; word: string; kind: WordClass };

const PATTERNS = Object.values(PATTERN_WORD).filter((w) => w !== '');
const inList = (list: readonly string[], w: string): boolean => list.includes(w);

/**
 * The object words of one tokenised caption, in token order. `words[i]` is the word at token position i (the
 * vocabulary entry of each id). A colour followed by "background" is the background's, not an object's.
 */
export function groundingSlots(words: readonly string[]): GroundSlot[] {
  const slots: GroundSlot[] = [];
  let object = 0;
  words.forEach((w, position) => {
    if (inList(BACKGROUNDS, w) && words[position + 1] === 'background') return;
    let kind: WordClass | undefined;
    if (inList(SIZES, w)) kind = 'size';
    else if (inList(COLORS, w)) kind = 'color';
    else if (inList(PATTERNS, w)) kind = 'pattern';
    else if (inList(SHAPES, w)) kind = 'shape';
    if (!kind) return;
    slots.push({ position, object, word: w, kind });
    if (kind === 'shape') object += 1;
  });
  return slots;
}

/** Area-average of a coverage mask (0..255, size×size row-major) onto side×side cells, in [0, 1]. */
export function downsampleMask(mask: Uint8Array, size: number, side: number): Float32Array {
  const f = size / side;
  const out = new Float32Array(side * side);
  for (let p = 0; p < size * size; p++) {
    const i = Math.floor(Math.floor(p / size) / f) * side + Math.floor((p % size) / f);
    out[i] = (out[i] as number) + (mask[p] as number) / 255;
  }
  return out.map((v) => v / (f * f));
}

/** Feeds of the grounding terms for a batch (names as buildDenoiserTrainGraph's grounding inputs). */
export type GroundingFeeds = { select: Float32Array; masks: Map<number, Float32Array>; tokenWeight: Float32Array; pixelWeight: Float32Array };

/**
 * @param words per image, the word at each token position (length seqLen)
 * @param masks per image, its objects' coverage masks (renderScene, size×size)
 * @param sides the attention resolutions to make masks for (e.g. 16 and 8)
 * Slots past GROUND_SLOTS (never in world captions) are dropped; an object index without a mask is skipped.
 */
export function groundingFeeds(words: readonly (readonly string[])[], masks: readonly (readonly Uint8Array[])[], size: number, sides: readonly number[], seqLen: number): GroundingFeeds {
  const batch = words.length;
  const k = GROUND_SLOTS;
  const select = new Float32Array(batch * seqLen * k);
  const tokenWeight = new Float32Array(batch * k);
  const pixelWeight = new Float32Array(batch * k);
  const out = new Map(sides.map((s) => [s, new Float32Array(batch * k * s * s)]));
  words.forEach((w, b) => {
    const objects = masks[b] as readonly Uint8Array[];
    const cache = new Map<string, Float32Array>();
    groundingSlots(w).slice(0, k).forEach((slot, j) => {
      const mask = objects[slot.object];
      if (!mask) return;
      select[(b * seqLen + slot.position) * k + j] = 1;
      tokenWeight[b * k + j] = 1;
      if (slot.kind === 'shape') pixelWeight[b * k + j] = 1;
      for (const s of sides) {
        const key = `${slot.object}/${s}`;
        const m = cache.get(key) ?? downsampleMask(mask, size, s);
        cache.set(key, m);
        (out.get(s) as Float32Array).set(m, (b * k + j) * s * s);
      }
    });
  });
  return { select, masks: out, tokenWeight, pixelWeight };
}
