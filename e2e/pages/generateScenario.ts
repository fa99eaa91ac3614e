// The generation both e2e/pages/generateTiny.ts (browser) and e2e/generate.spec.ts (Node reference) run:
// the tiny random-weight folder and one small request. Test-only.
import type { Txt2ImgRequest } from '../../src/diffusion/pipeline/types';

export const FOLDER_SEED = 3;
export const REQUEST: Txt2ImgRequest = { prompt: 'a photo of a cat', negativePrompt: 'dog', seed: 11, steps: 2, sampler: 'Euler a', guidanceScale: 7.5, preview: 'none' };

/** What the page publishes per backend. */
export type BrowserRun = { backend: { ep: string; adapter?: string; reason: string }; latents: number[]; rgb: number[]; seconds: number } | { error: string };
