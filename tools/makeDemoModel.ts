// Writes public/models/demo/: a tiny RANDOM-weight diffusers folder (TINY_* UNet/text encoder at 256 px with a 4-level VAE, seed 7, F16 to stay under 3 MB) that the studio
// loads when the trained default model (public/models/default/) is not there. It must never be presented as a
// trained model: its images are noise. Reference: src/diffusion/loaders/writeDiffusersFolder.ts.
// Usage: npx tsx tools/makeDemoModel.ts
import { rmSync } from 'node:fs';
import { TINY_UNET, TINY_VAE } from '../src/onnx/index';
import type { AutoencoderKLConfig } from '../src/onnx/index';
import { writeDiffusersFolder } from '../src/diffusion/loaders/writeDiffusersFolder';
import { writeFilesToFolder } from '../src/diffusion/loaders/node';

const OUT = 'public/models/demo';

/** Native size 256 px (latent 32², VAE factor 8 like SD) so the studio's smallest size (256) stays cheap. */
const UNET = { ...TINY_UNET, sample_size: 32 };
const VAE: AutoencoderKLConfig = {
  ...TINY_VAE, block_out_channels: [16, 32, 32, 32], norm_num_groups: 8, sample_size: 256,
  down_block_types: Array(4).fill('DownEncoderBlock2D' as const), up_block_types: Array(4).fill('UpDecoderBlock2D' as const),
};

async function main(): Promise<void> {
  const files = writeDiffusersFolder({ seed: 7, isFp16: true, unet: UNET, vae: VAE });
  rmSync(OUT, { recursive: true, force: true });
  await writeFilesToFolder(OUT, files);
  const total = [...files.values()].reduce((n, b) => n + b.length, 0);
  console.log(`wrote ${files.size} files (${(total / 1e6).toFixed(2)} MB) to ${OUT}`);
}

void main();
