// Generation slice: prompt and sampler settings, and the generate/cancel actions that call EnginePort.
// Without an engine the status becomes 'unavailable' (never fake images). Errors land in status, never thrown.
// Reference: the studio's generation panel, ports.ts EnginePort.generate.
import { expandPrompt } from '../concepts';
import { describeError } from '../../lib/errors';
import { ENGINE_UNAVAILABLE, isAbort } from '../engineMessages';
import type { GenerateRequest } from '../ports';
import type { GenerationSettings } from '../types';
import type { SliceContext } from './sliceTypes';

export type GenerationActions = {
  updateGeneration(patch: Partial<GenerationSettings>): void;
  randomizeSeed(): void;
  generate(): Promise<void>;
  cancelGeneration(): void;
};

export function createGenerationSlice({ set, get, deps }: SliceContext): GenerationActions {
  let controller: AbortController | null = null;
  const setGen = (patch: Partial<ReturnType<typeof get>['generation']>): void => set((s) => ({ generation: { ...s.generation, ...patch } }));
  return {
    updateGeneration(patch) {
      set((s) => ({ generation: { ...s.generation, settings: { ...s.generation.settings, ...patch } } }));
    },
    randomizeSeed() {
      get().updateGeneration({ seed: deps.randomSeed() >>> 0 });
    },
    async generate() {
      const engine = deps.engine;
      if (!engine) return setGen({ status: { kind: 'unavailable', message: ENGINE_UNAVAILABLE } });
      if (get().generation.status.kind === 'running') return;
      if (!get().generation.settings.isSeedLocked) get().randomizeSeed();
      const st = get().generation.settings;
      if (st.prompt.trim() === '') return setGen({ status: { kind: 'error', message: 'The prompt is empty: describe the image, e.g. "a photo of <concept1> on a beach".' } });
      const request: GenerateRequest = {
        prompt: st.prompt,
        expandedPrompt: expandPrompt(st.prompt, get().project.concepts),
        negativePrompt: st.negativePrompt,
        seed: st.seed,
        steps: st.steps,
        guidance: st.guidance,
        sampler: st.sampler,
        batch: st.batch,
        width: st.size,
        height: st.size,
      };
      controller = new AbortController();
      const signal = controller.signal;
      setGen({ status: { kind: 'running' }, progress: { stepIndex: 0, totalSteps: st.steps } });
      try {
        const images = await engine.generate(request, (progress) => setGen({ progress }), signal);
        setGen({ status: { kind: 'done' }, images });
      } catch (e) {
        setGen({ status: isAbort(e, signal) ? { kind: 'cancelled' } : { kind: 'error', message: describeError(e) } });
      } finally {
        controller = null;
      }
    },
    cancelGeneration() {
      controller?.abort();
    },
  };
}
