// The generation worker's LoRA / embedding files (src/workers/networkSet.ts) on the tiny random-weight model in
// onnxruntime-node: a LoRA built here changes the image, strength 0 (set in the list or by a <lora:name:0> tag) gives
// the image without it bit for bit, plan keys stay equal for the same set (no rebuild) and change with it, the
// recorded prompt and hashes, embeddings by trigger, and refused files that leave the set as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import type { LoadedModel } from '../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../src/diffusion/pipeline/txt2img';
import { writeSafetensors } from '../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../src/diffusion/weights/safetensors';
import { Rng } from '../../src/lib/random';
import type { NetworkChoice } from '../../src/state/ports';
import { NetworkSet } from '../../src/workers/networkSet';
import { nodeOrt } from '../helpers/ort';

const folder = writeDiffusersFolder({ seed: 6 });
/** a fresh model each time (applyEmbeddings adds tokens to the model's tokenizer, as the worker's rebuild expects) */
const fresh = (): Promise<LoadedModel> => loadDiffusersFolder(new MemoryFileSource(folder, 'tiny'));
const K = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';
const V = 'up_blocks.1.attentions.0.transformer_blocks.0.attn2.to_v.weight';
const REQUEST = { seed: 3, steps: 2, sampler: 'DDIM', guidanceScale: 7.5 };

/** A rank-2 kohya LoRA on two cross-attention projections, factors of size 0.5. */
function inkLora(model: LoadedModel, extra: Record<string, SafeTensor> = {}): Uint8Array {
  const rng = new Rng(9);
  const tensors: Record<string, SafeTensor> = { ...extra };
  for (const name of [K, V]) {
    const [out, inner] = model.unet.weights.shapes().get(name) as [number, number];
    const stem = `lora_unet_${name.slice(0, -'.weight'.length).replace(/\./g, '_')}`;
    tensors[`${stem}.lora_up.weight`] = { dtype: 'F32', shape: [out, 2], data: Float32Array.from({ length: out * 2 }, () => rng.normal() * 0.5) };
    tensors[`${stem}.lora_down.weight`] = { dtype: 'F32', shape: [2, inner], data: Float32Array.from({ length: 2 * inner }, () => rng.normal() * 0.5) };
  }
  return writeSafetensors(tensors);
}

const choice = (id: string, kind: 'lora' | 'embedding', strength = 1, isEnabled = true): NetworkChoice => ({ id, name: id, kind, strength, isEnabled });

async function latents(model: LoadedModel, prompt: string): Promise<Float32Array> {
  const pipe = new Txt2ImgPipeline(nodeOrt(), model);
  try {
    return (await pipe.generate({ ...REQUEST, prompt })).latents;
  } finally {
    await pipe.dispose();
  }
}

let base: LoadedModel;
let plain: Float32Array;
beforeAll(async () => {
  base = await fresh();
  plain = await latents(base, 'a photo of a cat');
});

describe('LoRA files in the generation worker', () => {
  it('a LoRA changes the image; strength 0 in the list or by tag equals no LoRA; keys follow the set', async () => {
    const set = new NetworkSet();
    const info = await set.add('dir/ink.safetensors', inkLora(base, { 'lora_unet_no_such_module.alpha': { dtype: 'F32', shape: [], data: Float32Array.of(1) } }), base);
    expect(info).toMatchObject({ id: 'ink', name: 'ink', kind: 'lora', modules: 2, unknownKeys: 1, firstUnknownKey: 'lora_unet_no_such_module.alpha' });
    expect(info.hash).toMatch(/^[0-9a-f]{12}$/);

    const on = set.plan('a photo of a cat', [choice('ink', 'lora', 1)]);
    expect(on.prompt).toBe('a photo of a cat');
    expect(on.recordedPrompt).toBe('a photo of a cat <lora:ink:1>');
    expect(on.loraHashes).toEqual({ ink: info.hash });
    const withLora = await latents(on.apply(await fresh()), on.prompt);
    const change = withLora.reduce((m, v, i) => Math.max(m, Math.abs(v - (plain[i] as number))), 0);
    expect(change).toBeGreaterThan(1e-3);

    const zero = set.plan('a photo of a cat', [choice('ink', 'lora', 0)]);
    expect(await latents(zero.apply(await fresh()), zero.prompt)).toEqual(plain);
    // a tag overrides the list's strength (and enables a file switched off), and is kept in the recorded prompt
    const tagged = set.plan('a photo of a cat <lora:ink:0>', [choice('ink', 'lora', 1, false)]);
    expect([tagged.prompt, tagged.recordedPrompt]).toEqual(['a photo of a cat', 'a photo of a cat <lora:ink:0>']);
    expect(tagged.key).toBe(zero.key);
    expect(await latents(tagged.apply(await fresh()), tagged.prompt)).toEqual(plain);

    // the same set gives the same key (the worker keeps its pipeline); another strength or switching off changes it
    expect(set.plan('another prompt', [choice('ink', 'lora', 1)]).key).toBe(on.key);
    expect(set.plan('a photo of a cat', [choice('ink', 'lora', 0.5)]).key).not.toBe(on.key);
    expect(set.plan('a photo of a cat', [choice('ink', 'lora', 1, false)]).key).toBe('');
    expect(() => set.plan('a cat <lora:other:1>', [choice('ink', 'lora')])).toThrow(/<lora:other.*names no LoRA in the list.*ink/);
  });

  it('refuses SDXL, LoHa, a wrong width and pickles by file name, keeping the files it has', async () => {
    const set = new NetworkSet();
    await set.add('ink.safetensors', inkLora(base), base);
    const t = (shape: number[]): SafeTensor => ({ dtype: 'F32', shape, data: new Float32Array(shape.reduce((a, d) => a * d, 1)) });
    await expect(set.add('xl.safetensors', writeSafetensors({ 'lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight': t([1, 4]) }), base)).rejects.toThrow(/xl\.safetensors.*SDXL/);
    await expect(set.add('loha.safetensors', writeSafetensors({ 'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.hada_w1_a': t([2, 2]) }), base)).rejects.toThrow(/loha\.safetensors.*LoHa/);
    const stem = `lora_unet_${K.slice(0, -'.weight'.length).replace(/\./g, '_')}`;
    const [out] = base.unet.weights.shapes().get(K) as [number, number];
    await expect(set.add('wide.safetensors', writeSafetensors({ [`${stem}.lora_up.weight`]: t([out, 2]), [`${stem}.lora_down.weight`]: t([2, 1024]) }), base)).rejects.toThrow(/wide\.safetensors.*1024 wide: an SD 2\.x file/);
    await expect(set.add('old.pt', new Uint8Array(16), base)).rejects.toThrow(/old\.pt: pickled/);
    await expect(set.add('junk.safetensors', new Uint8Array(16), base)).rejects.toThrow(/junk\.safetensors: not a safetensors file/);
    expect(set.plan('a cat', [choice('ink', 'lora')]).loraHashes).toHaveProperty('ink');
  });

  it('an embedding: trigger by file stem, applied when enabled, hashed only when the prompt uses it, clashes refused', async () => {
    const set = new NetworkSet();
    const hidden = base.textEncoder.config.hidden_size;
    const rng = new Rng(4);
    const rows = Float32Array.from({ length: 2 * hidden }, () => rng.normal());
    const info = await set.add('glow.safetensors', writeSafetensors({ emb_params: { dtype: 'F32', shape: [2, hidden], data: rows } }), base);
    expect(info).toMatchObject({ id: 'glow', kind: 'embedding', trigger: 'glow', vectors: 2 });
    const used = set.plan('a photo of a glow cat', [choice('glow', 'embedding')]);
    expect(used.prompt).toBe('a photo of a glow glow_1 cat');
    expect(used.tiHashes).toEqual({ glow: info.hash });
    const unused = set.plan('a photo of a cat', [choice('glow', 'embedding')]);
    expect(unused.tiHashes).toEqual({});
    expect(unused.key).toBe(used.key);
    expect(set.plan('a photo of a glow cat', [choice('glow', 'embedding', 1, false)]).key).toBe('');
    const withGlow = await latents(used.apply(await fresh()), used.prompt);
    expect(withGlow).not.toEqual(await latents(await fresh(), 'a photo of a glow cat'));
    // the same trigger in another file is refused by name, and the first one stays
    await expect(set.add('glow2.safetensors', writeSafetensors({ glow: { dtype: 'F32', shape: [1, hidden], data: rows.subarray(0, hidden) } }), base)).rejects.toThrow(/glow2\.safetensors: its trigger "glow"/);
    expect(set.plan('a glow cat', [choice('glow', 'embedding')]).tiHashes).toHaveProperty('glow');
  });
});
