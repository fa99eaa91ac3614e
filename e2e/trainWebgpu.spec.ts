// @webgpu: the studio personalizes the DEFAULT model on onnxruntime-web's WebGPU EP (Chromium's software
// SwiftShader adapter here): two concepts with masks, 2 steps at batch 1, regularisation images and the training
// steps both on WebGPU, and the panel says where the steps ran. Slow on a software GPU (minutes); the journey
// covers the rest of the studio on wasm. Screenshot: test-results/screenshots/train-webgpu.png.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { field, twoConceptsOnFixture } from './studioSteps';
import { skipWithoutWebGpu } from './webgpuAdapter';

test.use({ viewport: { width: 1280, height: 900 } });

test('trains two concepts of the default model on WebGPU', async ({ page }) => {
  test.setTimeout(2_400_000);
  page.on('console', (m) => (m.type() === 'error' ? console.log(`[page] ${m.text()}`) : undefined));
  await page.goto('/?ep=webgpu');
  await skipWithoutWebGpu(page);
  await page.evaluate(() => indexedDB.deleteDatabase('disenstudio'));
  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  await expect(page.getByTestId('backend')).toContainText('WebGPU');
  await twoConceptsOnFixture(page);

  const train = page.locator('section[aria-labelledby="train-title"]');
  await page.getByLabel('Sample every N steps (0 = off)').fill('0');
  await field(train, 'Steps', '2');
  await field(train, 'Batch', '1');
  await field(train, 'Grad. accumulation', '1');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect(train.getByRole('status')).toContainText(/regularisation: 2 images of "a large circle and a large square on a grey background" on WebGPU/, { timeout: 120_000 });
  const learned = train.getByText(/Learned: <circle1>, <square1> \(trained on WebGPU · /);
  await expect(learned.or(train.getByRole('alert'))).toBeVisible({ timeout: 600_000 });
  await expect(train.getByRole('alert')).toHaveCount(0);
  await expect(learned).toBeVisible();
  const losses = await page.getByTestId('train-losses').textContent();
  expect(losses).toMatch(/loss/);
  expect(losses).not.toMatch(/NaN|Infinity/);
  await expect(page.getByTestId('loss-chart').locator('polyline').first()).toBeVisible();
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/train-webgpu.png' });
});
