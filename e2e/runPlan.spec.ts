// The plan before Train in the studio (wasm, default model, the example project, 1440×900): the plan's counts before
// any run ("not measured yet"), settings locked while the run trains, and after one run the plan adds up the paces
// that run measured and says its regularisation images are already rendered; the prompt's token counter names the
// cut of a long prompt; the project exported with its trained concepts imports in a fresh browser profile with them
// learned. UPDATE_SCREENSHOTS=1 writes docs/screenshots/plan-*.png.
import { expect, test } from '@playwright/test';

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1';

test('plan before Train: counts, locked settings, measured paces and cached regularisation images; token counter; project with its concepts', async ({ page, browser }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?ep=wasm');
  await page.evaluate(() => Promise.all(['disenstudio', 'disenstudio-cache', 'disenstudio-training'].map((n) => new Promise((r) => { const q = indexedDB.deleteDatabase(n); q.onsuccess = q.onerror = q.onblocked = r; }))));
  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  await page.getByRole('button', { name: 'Open example project' }).click();
  const train = page.locator('section[aria-labelledby="train-title"]');
  await train.getByLabel('Steps', { exact: true }).fill('4');
  await train.getByLabel('Batch', { exact: true }).fill('1');
  await train.getByLabel('Grad. accumulation', { exact: true }).fill('1');
  const plan = page.getByTestId('run-plan');
  await expect(plan).toContainText('render 2 regularisation images (2 sampler steps each)');
  await expect(plan).toContainText('4 optimiser steps × 1 sample');
  await expect(page.getByTestId('run-plan-time')).toHaveText('Time on wasm: not measured yet; the first run measures it and later plans use it.');
  if (SHOTS) {
    await plan.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/plan-before-first-run.png' });
  }

  await train.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('settings-locked')).toBeVisible();
  await expect(train.getByLabel('Steps', { exact: true })).toBeDisabled();
  await expect(train.getByLabel('Preset')).toBeDisabled();
  if (SHOTS) {
    await page.getByTestId('settings-locked').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/plan-training-locked.png' });
  }
  await expect(train.getByText(/Learned: <circle1>, <square2>/)).toBeVisible({ timeout: 300_000 });
  await expect(train.getByLabel('Steps', { exact: true })).toBeEnabled();

  // the first run measured this backend: the plan now has a total, and its two images are in the cache
  await expect(plan).toContainText('all 2 regularisation images already rendered in this browser (read back from IndexedDB)');
  await expect(page.getByTestId('run-plan-time')).toContainText(/^On wasm: about (\d+ min )?\d+ s \(regularisation ~0 s, load and build ~(\d+ min )?\d+ s, steps ~(\d+ min )?\d+ s; paces measured by an earlier run here\)\.$/);
  console.log(`plan after one 4-step wasm run: ${await page.getByTestId('run-plan-time').textContent()}`);
  if (SHOTS) {
    await plan.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/plan-after-first-run.png' });
  }

  const prompt = page.getByLabel('Prompt', { exact: true });
  await prompt.fill('a <circle1> and a <square2>');
  await expect(page.getByTestId('token-budget')).toHaveText('7 / 30 tokens');
  await prompt.fill(Array.from({ length: 8 }, () => 'a large red circle').join(' and ') + ' on a blue background');
  await expect(page.getByTestId('token-budget')).toHaveText('43 / 30 tokens: the text encoder reads the first 30; the rest, from "a", is cut.');
  if (SHOTS) {
    await page.getByTestId('token-budget').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/plan-token-counter.png' });
  }

  // the project with its trained concepts, into a fresh profile
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export with trained concepts' }).click()]);
  const zip = await download.path();
  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await fresh.newPage();
  await other.goto('/?ep=wasm');
  await expect(other.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  await other.getByLabel('Project file').setInputFiles(zip);
  await expect(other.getByText('Project imported with its trained concepts: <circle1>, <square2>.')).toBeVisible();
  await other.getByLabel('Prompt', { exact: true }).fill('a <circle1> and a <square2>');
  await expect(other.locator('.chip.learned')).toHaveCount(2);
  await fresh.close();
});
