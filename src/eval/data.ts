// Seeded training and test data for the evaluator, generated on the fly from the world (sampleScene +
// renderScene + proposals). Pure: every scene comes from the Rng argument. Training data never contains a
// HELD_OUT (colour, shape) pair.
import type { Rng } from '../lib/random';
import { HELD_OUT, renderScene, sampleScene } from '../world/index';
import type { Scene, WorldObject } from '../world/index';
import { HEADS, TOTAL_LOGITS } from './architecture';
import { cropBatch } from './crops';
import { degradeImage, sampleDegradation } from './degrade';
import type { Degradation } from './degrade';
import type { CropSpec } from './crops';
import { matchProposals, toTargets } from './labels';
import type { EvalImage } from './labels';
import { proposals, SEG_SIZE, toRgb64 } from './segment';
import type { HostTensor } from '../runtime/index';

/** One labelled crop: what to cut and the object it shows. */
export type LabelledCrop = { crop: CropSpec; object: WorldObject };

/** A training batch: feeds for the training graph plus the objects they show. */
export type Batch = { objects: WorldObject[]; x: HostTensor; y: HostTensor };

/**
 * The labelled crops of one scene (proposals that one object owns, see labels.ts). With `degrade`, the render is
 * blurred and noised first (degrade.ts) and proposals are found on the degraded image, as on generated ones.
 */
export function sceneCrops(scene: Scene, degrade?: { d: Degradation; rng: Rng }): LabelledCrop[] {
  const r = renderScene(scene, SEG_SIZE);
  const rgb = toRgb64(degrade ? degradeImage(r, degrade.d, degrade.rng) : r);
  const props = proposals(rgb);
  const owner = matchProposals(props, r.masks);
  return props.flatMap((proposal, i) => {
    const k = owner[i] as number;
    return k >= 0 ? [{ crop: { rgb, proposal }, object: scene.objects[k] as WorldObject }] : [];
  });
}

/** Extra share of one-object scenes in the training pool (their objects are never merged with another). */
const SINGLE_OBJECT_SHARE = 0.3;

/** Colour permutations of the augmentation (the identity excluded). */
const PERMUTATIONS = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] as const;
/** Share of crops whose colour channels are permuted; their colour target is zero (no colour loss, trainGraph (1)). */
const PERMUTE_SHARE = 0.4;

/**
 * Rendered, segmented training scenes kept in memory and partly refreshed every step: rendering and segmenting
 * (~25 ms per scene) would otherwise cost more than the training step. Batches draw a slot, then one of its
 * crops, and mirror it with probability ½ (every shape class is closed under a left ↔ right flip). A share of
 * crops get permuted colours so that shape and pattern cannot lean on colour (HELD_OUT pairs pair colours with
 * shapes never seen together). DEGRADE_SHARE of the scenes are blurred and noised (degrade.ts).
 */
export class CropPool {
  private readonly slots: LabelledCrop[][] = [];

  constructor(private readonly rng: Rng, readonly size: number) {
    for (let i = 0; i < size; i++) this.replace(i);
  }

  private replace(i: number): void {
    const count: [number, number] = this.rng.uniform() < SINGLE_OBJECT_SHARE ? [1, 1] : [1, 3];
    const scene = sampleScene(this.rng, { excludeHeldOut: true, count });
    const d = sampleDegradation(this.rng);
    this.slots[i] = sceneCrops(scene, d && { d, rng: this.rng });
  }

  /** Replaces `k` random slots with fresh scenes. */
  refresh(k: number): void {
    for (let j = 0; j < k; j++) this.replace(this.rng.int(0, this.size - 1));
  }

  /** `n` crops drawn with replacement. */
  batch(n: number): Batch {
    const crops: CropSpec[] = [];
    const objects: WorldObject[] = [];
    const colourKnown: boolean[] = [];
    while (crops.length < n) {
      const slot = this.slots[this.rng.int(0, this.size - 1)] as LabelledCrop[];
      if (!slot.length) continue;
      const c = slot[this.rng.int(0, slot.length - 1)] as LabelledCrop;
      const permute = this.rng.uniform() < PERMUTE_SHARE;
      crops.push({ ...c.crop, flip: this.rng.uniform() < 0.5, channels: permute ? this.rng.pick(PERMUTATIONS) : undefined });
      objects.push(c.object);
      colourKnown.push(!permute);
    }
    const y = toTargets(objects);
    const data = y.data as Float32Array;
    colourKnown.forEach((known, i) => known || data.fill(0, i * TOTAL_LOGITS + HEADS.color.offset, i * TOTAL_LOGITS + HEADS.color.offset + HEADS.color.size));
    return { objects, x: cropBatch(crops), y };
  }
}

/** `n` training scenes (1–3 objects, no HELD_OUT pair) and their renders. */
export function trainingScenes(rng: Rng, n: number): { scenes: Scene[]; images: EvalImage[] } {
  const scenes = Array.from({ length: n }, () => sampleScene(rng, { excludeHeldOut: true }));
  return { scenes, images: scenes.map((s) => renderScene(s, SEG_SIZE)) };
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
