// Concept pack round trips: folder save → load (bit-equal), ecosystem export → import (bit-equal, kohya key
// names, one [1, hidden] embedding per token with modelspec), apply on the tiny model (W = W0 + Δ, rows appended).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/random';
import { readSafetensors } from '../../../src/diffusion/index';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { applyPack, TOKEN_TABLE } from '../../../src/train/pack/apply';
import { exportEcosystem, exportPrompts, importEcosystem } from '../../../src/train/pack/ecosystem';
import { baseModelHash } from '../../../src/train/pack/hash';
import { loadPack, savePack } from '../../../src/train/pack/io';
import { kohyaDiffKey, stateDictNameOfKohya, tokenStem } from '../../../src/train/pack/kohya';
import { MemoryFileSink } from '../../../src/train/pack/types';
import type { ConceptPack } from '../../../src/train/pack/types';

const K = 'down_blocks.2.attentions.0.transformer_blocks.0.attn2.to_k.weight';
const V = 'up_blocks.1.attentions.2.transformer_blocks.0.attn2.to_v.weight';
const M = 'mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight';

function pack(hidden = 8): ConceptPack {
  const rng = new Rng(4);
  return {
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'tiny', hash: 'ab'.repeat(32) }, createdAt: '2026-11-27T00:00:00Z', settings: { steps: 3, seed: 1, learningRate: 8e-5 } },
    concepts: [{ token: '<cat1>', classWord: 'cat', embedding: rng.normalArray(hidden) }, { token: '<dog1>', classWord: 'dog', embedding: rng.normalArray(hidden) }],
    deltas: [K, M, V].sort().map((name) => ({ name, shape: [4, 3], delta: rng.normalArray(12, 0.01) })),
  };
}

function expectSamePack(a: ConceptPack, b: ConceptPack): void {
  expect(b.metadata).toEqual(a.metadata);
  expect(b.concepts.map((c) => [c.token, c.classWord, Array.from(c.embedding)])).toEqual(a.concepts.map((c) => [c.token, c.classWord, Array.from(c.embedding)]));
  expect(b.deltas.map((d) => [d.name, d.shape, Array.from(d.delta)])).toEqual(a.deltas.map((d) => [d.name, d.shape, Array.from(d.delta)]));
}

describe('kohya key names', () => {
  it('maps diffusers attn2 weights to lora_unet_…​.diff and back', () => {
    expect(kohyaDiffKey(K)).toBe('lora_unet_down_blocks_2_attentions_0_transformer_blocks_0_attn2_to_k.diff');
    expect(kohyaDiffKey(M)).toBe('lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k.diff');
    for (const n of [K, V, M]) expect(stateDictNameOfKohya(kohyaDiffKey(n))).toBe(n);
    expect(stateDictNameOfKohya('lora_te_text_model_encoder_layers_0_mlp_fc1.diff')).toBeUndefined();
    expect(tokenStem('<cat1>')).toBe('cat1');
  });
});

describe('a concept pack round trip', () => {
  it('loads back exactly what savePack wrote', async () => {
    const p = pack();
    const sink = new MemoryFileSink();
    await savePack(p, sink);
    expect([...sink.files.keys()].sort()).toEqual(['pack.json', 'weights.safetensors']);
    expectSamePack(p, await loadPack(new MemoryFileSource(sink.files)));
  });

  it('exports cat1/dog1 embeddings and kohya .diff deltas that import back to the same pack', () => {
    const p = pack();
    const files = exportEcosystem(p, { title: 'studio_catdog', resolution: '64x64' });
    expect([...files.keys()].sort()).toEqual(['cat1.safetensors', 'dog1.safetensors', 'studio_catdog.safetensors', 'studio_catdog_usage.txt']);
    const emb = readSafetensors(files.get('cat1.safetensors') as Uint8Array);
    expect(Object.keys(emb.tensors)).toEqual(['<cat1>']);
    expect(emb.tensors['<cat1>']?.shape).toEqual([1, 8]);
    expect(emb.metadata['modelspec.architecture']).toMatch(/^disenstudio-custom-.*\/textual-inversion$/);
    expect(emb.metadata['disenstudio.compatibility']).toMatch(/^not for SD 1\.x tools: trained on /);
    expect(emb.metadata['modelspec.trigger_phrase']).toBe('<cat1> cat');
    const kv = readSafetensors(files.get('studio_catdog.safetensors') as Uint8Array);
    expect(Object.keys(kv.tensors).sort()).toEqual([K, M, V].map(kohyaDiffKey).sort());
    expect(kv.metadata['modelspec.architecture']).toMatch(/^disenstudio-custom-.*\/lora$/);
    expect(kv.metadata).toMatchObject({ ss_network_module: 'lycoris.kohya', ss_network_args: '{"algo":"full"}', ss_base_model_version: 'unknown' });
    expectSamePack(p, importEcosystem(files));
  });

  it('prints per tool the prompt that addresses the exported files', () => {
    expect(exportPrompts(pack(), 'studio_catdog')).toEqual({
      a1111: 'a photo of cat1 cat and dog1 dog <lora:studio_catdog:1>',
      comfyui: 'a photo of embedding:cat1 cat and embedding:dog1 dog',
      diffusers: 'a photo of <cat1> cat and <dog1> dog',
    });
  });

  it('claims SD 1.x only for SD 1.x-shaped packs (768-wide rows and K/V inputs)', () => {
    const p = pack();
    const sd1 = { ...p, concepts: p.concepts.map((c) => ({ ...c, embedding: new Float32Array(768) })), deltas: [{ name: K, shape: [320, 768], delta: new Float32Array(320 * 768) }] };
    const files = exportEcosystem(sd1, { title: 'sd1', resolution: '512x512' });
    const kv = readSafetensors(files.get('sd1.safetensors') as Uint8Array).metadata;
    expect(kv).toMatchObject({ 'modelspec.architecture': 'stable-diffusion-v1/lora', ss_base_model_version: 'sd_v1', ss_network_module: 'lycoris.kohya' });
    expect(kv['disenstudio.compatibility']).toBeUndefined();
    expect(readSafetensors(files.get('cat1.safetensors') as Uint8Array).metadata['modelspec.architecture']).toBe('stable-diffusion-v1/textual-inversion');
  });

  it('refuses an import without the K/V file, naming the files it saw', () => {
    const files = exportEcosystem(pack(), { title: 'x', resolution: '64x64' });
    files.delete('x.safetensors');
    expect(() => importEcosystem(files)).toThrow(/none of cat1\.safetensors, dog1\.safetensors, x_usage\.txt is a DisenStudio K\/V file/);
  });
});

describe('applying a pack to the tiny model', () => {
  it('adds Δ to the K/V weights, appends the rows to the token table and registers the tokens', async () => {
    const src = new MemoryFileSource(writeDiffusersFolder({ seed: 2 }), 'tiny');
    const model = await loadDiffusersFolder(src);
    const hash = await baseModelHash(src);
    const kName = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';
    const hidden = model.textEncoder.config.hidden_size;
    const vocab = model.textEncoder.config.vocab_size;
    const cross = model.unet.config.cross_attention_dim;
    const inner = model.unet.config.block_out_channels[0] as number;
    const base = model.unet.weights.get(kName, [inner, cross]) as Float32Array;
    const p = pack(hidden);
    p.metadata.baseModel.hash = hash;
    p.deltas = [{ name: kName, shape: [inner, cross], delta: new Float32Array(base.length).fill(0.5) }];
    const applied = applyPack(model, p, hash);
    const w = applied.unet.weights.get(kName, [inner, cross]) as Float32Array;
    expect(Array.from(w)).toEqual(Array.from(base, (v) => Math.fround(v + 0.5)));
    expect(applied.textEncoder.config.vocab_size).toBe(vocab + 2);
    const table = applied.textEncoder.weights.get(TOKEN_TABLE, [vocab + 2, hidden]) as Float32Array;
    expect(Array.from(table.subarray(vocab * hidden))).toEqual([...p.concepts[0]!.embedding, ...p.concepts[1]!.embedding]);
    expect(applied.tokenizer.tokenToId('<dog1>')).toBe(vocab + 1);
    expect(() => applyPack(model, p, 'cd'.repeat(32))).toThrow(/trained on "tiny"/);
  });
});
