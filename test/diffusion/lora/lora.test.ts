import { describe, expect, it } from 'vitest';
import { ModelAssetError } from '../../../src/lib/errors';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../../src/diffusion/weights/safetensors';
import { applyLoras, loraTargetNames, parseLora } from '../../../src/diffusion/lora/lora';
import { applyPack } from '../../../src/train/pack/apply';
import type { ConceptPack } from '../../../src/train/pack/types';
import { Rng } from '../../../src/lib/random';

const tiny = async (): Promise<LoadedModel> => loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 3 }), 'tiny'));
const f32 = (shape: number[], data: Float32Array): SafeTensor => ({ dtype: 'F32', shape, data });
function rand(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}
/** reference: W + s·(α/r)·up·down with up [out, r] and down [r, inner], written out as sums */
function expected(w: Float32Array, up: Float32Array, down: Float32Array, out: number, r: number, s: number, alpha: number): Float32Array {
  const inner = w.length / out;
  return w.map((v, idx) => {
    const o = Math.floor(idx / inner);
    const i = idx % inner;
    let acc = 0;
    for (let k = 0; k < r; k++) acc += (up[o * r + k] as number) * (down[k * inner + i] as number);
    return v + s * (alpha / r) * acc;
  });
}
const shapeOf = (m: LoadedModel, part: 'unet' | 'textEncoder', name: string): number[] => [...(m[part].weights.shapes().get(name) as readonly number[])];
const close = (a: Float32Array, b: Float32Array): number => a.reduce((mx, v, i) => Math.max(mx, Math.abs(v - (b[i] as number))), 0);

const Q = 'down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight';
const K2 = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';
const TEQ = 'text_model.encoder.layers.0.self_attn.q_proj.weight';
const CONV = 'down_blocks.0.resnets.0.conv1.weight';

describe('LoRA merge', () => {
  it('kohya names: W + s·(α/r)·up·down for UNet linear, text encoder and conv modules', async () => {
    const model = await tiny();
    const rng = new Rng(7);
    const r = 2;
    const tensors: Record<string, SafeTensor> = {};
    const want = new Map<string, { part: 'unet' | 'textEncoder'; exp: (w: Float32Array) => Float32Array }>();
    const add = (stem: string, part: 'unet' | 'textEncoder', name: string, alpha: number | undefined) => {
      const shape = shapeOf(model, part, name);
      const out = shape[0] as number;
      const inner = shape.slice(1).reduce((a, d) => a * d, 1);
      const up = rand(out * r, rng);
      const down = rand(r * inner, rng);
      tensors[`${stem}.lora_up.weight`] = f32(shape.length === 4 ? [out, r, 1, 1] : [out, r], up);
      tensors[`${stem}.lora_down.weight`] = f32(shape.length === 4 ? [r, ...shape.slice(1)] : [r, inner], down);
      if (alpha !== undefined) tensors[`${stem}.alpha`] = f32([], Float32Array.of(alpha));
      want.set(name, { part, exp: (w) => expected(w, up, down, out, r, 0.8, alpha ?? r) });
    };
    add('lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q', 'unet', Q, 1);
    add('lora_te_text_model_encoder_layers_0_self_attn_q_proj', 'textEncoder', TEQ, 4);
    add('lora_unet_down_blocks_0_resnets_0_conv1', 'unet', CONV, undefined);
    tensors['lora_unet_not_a_module.lora_down.weight'] = f32([1, 1], Float32Array.of(1));
    const file = parseLora(writeSafetensors(tensors), 'style.safetensors', loraTargetNames(model));
    expect(file.unknownKeys).toEqual(['lora_unet_not_a_module.lora_down.weight']);
    const merged = applyLoras(model, [{ file, strength: 0.8 }]);
    for (const [name, { part, exp }] of want) {
      const shape = shapeOf(model, part, name);
      const base = Float32Array.from(model[part].weights.get(name, shape) as Float32Array);
      const got = merged[part].weights.get(name, shape) as Float32Array;
      expect(close(got, exp(base))).toBeLessThan(1e-5);
      expect(close(got, base)).toBeGreaterThan(1e-3);
      // the base model's weights are untouched
      expect(close(model[part].weights.get(name, shape) as Float32Array, base)).toBe(0);
    }
    const other = 'down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.weight';
    expect(merged.unet.weights.get(other, shapeOf(model, 'unet', other))).toEqual(model.unet.weights.get(other, shapeOf(model, 'unet', other)));
  });

  it('diffusers / PEFT names (lora_A / lora_B, α = r) and LyCORIS full diffs, two files summed', async () => {
    const model = await tiny();
    const rng = new Rng(11);
    const shape = shapeOf(model, 'unet', K2);
    const [out, inner] = shape as [number, number];
    const A = rand(3 * inner, rng);
    const B = rand(out * 3, rng);
    const peft = writeSafetensors({
      [`unet.${K2.replace(/\.weight$/, '')}.lora_A.weight`]: f32([3, inner], A),
      [`unet.${K2.replace(/\.weight$/, '')}.lora_B.weight`]: f32([out, 3], B),
    });
    const diff = rand(out * inner, rng);
    const lyco = writeSafetensors({ 'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.diff': f32([out, inner], diff) });
    const names = loraTargetNames(model);
    const merged = applyLoras(model, [
      { file: parseLora(peft, 'peft.safetensors', names), strength: 1 },
      { file: parseLora(lyco, 'full.safetensors', names), strength: 0.5 },
    ]);
    const base = Float32Array.from(model.unet.weights.get(K2, shape) as Float32Array);
    const want = expected(base, B, A, out, 3, 1, 3).map((v, i) => v + 0.5 * (diff[i] as number));
    expect(close(merged.unet.weights.get(K2, shape) as Float32Array, want)).toBeLessThan(1e-5);
  });

  it('combines with a concept pack: W_base + ΔW_pack + ΔW_lora', async () => {
    const model = await tiny();
    const shape = shapeOf(model, 'unet', K2);
    const n = shape.reduce((a, d) => a * d, 1);
    const rng = new Rng(5);
    const packDelta = rand(n, rng);
    const hidden = model.textEncoder.config.hidden_size;
    const pack = { metadata: {} as ConceptPack['metadata'], concepts: [{ token: '<cat1>', classWord: 'cat', embedding: rand(hidden, rng) }], deltas: [{ name: K2, shape, delta: packDelta }] } as ConceptPack;
    const withPack = applyPack(model, pack);
    const diff = rand(n, rng);
    const file = parseLora(writeSafetensors({ 'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.diff': f32(shape, diff) }), 'x.safetensors', loraTargetNames(model));
    const both = applyLoras(withPack, [{ file, strength: 2 }]);
    const base = model.unet.weights.get(K2, shape) as Float32Array;
    const want = base.map((v, i) => v + (packDelta[i] as number) + 2 * (diff[i] as number));
    expect(close(both.unet.weights.get(K2, shape) as Float32Array, want)).toBeLessThan(1e-5);
    expect(both.textEncoder.config.vocab_size).toBe(model.textEncoder.config.vocab_size + 1);
  });

  it('refuses SDXL, SD 2.x-wide factors, LoHa and shape mismatches, naming the file and key', async () => {
    const model = await tiny();
    const names = loraTargetNames(model);
    const one = f32([1, 1], Float32Array.of(1));
    expect(() => parseLora(writeSafetensors({ 'lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight': one }), 'xl.safetensors', names)).toThrow(/xl\.safetensors.*SDXL/);
    expect(() => parseLora(writeSafetensors({ 'lora_unet_x.hada_w1_a': one }), 'loha.safetensors', names)).toThrow(/LoHa/);
    expect(() => parseLora(writeSafetensors({ 'foo.weight': one }), 'none.safetensors', names)).toThrow(ModelAssetError);
    const out = shapeOf(model, 'unet', K2)[0] as number;
    const wide = writeSafetensors({
      'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight': f32([1, 1024], new Float32Array(1024)),
      'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight': f32([out, 1], new Float32Array(out)),
    });
    const file = parseLora(wide, 'sd2.safetensors', names);
    expect(() => applyLoras(model, [{ file, strength: 1 }])).toThrow(/sd2\.safetensors.*attn2_to_k.*SD 2\.x/);
  });
});
