// A model loaded from the user's folder is kept in browser storage (OPFS) and re-opened after a reload, then
// generates; a snapshot whose weight blobs are gone falls back to the default model with a message saying to pick the
// files again, keeping the project; "Forget cached model" removes it. Uses a copy of public/models/demo (tiny random
// weights). Screenshot: test-results/screenshots/model-snapshot-reopened.png. Unit logic: test/diffusion/loaders/modelSnapshot.test.ts.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const SHOTS = 'test-results/screenshots';

/** A copy of the demo model folder under test-results/ named `name` (the folder name becomes the model name). */
function demoCopy(name: string): string {
  const dir = `test-results/models/${name}`;
  rmSync(dir, { recursive: true, force: true });
  cpSync('public/models/demo', dir, { recursive: true });
  return dir;
}

/** Loads the demo copy through "Load model folder…" and waits until it is kept and the project saved. */
async function loadAndKeep(page: Page, name: string): Promise<void> {
  await page.goto('/?model=demo&ep=wasm');
  await expect(page.getByTestId('model-name')).toContainText('demo model', { timeout: 240_000 });
  await page.getByTestId('model-folder-input').setInputFiles(demoCopy(name));
  await expect(page.getByTestId('model-notice')).toContainText(`Loaded "${name}". A copy (`, { timeout: 60_000 });
  await expect(page.getByTestId('model-notice')).toContainText('is kept in browser storage: a reload re-opens it.');
  await expect(page.getByTestId('kept-model')).toContainText(`Kept in browser storage: ${name}`);
  await expect(page.getByTestId('save-status')).toHaveText('Saved in this browser');
}

test('a picked model folder is re-opened from browser storage after a reload and generates', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await loadAndKeep(page, 'my-tiny');
  await page.reload();
  await expect(page.getByTestId('model-notice')).toHaveText('Re-opened "my-tiny" from browser storage.', { timeout: 60_000 });
  await expect(page.getByTestId('model-name')).toHaveText('my-tiny (from this computer, re-opened from browser storage)');
  await expect(page.getByTestId('backend')).toBeVisible();
  await page.locator('section[aria-labelledby="model-title"]').screenshot({ path: `${SHOTS}/model-snapshot-reopened.png` });

  const gen = page.locator('section[aria-labelledby="gen-title"]');
  await page.getByLabel('Prompt', { exact: true }).fill('a red circle');
  await gen.getByLabel('Steps', { exact: true }).fill('2');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(gen.getByRole('img', { name: /Generated image 1/ })).toBeVisible({ timeout: 120_000 });
});

test('an evicted snapshot falls back to the default model with a clear message; forgetting removes it', async ({ page }) => {
  await loadAndKeep(page, 'gone-model');
  await page.locator('.concepts > li').first().getByLabel('Token').fill('<kept1>');
  await expect(page.getByTestId('save-status')).toHaveText('Saved in this browser');
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('disenstudio-weights', { recursive: true });
  });
  await page.reload();
  const alert = page.getByTestId('model-notice');
  await expect(alert).toHaveAttribute('role', 'alert', { timeout: 60_000 });
  await expect(alert).toContainText('"gone-model" could not be re-opened from browser storage', { timeout: 60_000 });
  await expect(alert).toContainText('pick the model files again with "Load model folder…"');
  await expect(alert).toContainText('Nothing else of the project changed.');
  await expect(page.getByTestId('model-name')).toContainText('demo model', { timeout: 240_000 });
  await expect(page.locator('.concepts > li').first().getByLabel('Token')).toHaveValue('<kept1>');
  await expect(page.getByTestId('kept-model')).toHaveCount(0);

  await page.getByTestId('model-folder-input').setInputFiles(demoCopy('forget-me'));
  await expect(page.getByTestId('kept-model')).toContainText('forget-me', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Forget cached model' }).click();
  await expect(page.getByTestId('model-notice')).toContainText('Forgot "forget-me": its files were removed from browser storage.');
  const left = await page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('disenstudio-models');
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  });
  expect(left).toEqual([]);
  await expect(page.getByTestId('save-status')).toHaveText('Saved in this browser');
  await page.reload();
  await expect(page.getByTestId('model-name')).toContainText('demo model', { timeout: 240_000 });
  await expect(page.getByTestId('model-notice')).toHaveCount(0);
});
