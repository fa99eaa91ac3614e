// Memory profile of the loaded model for the training panel's memory plan: SD 1.5 (UNet + text configs equal to
// SD15_UNET / SD15_CLIP_TEXT) gets the precomputed SD15_MEMORY_PROFILE, any other model is planned from its
// configs at its native training resolution (batches 1 and 2). Pure graph analysis, never runs a session.
// Reference: src/train/memory/CONTEXT.md (buildMemoryProfile), train/loop/job.ts (native resolution).
import { parseClipTextConfig, parseUnetConfig } from '../diffusion/index';
import type { MemoryProfile } from '../train/index';
import { buildMemoryProfile, SD15_MEMORY_PROFILE } from '../train/index';
import { SD15_CLIP_TEXT, SD15_UNET } from '../onnx/index';
import type { ClipTextConfig, UNet2DConditionConfig } from '../onnx/index';

/** Micro-batches a profile covers (the panel asks for the training settings' batch). */
export const PROFILE_BATCHES: readonly number[] = [1, 2];

/** What the profile is computed from: the loaded model's configs and its VAE's downscale factor. */
export type ProfileModel = { name: string; unet: UNet2DConditionConfig; text: ClipTextConfig; latentFactor: number };

/** The planner builds its graphs at latent = resolution / 8 (multiples of 64 px); this is that stand-in resolution. */
const PLANNER_FACTOR = 8;

/** True when both configs equal SD 1.5's once diffusers' / transformers' defaults are filled in. */
export function isSd15(unet: UNet2DConditionConfig, text: ClipTextConfig): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return same(parseUnetConfig(unet), parseUnetConfig(SD15_UNET)) && same(parseClipTextConfig(text), parseClipTextConfig(SD15_CLIP_TEXT));
}

/**
 * The loaded model's memory profile: SD15_MEMORY_PROFILE for SD 1.5, else its candidates at its native training
 * resolution (unet.sample_size latents × latentFactor px, as train/loop/job.ts trains) for PROFILE_BATCHES.
 * The graphs are built at the same latent size; candidates are relabelled with the native resolution in px.
 * @throws RangeError when the latent size is not a multiple of 8 (the planner's 64 px grid), or the configs
 *   cannot be built as a training graph
 * @example modelMemoryProfile({ name: 'demo', unet: TINY_UNET, text: TINY_CLIP_TEXT, latentFactor: 8 }).candidates.length // 6
 */
export function modelMemoryProfile(m: ProfileModel): MemoryProfile {
  if (isSd15(m.unet, m.text)) return SD15_MEMORY_PROFILE;
  const latent = m.unet.sample_size;
  const native = latent * m.latentFactor;
  if (latent % 8 !== 0) throw new RangeError(`no memory profile for ${m.name}: the planner needs latents in multiples of 8, the UNet's sample_size is ${latent}`);
  const profile = buildMemoryProfile(m.name, { unet: m.unet, text: m.text }, PROFILE_BATCHES, [latent * PLANNER_FACTOR]);
  return { model: m.name, candidates: profile.candidates.map((c) => ({ ...c, resolution: native })) };
}
