// What a studio training run hands back as files: its concept pack (pack.json + weights.safetensors, with the
// run's settings, base-model hash and status in the metadata) for snapshots and the end of the run, and the
// ecosystem export of the final pack without the SVD LoRA and Custom Diffusion file, which toolExport.ts writes on
// demand (A1111 / ComfyUI / diffusers files, train/pack/ecosystem.ts). Pure bytes.
import type { LoadedModel } from '../diffusion/index';
import type { HostTensor } from '../runtime/index';
import { encodePack, exportEcosystem, packFromParams, packSettings } from '../train/index';
import type { PersonalizeJob } from '../train/index';
import type { StartTraining } from './protocol';

type Files = Record<string, Uint8Array>;

/** The pack files of a run's trainables at `step` (`status`: 'snapshot', 'done' or 'cancelled'). */
export function packFilesOf(start: StartTraining, model: LoadedModel, modelHash: string, job: PersonalizeJob, regularisationImages: number) {
  const pack = (params: Record<string, HostTensor>, step: number, status: string) => packFromParams({
    params, baseUnet: model.unet.weights, concepts: start.concepts, kvLora: job.config.kvLora,
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: model.name, hash: modelHash }, createdAt: new Date().toISOString(), settings: { ...packSettings(job), steps: step, seed: start.seed, regularisationImages, status } },
  });
  return {
    snapshot: (params: Record<string, HostTensor>, step: number): Files => Object.fromEntries(encodePack(pack(params, step, 'snapshot'))),
    /** the final pack's files and its ecosystem export */
    final: (params: Record<string, HostTensor>, step: number, status: string): { packFiles: Files; exportFiles: Files } => {
      const p = pack(params, step, status);
      // the cheap files only (embeddings, full K/V diff, usage): the SVD LoRA and the Custom Diffusion file (W + Δ, a
      // second full K/V copy) are written when the user exports (toolExport.ts, generation worker 'export')
      const exportFiles = exportEcosystem(p, { title: start.exportTitle ?? 'studio_pack', resolution: `${job.resolution}x${job.resolution}` });
      return { packFiles: Object.fromEntries(encodePack(p)), exportFiles: Object.fromEntries(exportFiles) };
    },
  };
}
