// The diffusers Custom Diffusion file (full W0 + Δ per cross-attention layer, empty self-attention entries) and the
// kohya LoRA by truncated SVD (keys, shapes, alpha, measured error), with metadata that tells the truth.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { readSafetensors } from '../../../src/diffusion/index';
import { exportEcosystemWithReport, exportFileNames } from '../../../src/train/pack/ecosystem';
import { customDiffusionFile, kohyaLoraFile } from '../../../src/train/pack/peerExports';
import { moduleDelta, parseLora } from '../../../src/diffusion/lora/lora';
import type { ConceptPack } from '../../../src/train/pack/types';

const B0 = 'down_blocks.0.attentions.0.transformer_blocks.0';
const B1 = 'mid_block.attentions.0.transformer_blocks.0';
const O = { title: 'catdog', resolution: '512x512' };

function sd1Pack(): { pack: ConceptPack; base: Map<string, Float32Array> } {
  const rng = new Rng(7);
  const n = 768;
  // rank-2 K delta, full-rank V delta on B0; only K on B1 (its V stays W0)
  const lowRank = new Float32Array(4 * n);
  const u = rng.normalArray(8), v = rng.normalArray(2 * n);
  for (let i = 0; i < 4; i++) for (let j = 0; j < n; j++) lowRank[i * n + j] = (u[i * 2] as number) * (v[j] as number) + (u[i * 2 + 1] as number) * (v[n + j] as number);
  const deltas = [
    { name: `${B0}.attn2.to_k.weight`, shape: [4, n], delta: lowRank },
    { name: `${B0}.attn2.to_v.weight`, shape: [4, n], delta: rng.normalArray(4 * n, 0.1) },
    { name: `${B1}.attn2.to_k.weight`, shape: [8, n], delta: rng.normalArray(8 * n, 0.1) },
  ];
  const base = new Map(deltas.flatMap((d) => ['to_k', 'to_v'].map((p) => [d.name.replace(/to_[kv]/, p), rng.normalArray(d.shape[0]! * n)] as const)));
  const pack: ConceptPack = {
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'sd15', hash: 'ef'.repeat(32) }, createdAt: '2026-12-07T00:00:00Z', settings: { steps: 250, seed: 3, attentionLossWeight: 0.01 } },
    concepts: [{ token: '<cat1>', classWord: 'cat', embedding: rng.normalArray(n) }],
    deltas,
  };
  return { pack, base };
}

const source = (m: Map<string, Float32Array>) => ({ get: (name: string) => m.get(name) });

describe('diffusers Custom Diffusion export', () => {
  it('holds W0 + Δ for each trained attn2 K/V, W0 for an untrained one, and a [0] entry per attn1 processor', () => {
    const { pack, base } = sd1Pack();
    const f = readSafetensors(customDiffusionFile(pack, source(base), O));
    expect(Object.keys(f.tensors).sort()).toEqual([
      `${B0}.attn1.processor`, `${B0}.attn2.processor.to_k_custom_diffusion.weight`, `${B0}.attn2.processor.to_v_custom_diffusion.weight`,
      `${B1}.attn1.processor`, `${B1}.attn2.processor.to_k_custom_diffusion.weight`, `${B1}.attn2.processor.to_v_custom_diffusion.weight`,
    ].sort());
    expect(f.tensors[`${B0}.attn1.processor`]?.shape).toEqual([0]);
    const k = f.tensors[`${B0}.attn2.processor.to_k_custom_diffusion.weight`]!.data as Float32Array;
    const w0 = base.get(`${B0}.attn2.to_k.weight`)!;
    expect(k[5]).toBe(Math.fround(w0[5]! + pack.deltas[0]!.delta[5]!));
    expect(Array.from(f.tensors[`${B1}.attn2.processor.to_v_custom_diffusion.weight`]!.data as Float32Array)).toEqual(Array.from(base.get(`${B1}.attn2.to_v.weight`)!));
    expect(f.metadata).toMatchObject({ 'modelspec.architecture': 'stable-diffusion-v1/custom-diffusion', 'disenstudio.base_model_hash': 'ef'.repeat(32), 'disenstudio.tokens': '[{"token":"<cat1>","classWord":"cat"}]' });
    expect(JSON.parse(f.metadata['disenstudio.settings']!)).toEqual(pack.metadata.settings);
  });

  it('refuses a pack that is not SD 1.x-shaped and names a missing base weight', () => {
    const { pack, base } = sd1Pack();
    const small = { ...pack, concepts: pack.concepts.map((c) => ({ ...c, embedding: new Float32Array(8) })) };
    expect(() => customDiffusionFile(small, source(base), O)).toThrow(/not SD 1\.x-shaped/);
    base.delete(`${B1}.attn2.to_v.weight`);
    expect(() => customDiffusionFile(pack, source(base), O)).toThrow(`"${B1}.attn2.to_v.weight" [8,768]`);
  });
});

describe('kohya LoRA export by truncated SVD', () => {
  it('writes lora_down [r, in], lora_up [out, r], alpha r; exact for the rank-2 delta, the measured error for the others', () => {
    const { pack } = sd1Pack();
    const { bytes, report } = kohyaLoraFile(pack, O, 2);
    const f = readSafetensors(bytes);
    const stem = 'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k';
    expect(f.tensors[`${stem}.lora_down.weight`]?.shape).toEqual([2, 768]);
    expect(f.tensors[`${stem}.lora_up.weight`]?.shape).toEqual([4, 2]);
    expect(Array.from(f.tensors[`${stem}.alpha`]!.data as Float32Array)).toEqual([2]);
    expect(Object.keys(f.tensors)).toHaveLength(9);
    const up = f.tensors[`${stem}.lora_up.weight`]!.data as Float32Array, down = f.tensors[`${stem}.lora_down.weight`]!.data as Float32Array;
    let err = 0, tot = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 768; j++) {
      const x = pack.deltas[0]!.delta[i * 768 + j]!;
      err += (x - (up[i * 2]! * down[j]! + up[i * 2 + 1]! * down[768 + j]!)) ** 2;
      tot += x * x;
    }
    expect(Math.sqrt(err / tot)).toBeLessThan(1e-6);
    expect(report.modules[stem]).toBeLessThan(1e-6);
    // a 4×768 Gaussian delta keeps 2 of 4 similar singular values: about √(2/4) of it is lost
    const v = report.modules['lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_v']!;
    expect(v).toBeGreaterThan(0.6);
    expect(v).toBeLessThan(0.8);
    const errors = Object.values(report.modules);
    expect(report.overall).toBeGreaterThan(Math.min(...errors));
    expect(report.overall).toBeLessThan(Math.max(...errors));
    expect(f.metadata).toMatchObject({ ss_network_module: 'networks.lora', ss_network_dim: '2', ss_network_alpha: '2', ss_base_model_version: 'sd_v1', 'modelspec.architecture': 'stable-diffusion-v1/lora' });
    expect(JSON.parse(f.metadata['disenstudio.svd']!)).toEqual(report);
  });
});

describe('the studio reads its own K/V exports back (src/diffusion/lora)', () => {
  it('the LoRA file gives up·down = Δ for the rank-2 module and the .diff file Δ exactly', () => {
    const { pack } = sd1Pack();
    const names = { unet: pack.deltas.map((d) => d.name), textEncoder: [] };
    const lora = parseLora(kohyaLoraFile(pack, O, 2).bytes, 'lora', names);
    expect([lora.modules.length, lora.unknownKeys.length]).toEqual([3, 0]);
    const m = lora.modules.find((x) => x.name === pack.deltas[0]!.name)!;
    const got = moduleDelta(m, pack.deltas[0]!.shape, 1, 'lora');
    const want = pack.deltas[0]!.delta;
    let e = 0, n = 0;
    want.forEach((w, i) => { e += (w - got[i]!) ** 2; n += w * w; });
    expect(Math.sqrt(e / n)).toBeLessThan(1e-6);
    const diff = parseLora(exportEcosystemWithReport(pack, O).files.get('catdog.safetensors')!, 'diff', names);
    const d = diff.modules.find((x) => x.name === pack.deltas[1]!.name)!;
    expect(Array.from(moduleDelta(d, pack.deltas[1]!.shape, 1, 'diff'))).toEqual(Array.from(pack.deltas[1]!.delta));
  });
});

describe('exportEcosystemWithReport', () => {
  it('writes every kind for an SD 1.x pack, and usage text naming exactly those files', () => {
    const { pack, base } = sd1Pack();
    const o = { ...O, loraRank: 2, baseUnet: source(base) };
    const out = exportEcosystemWithReport(pack, o);
    expect([...out.files.keys()].sort()).toEqual(['cat1.safetensors', 'catdog.safetensors', 'catdog_custom_diffusion.safetensors', 'catdog_lora_r2.safetensors', 'catdog_usage.txt']);
    const usage = new TextDecoder().decode(out.files.get('catdog_usage.txt'));
    expect(usage).toContain('prompt: a photo of cat1 cat <lora:catdog:1>');
    expect(usage).toContain('with the LoRA: a photo of cat1 cat <lora:catdog_lora_r2:1>');
    expect(usage).toContain('prompt: a photo of embedding:cat1 cat');
    expect(usage).toContain('weight_name="catdog_custom_diffusion.safetensors"');
    expect(usage).not.toContain('NOT FOR SD 1.x');
    expect(out.lora?.rank).toBe(2);
    expect(out.prompts.diffusers).toBe('a photo of <cat1> cat');
  });

  it('a default-model pack gets no diffusers file, a LoRA that says it is not for SD 1.x tools, and says so in the usage text', () => {
    const { pack, base } = sd1Pack();
    const small: ConceptPack = { ...pack, concepts: pack.concepts.map((c) => ({ ...c, embedding: new Float32Array(8) })), deltas: [{ name: `${B0}.attn2.to_k.weight`, shape: [4, 8], delta: new Rng(1).normalArray(32) }] };
    const o = { ...O, loraRank: 2, baseUnet: source(base) };
    expect(exportFileNames(small, o).customDiffusion).toBeUndefined();
    const out = exportEcosystemWithReport(small, o);
    expect([...out.files.keys()].sort()).toEqual(['cat1.safetensors', 'catdog.safetensors', 'catdog_lora_r2.safetensors', 'catdog_usage.txt']);
    const meta = readSafetensors(out.files.get('catdog_lora_r2.safetensors')!).metadata;
    expect(meta['disenstudio.compatibility']).toMatch(/^not for SD 1\.x tools/);
    expect(meta).toMatchObject({ ss_base_model_version: 'unknown', 'modelspec.architecture': 'disenstudio-custom-sd15/lora' });
    expect(new TextDecoder().decode(out.files.get('catdog_usage.txt'))).toContain('NOT FOR SD 1.x TOOLS');
    expect(() => exportEcosystemWithReport(small, { ...O, loraRank: 0 })).toThrow(/LoRA rank must be a positive integer \(got 0\)/);
  });
});
