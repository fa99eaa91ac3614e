// A single SD 1.5-shaped .safetensors checkpoint (LDM key names, a text encoder with CLIP's 49,408-row token
// table, tiny UNet/VAE widths so the test stays small) loads with nothing beside it: the tokenizer is built
// from the real CLIP merge list shipped in public/clip/. Known ids are openai/CLIP simple_tokenizer.py's.
import { describe, expect, it } from 'vitest';
import { loadAnyModel } from '../../../src/diffusion/loaders/detect';
import { MemoryFileSource } from '../../../src/diffusion/loaders/fileSource';
import { readBundledClipVocabulary } from '../../../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../../../src/diffusion/loaders/writeDiffusersFolder';
import { Txt2ImgPipeline } from '../../../src/diffusion/pipeline/txt2img';
import { clipTokenizerFromBpe } from '../../../src/diffusion/text/clipVocabulary';
import { writeSafetensors } from '../../../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../../../src/diffusion/weights/safetensors';
import { ModelFormatError } from '../../../src/lib/errors';
import { RandomWeights, TINY_CLIP_TEXT, TINY_UNET, TINY_VAE, buildClipText } from '../../../src/onnx/index';
import { nodeOrt } from '../../helpers/ort';
import { tinyLdmCheckpoint } from './ldmNames';

const gz = await readBundledClipVocabulary();

/** The tiny folder with its text encoder widened to CLIP's vocabulary, as one LDM-named checkpoint. */
function sd15ShapedCheckpoint(): { bytes: Uint8Array; textEncoder: typeof TINY_CLIP_TEXT } {
  const folder = writeDiffusersFolder({ seed: 3 });
  const textEncoder = { ...TINY_CLIP_TEXT, vocab_size: 49408 };
  const rand = new RandomWeights(5);
  const tensors: Record<string, SafeTensor> = {};
  for (const p of buildClipText(textEncoder, { weights: 'shapes-only', batch: 1, seqLen: 1 }).params) tensors[p.name] = { dtype: 'F32', shape: p.shape, data: rand.get(p.name, p.shape) };
  folder.set('text_encoder/model.safetensors', writeSafetensors(tensors));
  return { bytes: tinyLdmCheckpoint(folder, TINY_UNET, TINY_VAE), textEncoder };
}

describe('the shipped CLIP vocabulary', () => {
  it('is CLIP ViT-L/14\'s 49,408 tokens and encodes as openai/CLIP does', () => {
    const tok = clipTokenizerFromBpe(gz);
    expect(tok.vocabSize).toBe(49408);
    expect([tok.bosId, tok.eosId, tok.padId]).toEqual([49406, 49407, 49407]);
    expect(tok.encode('a photo of a cat').ids.slice(0, 7)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(tok.encode('photo of a cat and dog').ids.slice(0, 8)).toEqual([49406, 1125, 539, 320, 2368, 537, 1929, 49407]);
    expect(tok.decode(tok.encode('A Photo of a CAT').ids)).toBe('a photo of a cat');
  });

  it('refuses bytes that are not the gzipped merge list, naming the file', () => {
    expect(() => clipTokenizerFromBpe(new Uint8Array(40), {}, 'clip/x.gz')).toThrow(ModelFormatError);
    expect(() => clipTokenizerFromBpe(new Uint8Array(40), {}, 'clip/x.gz')).toThrow(/^clip\/x\.gz: not a gzip/);
  });
});

describe('a lone SD 1.5-shaped single-file checkpoint', () => {
  it('loads with no tokenizer files beside it and generates', async () => {
    const { bytes, textEncoder } = sd15ShapedCheckpoint();
    const src = new MemoryFileSource(new Map([['my-sd15.safetensors', bytes]]), 'picked');
    const model = await loadAnyModel(src, { checkpointConfigs: { unet: TINY_UNET, textEncoder, vae: TINY_VAE }, clipVocabulary: readBundledClipVocabulary });
    expect(model.name).toBe('my-sd15');
    expect(model.tokenizer.vocabSize).toBe(49408);
    expect(model.tokenizer.encode('a photo of a cat').ids.slice(0, 7)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    const pipe = new Txt2ImgPipeline(nodeOrt(), model);
    const out = await pipe.generate({ prompt: 'a photo of a cat', seed: 1, steps: 1, sampler: 'DDIM' });
    await pipe.dispose();
    expect(out.latents.length).toBeGreaterThan(0);
    expect([...out.latents].every(Number.isFinite)).toBe(true);
  });
});
