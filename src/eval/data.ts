// Seeded training and test batches for the evaluator, generated on the fly from the world (sampleScene +
// renderScene). Pure: every scene comes from the Rng argument. Training batches never contain HELD_OUT pairs.
import type { Rng } from '../lib/random';
import { HELD_OUT, renderScene, sampleScene } from '../world/index';
import type { Scene } from '../world/index';
import { EVAL_SIZE } from './architecture';
import { toInput, toTargets } from './labels';
import type { EvalImage } from './labels';
import type { HostTensor } from '../runtime/index';

/** A labelled batch: feeds for the training graph plus the scenes and images they came from. */
export type Batch = { scenes: Scene[]; images: EvalImage[]; x: HostTensor; y: HostTensor };

/** `n` training scenes (1–3 objects, no HELD_OUT pair), rendered at 64×64. */
export function trainingBatch(rng: Rng, n: number): Batch {
  const scenes = Array.from({ length: n }, () => sampleScene(rng, { excludeHeldOut: true }));
  return labelled(scenes);
}

/** Mirror image left ↔ right (labels are unchanged: every shape class is closed under this flip). */
export function flipX(img: EvalImage): EvalImage {
  const out = new Uint8ClampedArray(img.rgba.length);
  for (let y = 0; y < img.size; y++) {
    for (let x = 0; x < img.size; x++) {
      const from = (y * img.size + x) * 4;
      out.set(img.rgba.subarray(from, from + 4), (y * img.size + img.size - 1 - x) * 4);
    }
  }
  return { size: img.size, rgba: out };
}

/** Extra share of one-object scenes in the training pool: an unambiguous label per image speeds up learning shapes. */
const SINGLE_OBJECT_SHARE = 0.3;

/**
 * A pool of rendered training scenes that is partly refreshed every step: rendering (tens of ms per image)
 * would otherwise cost more than the training step itself. Batches draw pool entries uniformly and flip half.
 */
export class ScenePool {
  private readonly scenes: Scene[] = [];
  private readonly images: EvalImage[] = [];

  constructor(private readonly rng: Rng, readonly size: number) {
    for (let i = 0; i < size; i++) this.replace(i);
  }

  private replace(i: number): void {
    const count: [number, number] = this.rng.uniform() < SINGLE_OBJECT_SHARE ? [1, 1] : [1, 3];
    const scene = sampleScene(this.rng, { excludeHeldOut: true, count });
    this.scenes[i] = scene;
    this.images[i] = renderScene(scene, EVAL_SIZE);
  }

  /** Replaces `k` random entries with fresh scenes. */
  refresh(k: number): void {
    for (let j = 0; j < k; j++) this.replace(this.rng.int(0, this.size - 1));
  }

  /** `n` entries drawn with replacement, each mirrored with probability ½. */
  batch(n: number): Batch {
    const scenes: Scene[] = [];
    const images: EvalImage[] = [];
    for (let j = 0; j < n; j++) {
      const i = this.rng.int(0, this.size - 1);
      scenes.push(this.scenes[i] as Scene);
      const img = this.images[i] as EvalImage;
      images.push(this.rng.uniform() < 0.5 ? flipX(img) : img);
    }
    return { scenes, images, x: toInput(images), y: toTargets(scenes) };
  }
}

/** Scenes → rendered images and tensors. */
export function labelled(scenes: Scene[]): Batch {
  const images = scenes.map((s) => renderScene(s, EVAL_SIZE));
  return { scenes, images, x: toInput(images), y: toTargets(scenes) };
}

/**
 * The fixed held-out test set: `n` ordinary scenes (HELD_OUT pairs allowed) from seed `seed`, plus `n / 4`
 * scenes whose first object is a HELD_OUT (colour, shape) pair (cycling through HELD_OUT).
 */
export function testScenes(rng: Rng, n: number): { ordinary: Scene[]; heldOut: Scene[] } {
  const ordinary = Array.from({ length: n }, () => sampleScene(rng, { excludeHeldOut: false }));
  const heldOut = Array.from({ length: Math.ceil(n / 4) }, (_, i) => {
    const pair = HELD_OUT[i % HELD_OUT.length] as (typeof HELD_OUT)[number];
    return sampleScene(rng, { excludeHeldOut: false, fixed: [{ shape: pair.shape, color: pair.color }] });
  });
  return { ordinary, heldOut };
}
