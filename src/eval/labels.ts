// Turns world scenes and RGBA images into the evaluator's tensors: the normalised input [B, 3, 64, 64] and the
// training targets (multi-hot presence of shapes/colours/patterns, one-hot count). Pure; no I/O.
// Normalisation x = (v/255 − 0.5)/0.25 per channel, the same at training and evaluation time.
import { ImageFormatError } from '../lib/errors';
import type { HostTensor } from '../runtime/index';
import { COLORS, PATTERNS, SHAPES } from '../world/index';
import type { Scene } from '../world/index';
import { COUNT_CLASSES, EVAL_SIZE, HEADS, TOTAL_LOGITS } from './architecture';

/** An RGBA image: `rgba` is [size, size, 4] row-major, 0..255 (the shape renderScene returns). */
export type EvalImage = { size: number; rgba: Uint8ClampedArray | Uint8Array };

/** Writes image `img` (box-downsampled to 64 when its size is a multiple of 64) into `out` at batch index `i`. */
function writeImage(img: EvalImage, out: Float32Array, i: number): void {
  const f = img.size / EVAL_SIZE;
  if (!Number.isInteger(f) || f < 1 || img.rgba.length !== img.size * img.size * 4) {
    throw new ImageFormatError(`evaluator input must be a square RGBA image whose side is a multiple of ${EVAL_SIZE}; got size ${img.size} with ${img.rgba.length} bytes`);
  }
  const plane = EVAL_SIZE * EVAL_SIZE;
  const inv = 1 / (255 * f * f);
  for (let y = 0; y < EVAL_SIZE; y++) {
    for (let x = 0; x < EVAL_SIZE; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) sum += img.rgba[((y * f + dy) * img.size + x * f + dx) * 4 + c] as number;
        out[(i * 3 + c) * plane + y * EVAL_SIZE + x] = (sum * inv - 0.5) / 0.25;
      }
    }
  }
}

/** Images → normalised float32 [batch, 3, 64, 64]; slots after images.length stay zero (padding). */
export function toInput(images: readonly EvalImage[], batch = images.length): HostTensor {
  const data = new Float32Array(batch * 3 * EVAL_SIZE * EVAL_SIZE);
  images.forEach((img, i) => writeImage(img, data, i));
  return { dtype: 'float32', dims: [batch, 3, EVAL_SIZE, EVAL_SIZE], data };
}

/** Scenes → targets [B, 22]: multi-hot shape/colour/pattern presence, then the one-hot count (1..3). */
export function toTargets(scenes: readonly Scene[]): HostTensor {
  const data = new Float32Array(scenes.length * TOTAL_LOGITS);
  scenes.forEach((s, i) => {
    const row = i * TOTAL_LOGITS;
    for (const o of s.objects) {
      data[row + HEADS.shape.offset + SHAPES.indexOf(o.shape)] = 1;
      data[row + HEADS.color.offset + COLORS.indexOf(o.color)] = 1;
      data[row + HEADS.pattern.offset + PATTERNS.indexOf(o.pattern)] = 1;
    }
    const n = s.objects.length;
    if (n < 1 || n > COUNT_CLASSES) throw new RangeError(`evaluator targets: scene has ${n} objects; the count head knows 1..${COUNT_CLASSES}`);
    data[row + HEADS.count.offset + n - 1] = 1;
  });
  return { dtype: 'float32', dims: [scenes.length, TOTAL_LOGITS], data };
}
