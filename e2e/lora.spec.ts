// LoRA and embedding files in the studio on the default model (wasm): a LoRA and an embedding built here plus an
// SDXL file are added through the file picker; the SDXL file is refused by name and the other two are listed (kind,
// modules matched, trigger); generation with the LoRA (and the embedding's trigger in the prompt) differs from generation at strength 0, which equals generation
// with it switched off; the PNG's infotext records the <lora:…> tag, `Lora hashes` and `TI hashes`; the list survives a reload.
// UPDATE_SCREENSHOTS=1 copies the list's screenshot to docs/screenshots/lora-panel.png.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Locator } from '@playwright/test';
import { decodePng } from '../src/diffusion/image/png';
import { readSafetensors, writeSafetensors } from '../src/diffusion/weights/safetensors';
import type { SafeTensor } from '../src/diffusion/weights/safetensors';
import { Rng } from '../src/lib/random';

const SHOTS = 'test-results/screenshots';
const UNET = 'public/models/default/unet/diffusion_pytorch_model.safetensors';
const TEXT = 'public/models/default/text_encoder/config.json';
/** cross-attention K and V of the first down block and the last up block */
const TARGETS = ['down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight', 'up_blocks.1.attentions.0.transformer_blocks.0.attn2.to_v.weight'];

/** A rank-4 kohya LoRA on the default model's cross-attention (shapes read from its own weights), factors ~N(0, 0.7²). */
function inkLora(): Buffer {
  const { tensors } = readSafetensors(new Uint8Array(readFileSync(UNET)));
  const rng = new Rng(5);
  const out: Record<string, SafeTensor> = {};
  for (const name of TARGETS) {
    const [rows, cols] = (tensors[name] as SafeTensor).shape as [number, number];
    const stem = `lora_unet_${name.slice(0, -'.weight'.length).replace(/\./g, '_')}`;
    out[`${stem}.lora_up.weight`] = { dtype: 'F32', shape: [rows, 4], data: Float32Array.from({ length: rows * 4 }, () => rng.normal() * 0.7) };
    out[`${stem}.lora_down.weight`] = { dtype: 'F32', shape: [4, cols], data: Float32Array.from({ length: 4 * cols }, () => rng.normal() * 0.7) };
    out[`${stem}.alpha`] = { dtype: 'F32', shape: [], data: Float32Array.of(4) };
  }
  return Buffer.from(writeSafetensors(out));
}

function embedding(): Buffer {
  const hidden = (JSON.parse(readFileSync(TEXT, 'utf8')) as { hidden_size: number }).hidden_size;
  return Buffer.from(writeSafetensors({ emb_params: { dtype: 'F32', shape: [2, hidden], data: Float32Array.from({ length: 2 * hidden }, (_, i) => Math.sin(i)) } }));
}

const sdxl = (): Buffer => Buffer.from(writeSafetensors({ 'lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight': { dtype: 'F32', shape: [1, 4], data: new Float32Array(4) } }));

/** Generates, waits for a new image (another data URL than `previous`: the infotext alone differs when the pixels
 *  do not) and returns its PNG bytes. */
async function generate(gen: Locator, previous: string | null): Promise<Buffer> {
  await gen.getByRole('button', { name: 'Generate' }).click();
  const img = gen.getByRole('img', { name: /Generated image 1/ });
  await expect(img).toBeVisible({ timeout: 180_000 });
  if (previous) await expect(img).not.toHaveAttribute('src', previous, { timeout: 180_000 });
  const src = (await img.getAttribute('src'))!;
  return Buffer.from(src.split(',')[1]!, 'base64');
}

test('add a LoRA and an embedding, refuse an SDXL file, generate with the LoRA, keep the list after a reload (wasm)', async ({ page }) => {
  test.setTimeout(600_000);
  mkdirSync(SHOTS, { recursive: true });
  await page.goto('/?ep=wasm');
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  const gen = page.locator('section[aria-labelledby="gen-title"]');
  const list = gen.getByRole('group', { name: 'LoRAs and embeddings' });
  await gen.getByTestId('network-input').setInputFiles([
    { name: 'ink.safetensors', mimeType: 'application/octet-stream', buffer: inkLora() },
    { name: 'xl-style.safetensors', mimeType: 'application/octet-stream', buffer: sdxl() },
    { name: 'sparkle.safetensors', mimeType: 'application/octet-stream', buffer: embedding() },
  ]);
  await expect(list.getByRole('alert')).toContainText('xl-style.safetensors: key "lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight" is an SDXL LoRA key');
  const ink = list.getByRole('listitem', { name: 'LoRA ink' });
  await expect(ink).toContainText('2 modules matched');
  await expect(list.getByRole('listitem', { name: 'Embedding sparkle' })).toContainText('trigger "sparkle" · 2 vectors');
  await list.screenshot({ path: `${SHOTS}/lora-panel.png` });
  if (process.env.UPDATE_SCREENSHOTS) copyFileSync(`${SHOTS}/lora-panel.png`, 'docs/screenshots/lora-panel.png');

  // the embedding's trigger in the prompt: expanded to its two tokens, listed in TI hashes, marked by a chip
  await page.getByLabel('Prompt', { exact: true }).fill('a large red circle on a grey background sparkle');
  await expect(gen.getByText('sparkle · embedding')).toBeVisible();
  await gen.getByLabel('Size').selectOption('64');
  await gen.getByLabel('Steps', { exact: true }).fill('6');
  await gen.getByLabel('Lock seed').check();
  const withLora = await generate(gen, null);
  const text = decodePng(new Uint8Array(withLora)).text.parameters ?? '';
  expect(text).toContain('a large red circle on a grey background sparkle <lora:ink:1>');
  expect(text).toMatch(/TI hashes: "sparkle: [0-9a-f]{12}", Lora hashes: "ink: [0-9a-f]{12}"/);

  await ink.getByLabel('Strength of ink').fill('0');
  const atZero = await generate(gen, `data:image/png;base64,${withLora.toString('base64')}`);
  await ink.getByRole('checkbox').uncheck();
  const off = await generate(gen, `data:image/png;base64,${atZero.toString('base64')}`);
  const rgb = (b: Buffer) => decodePng(new Uint8Array(b)).data;
  expect(Buffer.compare(Buffer.from(rgb(withLora)), Buffer.from(rgb(atZero)))).not.toBe(0);
  expect(Buffer.from(rgb(atZero)).equals(Buffer.from(rgb(off)))).toBe(true);

  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  const kept = page.getByRole('listitem', { name: 'LoRA ink' });
  await expect(kept).toContainText('2 modules matched');
  await expect(kept.getByRole('checkbox')).not.toBeChecked();
  await expect(kept.getByLabel('Strength of ink')).toHaveValue('0');
});
