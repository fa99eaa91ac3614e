import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDiffusersFolder } from '../../src/diffusion/loaders/diffusersFolder';
import { MemoryFileSource } from '../../src/diffusion/loaders/fileSource';
import { writeDiffusersFolder } from '../../src/diffusion/loaders/writeDiffusersFolder';
import { infotextOf } from '../../src/diffusion/pipeline/output';
import { parseInfotext } from '../../src/diffusion/image/infotext';
import { writeSafetensors } from '../../src/diffusion/weights/safetensors';
import { parseLoraArg, withEmbeddingFiles, withLoraFiles } from '../../tools/lib/loraFiles';

const K = 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight';

describe('generate CLI --lora', () => {
  it('resolves <lora:name:w> against the files, merges at the tag strength, and records A1111 Lora hashes', async () => {
    const model = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 2 }), 'tiny'));
    const shape = [...(model.unet.weights.shapes().get(K) as readonly number[])];
    const n = shape.reduce((a, d) => a * d, 1);
    const diff = Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const bytes = writeSafetensors({ 'lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.diff': { dtype: 'F32', shape, data: diff } });
    const dir = await mkdtemp(join(tmpdir(), 'lora-'));
    const path = join(dir, 'ink.safetensors');
    await writeFile(path, bytes);
    const r = await withLoraFiles(model, 'a cat <lora:ink:0.25>', [`${path}:0.9`]);
    expect(r.prompt).toBe('a cat');
    const base = model.unet.weights.get(K, shape) as Float32Array;
    const got = r.model.unet.weights.get(K, shape) as Float32Array;
    expect(got.every((v, i) => Math.abs(v - ((base[i] as number) + 0.25 * (diff[i] as number))) < 1e-6)).toBe(true);
    const headerLen = Number(Buffer.from(bytes).readBigUInt64LE(0));
    const want = createHash('sha256').update(bytes.subarray(8 + headerLen)).digest('hex').slice(0, 12);
    expect(r.loraHashes).toEqual({ ink: want });
    const text = infotextOf({ prompt: 'a cat <lora:ink:0.25>', negativePrompt: '', steps: 2, sampler: 'Euler a', cfgScale: 7, seed: 1, width: 64, height: 64, model: 'tiny', loraHashes: r.loraHashes });
    expect(text).toContain(`Lora hashes: "ink: ${want}"`);
    expect(parseInfotext(text).params['Lora hashes']).toBe(`ink: ${want}`);
    await expect(withLoraFiles(model, 'a <lora:other:1>', [path])).rejects.toThrow(/<lora:other.*names no --lora file.*ink/);
  });
  it('--embedding: the trigger is the file stem, the prompt is expanded, TI hashes are the whole file SHA-256', async () => {
    const model = await loadDiffusersFolder(new MemoryFileSource(writeDiffusersFolder({ seed: 2 }), 'tiny'));
    const hidden = model.textEncoder.config.hidden_size;
    const bytes = writeSafetensors({ emb_params: { dtype: 'F32', shape: [2, hidden], data: new Float32Array(2 * hidden).fill(0.5) } });
    const dir = await mkdtemp(join(tmpdir(), 'ti-'));
    const path = join(dir, 'glow.safetensors');
    await writeFile(path, bytes);
    const r = await withEmbeddingFiles(model, 'a glow cat', [path]);
    expect(r.prompt).toBe('a glow glow_1 cat');
    expect(r.tiHashes).toEqual({ glow: createHash('sha256').update(bytes).digest('hex').slice(0, 12) });
    expect(r.model.tokenizer.tokenToId('glow_1')).toBe(model.textEncoder.config.vocab_size + 1);
  });
  it('parses file:strength, defaulting to 1', () => {
    expect(parseLoraArg('a/b.safetensors:0.8')).toEqual({ path: 'a/b.safetensors', strength: 0.8 });
    expect(parseLoraArg('C:/x.safetensors')).toEqual({ path: 'C:/x.safetensors', strength: 1 });
    expect(() => parseLoraArg('x.ckpt')).toThrow(/--lora "x.ckpt"/);
  });
});
