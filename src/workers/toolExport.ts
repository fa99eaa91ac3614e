// A run's files for other tools, written when the user exports (generation.worker.ts 'export'), not at the end of
// every run: the concept pack's ecosystem files (train/pack/ecosystem.ts) with the kohya LoRA by truncated SVD and,
// for an SD 1.x-shaped pack, diffusers' Custom Diffusion file (W_base + Δ, read from the base model without packs).
import { MemoryFileSource, nativeImageSize } from '../diffusion/index';
import type { LoadedModel } from '../diffusion/index';
import { exportEcosystem, loadPack } from '../train/index';
export { DEFAULT_LORA_RANK } from '../train/index';

/**
 * File name → bytes of every export file of the pack in `packFiles`, at the pack's training resolution (the base
 * model's native size when the pack does not say).
 * @throws what loadPack and exportEcosystem throw (a malformed pack, a base UNet lacking a K/V weight)
 */
export async function toolExport(packFiles: Record<string, Uint8Array>, base: LoadedModel, title: string, loraRank: number): Promise<Record<string, Uint8Array>> {
  const pack = await loadPack(new MemoryFileSource(new Map(Object.entries(packFiles)), 'concept pack'));
  const size = Number(pack.metadata.settings.resolution) || nativeImageSize(base);
  return Object.fromEntries(exportEcosystem(pack, { title, resolution: `${size}x${size}`, loraRank, baseUnet: base.unet.weights }));
}

/** The stem of a run's export files: its tokens without brackets, joined by "_". */
export const exportTitle = (concepts: readonly { token: string }[]): string => concepts.map((c) => c.token.replace(/[<>]/g, '')).join('_');
