// The export files `npm run check:ecosystem` loads with the peers' own code (tools/ecosystem/check_ecosystem.py):
//   <out>/sd15/    an SD 1.5-shaped pack (the 16 attn2 K/V of SD15_UNET, 768-wide rows; random weights, seeded):
//                  every export kind (exportEcosystemWithReport, LoRA rank --rank), the pack itself (the truth:
//                  pack.json + weights.safetensors) and base_kv.safetensors (the base K/V W0 the stand-in models hold);
//   <out>/default/ a pack on the shipped default model's K/V shapes (public/models/default), which must say
//                  "not for SD 1.x tools".
// writeCheckExports returns the files and the LoRA's measured relative errors (the studio's own report).
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { Rng } from '../../src/lib/random';
import { readSafetensors, writeSafetensors } from '../../src/diffusion/index';
import { createNodeFileSource, writeFilesToFolder } from '../../src/diffusion/loaders/node';
import type { SafeTensor } from '../../src/diffusion/index';
import { SD15_UNET } from '../../src/onnx/models/configs';
import type { UNet2DConditionConfig } from '../../src/onnx/models/configs';
import { exportEcosystemWithReport } from '../../src/train/pack/ecosystem';
import { baseModelHash } from '../../src/train/pack/hash';
import { encodePack } from '../../src/train/pack/io';
import type { ConceptPack, PackDelta } from '../../src/train/pack/types';

const CONCEPTS = [{ token: '<cat1>', classWord: 'cat' }, { token: '<dog1>', classWord: 'dog' }];
const SETTINGS = { steps: 250, seed: 1, learningRate: 1e-5, attentionLossWeight: 0.01, preset: 'DisenDiff as released (random weights: ecosystem check)' };

/** Each attn2 layer of a diffusers UNet config with its inner width: "down_blocks.0.attentions.0.transformer_blocks.0" → 320. */
export function crossAttentionLayers(c: UNet2DConditionConfig): { layer: string; width: number }[] {
  const out: { layer: string; width: number }[] = [];
  c.down_block_types.forEach((t, i) => {
    if (t !== 'CrossAttnDownBlock2D') return;
    for (let a = 0; a < c.layers_per_block; a++) out.push({ layer: `down_blocks.${i}.attentions.${a}.transformer_blocks.0`, width: c.block_out_channels[i] as number });
  });
  out.push({ layer: 'mid_block.attentions.0.transformer_blocks.0', width: c.block_out_channels[c.block_out_channels.length - 1] as number });
  const rev = [...c.block_out_channels].reverse();
  c.up_block_types.forEach((t, i) => {
    if (t !== 'CrossAttnUpBlock2D') return;
    for (let a = 0; a <= c.layers_per_block; a++) out.push({ layer: `up_blocks.${i}.attentions.${a}.transformer_blocks.0`, width: rev[i] as number });
  });
  return out;
}

/** Δ of layer i: rank 4 for even layers (the LoRA is exact there), full-rank Gaussian for odd ones (it is not). */
function delta(rng: Rng, i: number, m: number, n: number): Float32Array {
  if (i % 2 === 1) return rng.normalArray(m * n, 0.02);
  const u = rng.normalArray(m * 4, 0.1), v = rng.normalArray(4 * n, 0.1);
  const d = new Float32Array(m * n);
  for (let r = 0; r < m; r++) for (let k = 0; k < 4; k++) {
    const a = u[r * 4 + k] as number;
    for (let c = 0; c < n; c++) d[r * n + c] = (d[r * n + c] as number) + a * (v[k * n + c] as number);
  }
  return d;
}

function packOf(name: string, hash: string, hidden: number, deltas: PackDelta[], rng: Rng): ConceptPack {
  return {
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name, hash }, createdAt: '2026-12-07T00:00:00Z', settings: SETTINGS },
    concepts: CONCEPTS.map((c) => ({ ...c, embedding: rng.normalArray(hidden, 0.02) })),
    deltas: deltas.sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

async function sd15(out: string, rank: number): Promise<Record<string, unknown>> {
  const rng = new Rng(15);
  const base = new Map<string, Float32Array>();
  const deltas: PackDelta[] = [];
  crossAttentionLayers(SD15_UNET).forEach(({ layer, width }, i) => {
    for (const [j, p] of (['to_k', 'to_v'] as const).entries()) {
      const name = `${layer}.attn2.${p}.weight`;
      base.set(name, rng.normalArray(width * SD15_UNET.cross_attention_dim, 0.03));
      deltas.push({ name, shape: [width, SD15_UNET.cross_attention_dim], delta: delta(rng, 2 * i + j, width, SD15_UNET.cross_attention_dim) });
    }
  });
  const pack = packOf('sd15-random', 'ab'.repeat(32), 768, deltas, rng);
  const e = exportEcosystemWithReport(pack, { title: 'catdog', resolution: '512x512', loraRank: rank, baseUnet: { get: (n) => base.get(n) } });
  const w0: Record<string, SafeTensor> = {};
  for (const d of deltas) w0[d.name] = { dtype: 'F32', shape: d.shape, data: base.get(d.name) as Float32Array };
  await writeFilesToFolder(join(out, 'sd15'), new Map([...e.files, ...[...encodePack(pack)].map(([k, v]) => [`pack/${k}`, v] as const), ['base_kv.safetensors', writeSafetensors(w0)]]));
  return { files: [...e.files.keys()], prompts: e.prompts, lora: e.lora };
}

async function defaultModel(out: string, rank: number): Promise<Record<string, unknown>> {
  const root = 'public/models/default';
  const unet = readSafetensors(new Uint8Array(await readFile(join(root, 'unet/diffusion_pytorch_model.safetensors'))));
  const hidden = (JSON.parse(await readFile(join(root, 'text_encoder/config.json'), 'utf8')) as { hidden_size: number }).hidden_size;
  const rng = new Rng(16);
  const deltas = Object.entries(unet.tensors).filter(([k]) => /\.attn2\.to_[kv]\.weight$/.test(k))
    .map(([name, t], i) => ({ name, shape: [...t.shape], delta: delta(rng, i, t.shape[0] as number, t.shape[1] as number) }));
  const pack = packOf('default', await baseModelHash(createNodeFileSource(root)), hidden, deltas, rng);
  const e = exportEcosystemWithReport(pack, { title: 'catdog', resolution: '128x128', loraRank: rank });
  await writeFilesToFolder(join(out, 'default'), new Map([...e.files, ...[...encodePack(pack)].map(([k, v]) => [`pack/${k}`, v] as const)]));
  return { files: [...e.files.keys()], prompts: e.prompts, lora: e.lora };
}

/** Writes both packs' exports under `out` (see the header). */
export async function writeCheckExports(out: string, rank: number): Promise<Record<string, unknown>> {
  return { rank, sd15: await sd15(out, rank), default: await defaultModel(out, rank) };
}
