// Generation slice: prompt and sampler settings, and the generate/cancel actions that call EnginePort.
// Without an engine the status becomes 'unavailable' (never fake images). Errors land in status, never thrown.
// Reference: the studio's generation panel, ports.ts EnginePort.generate.
import { expandPrompt } from '../concepts';
import { describeError } from '../../lib/errors';
import { ENGINE_UNAVAILABLE, isAbort } from '../engineMessages';
import { isSamplerName } from '../limits';
import type { GenerateRequest, NetworkItem } from '../ports';
import type { Concept, GenerationSettings } from '../types';
import { networkChoices } from './networksSlice';
import type { SliceContext } from './sliceTypes';

export type GenerationActions = {
  updateGeneration(patch: Partial<GenerationSettings>): void;
  randomizeSeed(): void;
  generate(): Promise<void>;
  cancelGeneration(): void;
  /**
   * Fills the generation settings from a dropped PNG's metadata (A1111, ComfyUI or the studio's own); returns
   * what happened, for the panel to show. Settings the PNG lacks, or the studio cannot use, stay as they are.
   */
  importGenerationPng(bytes: Uint8Array, fileName: string): string;
};

/** The engine request of the generation settings (shared by text-to-image and the edit view). */
export function generateRequest(st: GenerationSettings, concepts: readonly Concept[], networks: readonly NetworkItem[] = []): GenerateRequest {
  return {
    prompt: st.prompt, expandedPrompt: expandPrompt(st.prompt, concepts), negativePrompt: st.negativePrompt, seed: st.seed, steps: st.steps,
    guidance: st.guidance, sampler: st.sampler, batch: st.batch, width: st.size, height: st.size,
    ...(networks.length ? { networks: networkChoices(networks) } : {}),
  };
}

/** The panel's message for an empty prompt. */
export const EMPTY_PROMPT = 'The prompt is empty: describe the image, e.g. "a photo of <concept1> on a beach".';

export function createGenerationSlice({ set, get, deps }: SliceContext): GenerationActions {
  let controller: AbortController | null = null;
  const setGen = (patch: Partial<ReturnType<typeof get>['generation']>): void => set((s) => ({ generation: { ...s.generation, ...patch } }));
  return {
    updateGeneration(patch) {
      set((s) => ({ generation: { ...s.generation, settings: { ...s.generation.settings, ...patch } } }));
    },
    importGenerationPng(bytes, fileName) {
      let got;
      try {
        got = deps.pngSettings?.read(bytes);
      } catch (e) {
        return `${fileName}: not read (${describeError(e)}); settings unchanged.`;
      }
      if (!deps.pngSettings) return `${fileName}: reading PNG settings is not available here; settings unchanged.`;
      if (!got) return `${fileName} carries no generation settings (no A1111 "parameters", ComfyUI "prompt" or DisenStudio chunk); settings unchanged.`;
      const notes = [...got.notes];
      const patch: { -readonly [K in keyof GenerationSettings]?: GenerationSettings[K] } = { prompt: got.prompt, negativePrompt: got.negativePrompt };
      if (got.steps !== undefined && Number.isInteger(got.steps) && got.steps > 0) patch.steps = got.steps;
      if (got.cfgScale !== undefined) patch.guidance = got.cfgScale;
      if (got.seed !== undefined && Number.isInteger(got.seed) && got.seed >= 0) patch.seed = got.seed >>> 0;
      if (got.width !== undefined && got.width === got.height) patch.size = got.width;
      else if (got.width !== undefined) notes.push(`size ${got.width}x${got.height ?? '?'} is not square; kept ${get().generation.settings.size}`);
      if (isSamplerName(got.sampler) && (deps.engine?.samplers.includes(got.sampler) ?? true)) patch.sampler = got.sampler;
      else if (got.sampler !== undefined) notes.push(`sampler "${got.sampler}" is not offered here; kept the current one`);
      get().updateGeneration(patch);
      return `Settings from ${fileName} (${got.source})${notes.length > 0 ? `; ${notes.join('; ')}` : ''}.`;
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
      if (st.prompt.trim() === '') return setGen({ status: { kind: 'error', message: EMPTY_PROMPT } });
      const request = generateRequest(st, get().project.concepts, get().networks.items);
      controller = new AbortController();
      const signal = controller.signal;
      setGen({ status: { kind: 'running' }, progress: { stepIndex: 0, totalSteps: st.steps } });
      try {
        const images = await engine.generate(request, (progress) => setGen({ progress }), signal);
        setGen({ status: { kind: 'done' }, images });
        void get().keepInGallery(images, request);
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
