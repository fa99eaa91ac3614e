import { describe, expect, it } from 'vitest';
import { loadDiffusersFolder } from '../../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import { applyEmbeddings, expandEmbeddingTokens, parseEmbedding } from '../../../src/diffusion/lora/embeddings';
import { applyPack } from '../../../src/train/pack/apply';
import type { ConceptPack } from '../../../src/train/pack/types';

const TABLE = 'text_model.embeddings.token_embedding.weight';
const tiny = async () => loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 4 }), 'tiny'));

describe('textual-inversion embeddings', () => {
  it('kohya emb_params (2 vectors, trigger = file stem) and a diffusers key, after a concept pack: tokens, ids and table rows', async () => {
    const model = await tiny();
    const hidden = model.textEncoder.config.hidden_size;
    const vocab = model.textEncoder.config.vocab_size;
    const ink = Float32Array.from({ length: 2 * hidden }, (_, i) => i / 10);
    const toy = Float32Array.from({ length: hidden }, (_, i) => -i);
    const a = parseEmbedding(writeSafetensors({ emb_params: { dtype: 'F32', shape: [2, hidden], data: ink } }), 'inkstyle.safetensors', 'inkstyle', hidden);
    const b = parseEmbedding(writeSafetensors({ '<toy>': { dtype: 'F32', shape: [1, hidden], data: toy } }), 'learned_embeds.safetensors', 'learned_embeds', hidden);
    expect([a.name, a.vectors, b.name, b.vectors]).toEqual(['inkstyle', 2, '<toy>', 1]);
    const packRow = new Float32Array(hidden).fill(7);
    const pack = { metadata: {} as ConceptPack['metadata'], concepts: [{ token: '<cat1>', classWord: 'cat', embedding: packRow }], deltas: [] } as ConceptPack;
    const m = applyEmbeddings(applyPack(model, pack), [a, b]);
    expect(m.textEncoder.config.vocab_size).toBe(vocab + 4);
    const prompt = expandEmbeddingTokens('<cat1> in inkstyle with <toy>', [a, b]);
    expect(prompt).toBe('<cat1> in inkstyle inkstyle_1 with <toy>');
    expect(['<cat1>', 'inkstyle', 'inkstyle_1', '<toy>'].map((t) => m.tokenizer.tokenToId(t))).toEqual([vocab, vocab + 1, vocab + 2, vocab + 3]);
    const table = m.textEncoder.weights.get(TABLE, [vocab + 4, hidden]) as Float32Array;
    const base = model.textEncoder.weights.get(TABLE, [vocab, hidden]) as Float32Array;
    expect(table.subarray(0, vocab * hidden)).toEqual(base);
    expect(table.subarray(vocab * hidden, (vocab + 1) * hidden)).toEqual(packRow);
    expect(table.subarray((vocab + 1) * hidden, (vocab + 3) * hidden)).toEqual(ink);
    expect(table.subarray((vocab + 3) * hidden)).toEqual(toy);
  });
  it('refuses SD 2.x-wide rows, SDXL clip_l/clip_g, pickles and a clashing name, naming the file', async () => {
    const model = await tiny();
    const hidden = model.textEncoder.config.hidden_size;
    const row = (w: number) => ({ dtype: 'F32' as const, shape: [1, w], data: new Float32Array(w) });
    expect(() => parseEmbedding(writeSafetensors({ emb_params: row(1024) }), 'sd2.safetensors', 'sd2', hidden)).toThrow(/sd2\.safetensors.*SD 2\.x/);
    expect(() => parseEmbedding(writeSafetensors({ clip_l: row(768), clip_g: row(1280) }), 'xl.safetensors', 'xl', hidden)).toThrow(/xl\.safetensors.*SDXL/);
    expect(() => parseEmbedding(new Uint8Array(8), 'old.pt', 'old', hidden)).toThrow(/old\.pt.*pickled/);
    const e = parseEmbedding(writeSafetensors({ emb_params: row(hidden) }), 'dup.safetensors', 'dup', hidden);
    expect(() => applyEmbeddings(model, [e, e])).toThrow(/"dup".*dup\.safetensors/);
  });
});
