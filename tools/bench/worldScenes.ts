// Reference scenes of the generated world for the personalization benchmarks: a seeded two-object scene with
// fixed attributes rendered at the model's resolution, turned into the trainer's target (RGB in [−1, 1] plus one
// [0, 1] mask channel per object) and two concepts bound to the objects' shape words ("<c1>=circle"). Also the
// default-model loader the benches share. Node-only (reads public/models); no timing here.
import { Rng } from '../../src/lib/random';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { createNodeFileSource } from '../../src/diffusion/loaders/node';
import type { ConceptDef } from '../../src/train/concepts';
import type { PlanarImage } from '../../src/train/data/image';
import { renderScene, sampleScene } from '../../src/world/index';
import type { BackgroundName, Rendered, Scene, WorldObject } from '../../src/world/index';

export const DEFAULT_MODEL = 'public/models/default';

/** Attributes of one reference object (position and rotation come from the scene seed). */
export type ObjectSpec = Pick<WorldObject, 'shape' | 'color' | 'pattern' | 'size'>;

export type ReferenceScene = {
  scene: Scene;
  rendered: Rendered;
  /** [3 + 2, R, R]: RGB in [−1, 1], then the two objects' coverage masks in [0, 1] */
  target: PlanarImage;
  /** `<c1>` bound to object 0's shape word, `<c2>` to object 1's */
  concepts: ConceptDef[];
};

/** Renders objects `specs` (distinct shapes) on `background` at `size` px, seeded by `seed`. */
export function referenceScene(specs: readonly ObjectSpec[], seed: number, size: number, background: BackgroundName = 'grey'): ReferenceScene {
  if (new Set(specs.map((s) => s.shape)).size !== specs.length) throw new Error(`reference scene: shapes must differ (class words), got ${specs.map((s) => s.shape).join(', ')}`);
  const drawn = sampleScene(new Rng(seed), { count: specs.length, excludeHeldOut: false, fixed: specs.map((s) => ({ ...s })), background });
  // sampleScene sorts objects left to right; keep the spec order so concept i is object i
  const objects = specs.map((s) => drawn.objects.find((o) => o.shape === s.shape) as WorldObject);
  const scene: Scene = { objects, background: drawn.background };
  const rendered = renderScene(scene, size, 3);
  const n = size * size;
  const data = new Float32Array((3 + objects.length) * n);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) data[c * n + p] = ((rendered.rgba[p * 4 + c] as number) / 255) * 2 - 1;
  rendered.masks.forEach((m, k) => {
    for (let p = 0; p < n; p++) data[(3 + k) * n + p] = (m[p] as number) / 255;
  });
  const concepts = objects.map((o, i) => ({ token: `<c${i + 1}>`, classWord: o.shape }));
  return { scene, rendered, target: { width: size, height: size, channels: 3 + objects.length, data }, concepts };
}

/** The RGB planes only (no masks): the target of runs without mask guidance. */
export function withoutMasks(img: PlanarImage): PlanarImage {
  return { width: img.width, height: img.height, channels: 3, data: img.data.slice(0, 3 * img.width * img.height) };
}

/** Image `i` of a batch of RGB bytes [B, size, size, 3] as RGBA (the evaluator's EvalImage shape). */
export function rgbaImage(rgb: Uint8Array, size: number, i = 0): { size: number; rgba: Uint8ClampedArray } {
  const n = size * size;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = rgb[(i * n + p) * 3 + c] as number;
    rgba[p * 4 + 3] = 255;
  }
  return { size, rgba };
}

/** Loads a diffusers folder (a fresh copy each call: registering concepts mutates the tokenizer). */
export async function loadModel(folder = DEFAULT_MODEL): Promise<LoadedModel> {
  return loadDiffusersFolder(createNodeFileSource(folder));
}

/** The model's image side in pixels (UNet sample_size × VAE factor). */
export function modelResolution(model: LoadedModel): number {
  return model.unet.config.sample_size * 2 ** (model.vae.config.block_out_channels.length - 1);
}
