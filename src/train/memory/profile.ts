// Memory profiles: a model's candidates (every strategy × resolution × batch) computed once, offline or in a
// worker, so the UI can re-plan instantly when the user changes the budget, batch or resolution.
// Pure: building a profile analyses graphs (seconds for SD 1.5); planning from one is arithmetic.
// Reference: planMemory.ts (candidates), strategy.ts (choice); tools/bench/memory.ts --write-profile.
import { modelCandidates } from './planMemory';
import type { ModelSource } from './planMemory';
import { choosePlan } from './strategy';
import { DEFAULT_BUDGET_BYTES, RESOLUTION_LADDER } from './types';
import type { Candidate, MemoryPlan } from './types';

/** Every evaluated candidate of one model (JSON-safe). */
export type MemoryProfile = { model: string; candidates: Candidate[] };

/** What the user chose in the training panel. */
export type ProfileRequest = { resolution?: number; batch: number; budgetBytes?: number; allowModelled?: boolean };

/**
 * Evaluates `source` at every resolution of `resolutions` and every batch of `batches`.
 * @example buildMemoryProfile('Stable Diffusion 1.5', { unet: SD15_UNET, text: SD15_CLIP_TEXT }, [1, 2])
 */
export function buildMemoryProfile(model: string, source: ModelSource, batches: readonly number[], resolutions: readonly number[] = RESOLUTION_LADDER): MemoryProfile {
  const candidates: Candidate[] = [];
  for (const batch of batches) for (const r of resolutions) candidates.push(...modelCandidates(source, r, batch));
  return { model, candidates };
}

/**
 * Plans from a profile: the candidates of `batch` at the requested resolution and below.
 * @throws RangeError when the profile has no candidate for that batch and resolution
 */
export function planFromProfile(profile: MemoryProfile, req: ProfileRequest): MemoryPlan {
  const resolution = req.resolution ?? Math.max(...profile.candidates.map((c) => c.resolution));
  const pool = profile.candidates.filter((c) => c.batch === req.batch && c.resolution <= resolution);
  if (!pool.length) {
    const batches = [...new Set(profile.candidates.map((c) => c.batch))].join(', ');
    throw new RangeError(`memory profile of ${profile.model} has no entry for batch ${req.batch} at ≤ ${resolution} px; it covers batches ${batches}`);
  }
  return choosePlan(pool, req.budgetBytes ?? DEFAULT_BUDGET_BYTES, req.allowModelled);
}
