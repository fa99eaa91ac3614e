// The prompt's token count (workers/promptTokens.ts countPromptTokens, through engineClient's tokenizerPort) on the CLIP vocabulary that ships in
// public/clip/ and on the default model's word tokenizer: a concept token counts as one (what the tokenizer reads
// once the pack's token is added), the limit is maxLength less start and end, and the first cut token is the one
// diffusion/text/encoding.ts frame drops first.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readBundledClipVocabulary } from '../../src/diffusion/loaders/node';
import { clipTokenizerFromBpe } from '../../src/diffusion/text/clipVocabulary';
import { WordTokenizer } from '../../src/diffusion/text/WordTokenizer';
import { tokenizerPort } from '../../src/workers/tokenizerPort';
import { countPromptTokens } from '../../src/workers/promptTokens';
import { embeddingTokens, expandEmbeddingTokens } from '../../src/diffusion/lora/embeddings';
import type { Embedding } from '../../src/diffusion/lora/embeddings';

const clip = clipTokenizerFromBpe(await readBundledClipVocabulary());

describe('countPromptTokens', () => {
  it('counts CLIP BPE pieces with 75 content tokens as the limit', () => {
    expect(countPromptTokens(clip, 'a photo of a cat')).toEqual({ count: 5, limit: 75 });
    expect(countPromptTokens(clip, 'a photo of a cat').count).toBe(clip.encode('a photo of a cat').length - 2);
  });

  it('counts a concept token as one, as the tokenizer reads it once its pack added the token', async () => {
    const prompt = 'a photo of <cat1> cat and <dog_2> dog on a beach';
    const before = countPromptTokens(clip, prompt);
    const withTokens = clipTokenizerFromBpe(await readBundledClipVocabulary());
    withTokens.addTokens(['<cat1>', '<dog_2>']);
    expect(before.count).toBe(withTokens.tokenize(prompt).length);
    expect(before.count).toBe(11);
    expect(clip.tokenize(prompt).length).toBeGreaterThan(before.count);
  });

  it('leaves <lora:…> tags out: they are not sent to the text encoder', () => {
    expect(countPromptTokens(clip, 'a photo of a cat <lora:ink:0.8>, <lora:paper>')).toEqual(countPromptTokens(clip, 'a photo of a cat,'));
    expect(countPromptTokens(clip, 'a cat <lora:ink:x>').count).toBeGreaterThan(2);
  });

  it('counts an enabled embedding\'s trigger as its vectors, as the tokenizer reads the expanded prompt at generation', async () => {
    const emb = (name: string, vectors: number): Embedding => ({ name, vectors, rows: new Float32Array(vectors * 4), label: name });
    const embeddings = [emb('easynegative', 3), emb('<glow>', 2)];
    const prompt = 'a photo of <cat1> cat, easynegative, <glow> light';
    const counted = countPromptTokens(clip, prompt, embeddings.map((e) => ({ trigger: e.name, vectors: e.vectors })));
    const added = clipTokenizerFromBpe(await readBundledClipVocabulary());
    added.addTokens(['<cat1>', ...embeddings.flatMap(embeddingTokens)]);
    expect(counted.count).toBe(added.tokenize(expandEmbeddingTokens(prompt, embeddings)).length);
    // without the list the trigger is split as text, and "<glow>" reads as one concept-like token
    const plain = countPromptTokens(clip, prompt);
    expect(plain.count).not.toBe(counted.count);
    expect(countPromptTokens(clip, 'easynegative', [{ trigger: 'easynegative', vectors: 3 }]).count).toBe(3);
    expect(countPromptTokens(clip, '<glow>', [{ trigger: '<glow>', vectors: 2 }]).count).toBe(2);
  });

  it('says where a long prompt is cut: the token encode() drops first', () => {
    const words = Array.from({ length: 100 }, (_, i) => ['red', 'fox', 'jumps', 'over', 'lazy', 'dogs', 'under', 'moon'][i % 8]);
    words[75] = 'zebra';
    const prompt = words.join(' ');
    const c = countPromptTokens(clip, prompt);
    expect(c).toEqual({ count: 100, limit: 75, firstDropped: 'zebra' });
    const enc = clip.encode(prompt);
    expect(enc.isTruncated).toBe(true);
    expect(enc.warnings[0]).toContain('Dropped: "zebra</w>');
    expect(countPromptTokens(clip, words.slice(0, 75).join(' '))).toEqual({ count: 75, limit: 75 });
  });

  it('reads the default model\'s limit from its tokenizer (32 positions: 30 words)', () => {
    const vocab = JSON.parse(readFileSync('public/models/default/tokenizer/vocab.json', 'utf8')) as string[];
    const config = JSON.parse(readFileSync('public/models/default/tokenizer/tokenizer_config.json', 'utf8')) as { model_max_length: number };
    const tok = new WordTokenizer(vocab, { maxLength: config.model_max_length });
    const port = tokenizerPort(tok);
    expect(port.countPromptTokens!('a large <c1> circle and a small red square')).toEqual({ count: 9, limit: 30 });
    const long = Array.from({ length: 16 }, () => 'a red circle').join(' and ');
    expect(port.countPromptTokens!(long)).toEqual({ count: 63, limit: 30, firstDropped: 'circle' });
  });

  it('lists the words a closed vocabulary lacks (read as <unk>), once each; CLIP\'s BPE lacks none', () => {
    const vocab = JSON.parse(readFileSync('public/models/default/tokenizer/vocab.json', 'utf8')) as string[];
    const tok = new WordTokenizer(vocab, { maxLength: 32 });
    const c = countPromptTokens(tok, 'a large <c1> cat and a red cup, a cat');
    expect(c.unknown).toEqual(['cat', 'cup']);
    // the same words the encoder warns about
    expect(tok.encode('a large cat and a red cup, a cat').warnings[0]).toContain('"cat", "cup"');
    expect(countPromptTokens(tok, 'a large red circle').unknown).toBeUndefined();
    expect(countPromptTokens(clip, 'a photo of a zxqv cat').unknown).toBeUndefined();
  });
});
