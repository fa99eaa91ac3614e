// The training worker's regularisation phase: the class-prompt images DisenDiff trains beside the target
// (docs/disendiff.md), rendered with the run's own runner and model (DDIM, CFG 6) or read back from the cache, each
// one announced to the page as 'regularisation' (done of total, cached of them). Reference: train/data/regularisation.ts.
import { nativeImageSize, Txt2ImgPipeline } from '../diffusion/index';
import type { LoadedModel } from '../diffusion/index';
import { describeBackend } from '../runtime/index';
import type { Runner } from '../runtime/index';
import { captionStyleFor, classPrompt, regularisationImages } from '../train/index';
import type { BlobCache, RegularisationImage } from '../train/index';
import type { FromTrainingWorker, StartTraining } from './protocol';

/** The run's regularisation images at the model's native size; the pipeline used to render them is disposed after. */
export async function regularisationPhase(start: StartTraining, runner: Runner, model: LoadedModel, modelHash: string, cache: BlobCache, post: (m: FromTrainingWorker) => void, signal?: AbortSignal): Promise<RegularisationImage[]> {
  const prompt = classPrompt(start.concepts, captionStyleFor(model.tokenizer));
  post({ type: 'status', phase: 'regularisation', detail: `${start.regularisationCount} image${start.regularisationCount === 1 ? '' : 's'} of "${prompt}" on ${describeBackend(runner.backend)}` });
  const pipe = new Txt2ImgPipeline(runner, model);
  const gen = (p: string, seed: number, size: number) => pipe.generate({ prompt: p, seed, steps: start.regularisationSteps ?? 25, sampler: 'DDIM', guidanceScale: 6, width: size, height: size, preview: 'none' }, { signal });
  const size = nativeImageSize(model);
  let cached = 0;
  const onImage = (i: number, wasCached: boolean) => post({ type: 'regularisation', done: i + 1, total: start.regularisationCount, cached: (cached += wasCached ? 1 : 0) });
  const reg = await regularisationImages({ modelHash, prompt, seed: 10_000 + start.seed, count: start.regularisationCount, size, samplerSteps: start.regularisationSteps ?? 25 }, gen, cache, onImage);
  await pipe.dispose();
  return reg;
}
