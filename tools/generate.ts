// `npm run generate -- --model <folder> --prompt "..." --seed 1 --steps 20 --out out.png [--attention-out dir/]`
// `npm run generate -- --init in.png --strength 0.6 …` (image-to-image); `npm run inpaint -- --image in.png --mask
// mask.png …` (= generate --inpaint: blended-latent inpainting, docs/inpainting.md).
// Text-to-image from a diffusers SD 1.x folder (or a single-file .safetensors checkpoint, tokenized by the shipped CLIP vocabulary unless --tokenizer <folder>) in
// onnxruntime-node. Writes the PNG with A1111 `parameters`, and one heatmap PNG per prompt token when asked.
// `--make-tiny <dir>` writes the random-weight tiny folder and exits. Errors print one line and exit 1.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSingleFileCheckpoint } from '../src/diffusion/loaders/checkpoint';
import { readTokenizer } from '../src/diffusion/loaders/diffusersFolder';
import { loadAnyModel } from '../src/diffusion/loaders/detect';
import type { LoadedModel } from '../src/diffusion/loaders/diffusersFolder';
import { createNodeFileSource, createNodeSingleFileSource, readBundledClipVocabulary, writeFilesToFolder } from '../src/diffusion/loaders/node';
import { writeDiffusersFolder } from '../src/diffusion/loaders/writeDiffusersFolder';
import { imagePng, tokenHeatmapPngs } from '../src/diffusion/pipeline/output';
import { Txt2ImgPipeline } from '../src/diffusion/pipeline/txt2img';
import { createScheduler, samplerNames } from '../src/diffusion/schedulers/registry';
import { createNodeRunner, createWasmRunnerInNode } from '../src/runtime/node';
import type { Runner } from '../src/runtime/types';
import { readInitImage } from './lib/initImage';
import { withPackFolder } from './lib/packFolder';
import { withEmbeddingFiles, withLoraFiles } from './lib/loraFiles';

const USAGE = `usage: npm run generate -- --model <diffusers folder | model.safetensors> --prompt "a photo of a cat" [--negative "..."]
  [--seed 1] [--steps 20] [--cfg 7.5] [--sampler NAME] [--width W] [--height H] [--batch 1]
  [--out out.png] [--attention-out dir/ [--attention-res 16,32]] [--tokenizer <folder with tokenizer/>] [--ep cpu|wasm|webgpu] [--threads N] [--pack <concept pack folder>]
  image-to-image: [--init in.png] [--strength 0.75]
  inpainting (npm run inpaint): --image in.png --mask mask.png [--strength 0.75] [--mask-blur 4] [--invert]
    [--only-masked [--padding 32]] (A1111 "Inpaint area: Only masked": the mask's box ± padding is inpainted at --width × --height, default the image's size, and pasted back)
  [--lora file.safetensors[:strength] ...] (a "<lora:name:w>" in the prompt picks a given file by its stem and sets its strength)
  [--embedding file.safetensors ...] (textual inversion; the trigger is the file stem, or the token a diffusers file holds)
  or: npm run generate -- --make-tiny <dir>
  --sampler: ${samplerNames().map((n) => `"${n}"`).join(', ')} (default "Euler a")`;

const OPTIONS = {
  model: { type: 'string' }, prompt: { type: 'string' }, negative: { type: 'string', default: '' }, seed: { type: 'string', default: '1' },
  steps: { type: 'string', default: '20' }, cfg: { type: 'string', default: '7.5' }, sampler: { type: 'string', default: 'Euler a' },
  width: { type: 'string' }, height: { type: 'string' }, batch: { type: 'string', default: '1' }, out: { type: 'string', default: 'out.png' },
  'attention-out': { type: 'string' }, 'attention-res': { type: 'string' }, tokenizer: { type: 'string' }, ep: { type: 'string', default: 'cpu' }, threads: { type: 'string', default: '0' },
  'make-tiny': { type: 'string' }, help: { type: 'boolean', default: false }, pack: { type: 'string' },
  init: { type: 'string' }, image: { type: 'string' }, mask: { type: 'string' }, strength: { type: 'string' }, 'mask-blur': { type: 'string' }, invert: { type: 'boolean', default: false }, inpaint: { type: 'boolean', default: false },
  'only-masked': { type: 'boolean', default: false }, padding: { type: 'string' },
  lora: { type: 'string', multiple: true }, embedding: { type: 'string', multiple: true },
} as const;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got "${v}"`);
  return n;
}

/** --attention-out alone: every attn2 layer; with --attention-res: only layers at those latent heights. */
function attentionOption(out: string | undefined, res: string | undefined): boolean | number[] {
  if (out === undefined) return false;
  return res === undefined ? true : res.split(',').map((r) => int('attention-res', r.trim()) as number);
}

async function loadModel(path: string, tokenizerDir: string | undefined): Promise<LoadedModel> {
  if (extname(path) !== '.safetensors') return loadAnyModel(createNodeFileSource(path), { clipVocabulary: readBundledClipVocabulary });
  if (!tokenizerDir) return loadAnyModel(createNodeSingleFileSource(path), { clipVocabulary: readBundledClipVocabulary });
  const tokSource = createNodeFileSource(tokenizerDir);
  const tokenizer = await readTokenizer(tokSource, new Set(await tokSource.list()));
  const bytes = await createNodeFileSource(dirname(path)).read(basename(path));
  return loadSingleFileCheckpoint(bytes, tokenizer, path);
}

async function runner(ep: string, threads: number): Promise<Runner> {
  if (ep === 'cpu' || ep === 'webgpu') return createNodeRunner({ ep, threads });
  if (ep === 'wasm') return createWasmRunnerInNode();
  throw new Error(`--ep "${ep}" is unknown; use cpu, wasm or webgpu`);
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: OPTIONS, allowPositionals: false });
  if (a.help) return void console.log(USAGE);
  if (a['make-tiny']) {
    await writeFilesToFolder(a['make-tiny'], writeDiffusersFolder({ seed: 0 }));
    return void console.log(`wrote the tiny random-weight model to ${a['make-tiny']}`);
  }
  if (!a.model || a.prompt === undefined) throw new Error(`--model and --prompt are required\n${USAGE}`);
  createScheduler(a.sampler, 1); // an unknown --sampler is refused (naming the valid ones) before the model loads
  if (a.inpaint && (!(a.image ?? a.init) || !a.mask)) throw new Error(`inpaint needs --image and --mask\n${USAGE}`);
  const init = await readInitImage({ image: a.image ?? a.init, mask: a.mask, strength: a.strength, maskBlur: a['mask-blur'], invert: a.invert, onlyMasked: a['only-masked'], padding: a.padding });
  const packed = await withPackFolder(await loadModel(a.model, a.tokenizer), a.model, a.pack);
  const lora = await withLoraFiles(packed.model, a.prompt, a.lora ?? []);
  const { model, prompt, tiHashes } = await withEmbeddingFiles(lora.model, lora.prompt, a.embedding ?? []);
  const loraHashes = lora.loraHashes;
  const pipe = new Txt2ImgPipeline(await runner(a.ep, int('threads', a.threads) ?? 0), model);
  const request = {
    prompt: packed.expand(prompt), negativePrompt: a.negative, seed: int('seed', a.seed) as number, steps: int('steps', a.steps), guidanceScale: Number(a.cfg),
    sampler: a.sampler, width: int('width', a.width), height: int('height', a.height), batch: int('batch', a.batch), attention: attentionOption(a['attention-out'], a['attention-res']),
    ...(init ? { init } : {}),
  };
  const r = await pipe.generate(request, { onProgress: (p) => process.stderr.write(`\rstep ${p.stepIndex + 1}/${p.numSteps} (t=${p.timestep.toFixed(0)})`) });
  process.stderr.write('\n');
  // A1111 keeps the <lora:…> tags in the recorded prompt and lists each file's short hash.
  for (const p of r.parameters) Object.assign(p, { prompt: packed.expand(a.prompt) }, Object.keys(loraHashes).length ? { loraHashes } : {}, Object.keys(tiHashes).length ? { tiHashes } : {});
  for (const w of r.warnings) console.warn(`warning: ${w}`);
  const outs: string[] = [];
  for (let i = 0; i < r.parameters.length; i++) {
    const out = r.parameters.length === 1 ? a.out : a.out.replace(/(\.png)?$/i, `-${i}.png`);
    await mkdir(dirname(out) || '.', { recursive: true });
    await writeFile(out, imagePng(r, i));
    outs.push(out);
    if (r.attention && a['attention-out']) {
      const dir = r.parameters.length === 1 ? a['attention-out'] : join(a['attention-out'], String(i));
      await mkdir(dir, { recursive: true });
      for (const [name, bytes] of tokenHeatmapPngs(r.attention, i)) await writeFile(join(dir, name), bytes);
    }
  }
  await pipe.dispose();
  console.log(JSON.stringify({ images: outs, attentionOut: a['attention-out'] ?? null, seconds: r.timings, warnings: r.warnings }));
}

main().catch((e: unknown) => {
  console.error(`generate: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exit(1);
});
