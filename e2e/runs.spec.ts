// Runs that keep what they made, as a user meets them (wasm, the default model, 1440×900): example project → train
// 10 tiny steps → Cancel mid-run (says "Stopping…" at once, keeps the steps done) → reload → "Resume run (step k of
// 10)" → resumed to the end → generate → the image in the gallery after another reload. Prints how long Cancel
// took to take effect (a figure, not a limit). UPDATE_SCREENSHOTS=1 writes docs/screenshots/runs-*.png.
import { expect, test } from '@playwright/test';

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1';

test('cancel keeps the run, a reload offers to resume it, results stay in the gallery (wasm)', async ({ page }) => {
  test.setTimeout(1_800_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?ep=wasm');
  await page.evaluate(() => Promise.all(['disenstudio', 'disenstudio-training'].map((n) => new Promise((r) => { const q = indexedDB.deleteDatabase(n); q.onsuccess = q.onerror = q.onblocked = r; }))));
  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  await page.getByRole('button', { name: 'Open example project' }).click();
  await expect(page.locator('.concepts > li').nth(1).getByLabel('Class word')).toHaveValue('square');

  const train = page.locator('section[aria-labelledby="train-title"]');
  await train.getByLabel('Steps', { exact: true }).fill('10');
  await train.getByLabel('Batch', { exact: true }).fill('1');
  await train.getByLabel('Grad. accumulation', { exact: true }).fill('1');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('train-losses')).toContainText(/loss/, { timeout: 300_000 });
  const t0 = Date.now();
  await train.getByRole('button', { name: 'Cancel' }).click();
  await expect(train.getByRole('button', { name: 'Stopping…' })).toBeVisible();
  if (SHOTS) await page.screenshot({ path: 'docs/screenshots/runs-stopping.png' });
  await expect(train.getByText(/Cancelled: trained \d+ of 10 steps\. <circle1>, <square2> are kept/)).toBeVisible({ timeout: 300_000 });
  const kept = Number((await train.getByText(/Cancelled: trained/).textContent())!.match(/trained (\d+) of/)![1]);
  console.log(JSON.stringify({ cancelTookSeconds: (Date.now() - t0) / 1000, keptSteps: kept }));
  expect(kept).toBeLessThan(10);
  const resume = train.getByRole('button', { name: /Resume run \(step \d+ of 10\)/ });
  await expect(resume).toBeVisible();

  // a reload: the run is still offered, at its checkpoint
  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  await expect(resume).toBeVisible();
  const offered = Number((await resume.textContent())!.match(/step (\d+) of/)![1]);
  expect(offered).toBe(kept);
  await train.locator('summary', { hasText: 'Run history' }).click();
  if (SHOTS) await page.screenshot({ path: 'docs/screenshots/runs-resume-offered.png' });
  await resume.click();
  await expect(train.getByText(/Learned: <circle1>, <square2>/)).toBeVisible({ timeout: 600_000 });
  await expect(train.getByText(/10 of 10 steps · done/)).toBeVisible();
  await expect(resume).toHaveCount(0);

  const gen = page.locator('section[aria-labelledby="gen-title"]');
  await page.getByLabel('Prompt', { exact: true }).fill('a <circle1> and a <square2>');
  await gen.getByLabel('Size').selectOption('64');
  await gen.getByLabel('Steps', { exact: true }).fill('10');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(gen.getByRole('img', { name: /Generated image 1/ })).toBeVisible({ timeout: 120_000 });
  const gallery = page.locator('section[aria-labelledby="gallery-title"]');
  await expect(gallery.getByRole('heading', { name: 'Gallery (1)' })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('default model', { timeout: 240_000 });
  await expect(gallery.getByRole('heading', { name: 'Gallery (1)' })).toBeVisible();
  await expect(gallery.getByRole('img', { name: 'a <circle1> and a <square2>' })).toBeVisible();
  await expect(gallery.getByText(/Steps: 10/)).toHaveCount(1);
  await gallery.scrollIntoViewIfNeeded();
  if (SHOTS) await page.screenshot({ path: 'docs/screenshots/runs-gallery.png' });
});
