// The studio shell end to end (the engine loads its model; nothing is trained here): model and backend shown, reference upload (and a text file refused),
// two concepts named and masked, warnings visible, project restored after reload, project exported.
// Screenshots go to test-results/screenshots/; with UPDATE_SCREENSHOTS=1 the restored studio is copied to docs/screenshots/studio.png.
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

const SHOTS = 'test-results/screenshots';
const FIXTURE = 'e2e/fixtures/two-concepts.png';

test.use({ viewport: { width: 1280, height: 720 } });

/** Page coordinates of a point given as fractions of the crop square shown (fitted, centred) on the canvas. */
async function onSquare(canvas: Locator, fx: number, fy: number): Promise<[number, number]> {
  const box = (await canvas.boundingBox())!;
  const side = Math.min(box.width, box.height);
  return [box.x + (box.width - side) / 2 + fx * side, box.y + (box.height - side) / 2 + fy * side];
}

async function concept(page: Page, index: number, token: string, classWord: string): Promise<Locator> {
  const row = page.locator('.concepts > li').nth(index);
  await row.getByLabel('Token').fill(token);
  await row.getByLabel('Class word').fill(classWord);
  return row;
}

test('mask two concepts, survive a reload, export the project', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.goto('/');
  await page.evaluate(() => indexedDB.deleteDatabase('disenstudio'));
  await page.reload();
  await expect(page.getByTestId('backend')).toContainText(/WebGPU|wasm/);
  await expect(page.getByTestId('model-name')).toContainText(/demo model \(random weights|default model/, { timeout: 240_000 });
  await expect(page.getByTestId('memory-peak')).toContainText(/Predicted peak [\d.]+ (MB|GB) of 8\.00 GB: fits/, { timeout: 30_000 });

  const file = page.getByTestId('reference-input');
  await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, these are notes') });
  await expect(page.getByRole('alert')).toContainText('"notes.txt" is not an image');
  await page.screenshot({ path: `${SHOTS}/refused-text-file.png` });

  await file.setInputFiles(FIXTURE);
  await expect(page.getByRole('status').filter({ hasText: 'Loaded "two-concepts.png" (640×480)' })).toBeVisible();
  await expect(page.getByRole('group', { name: /Crop box at x 80, y 0, 480 px/ })).toBeVisible();

  const cat = await concept(page, 0, '<cat1>', 'cat');
  await page.getByRole('button', { name: /Add concept/ }).click();
  const dog = await concept(page, 1, '<dog1>', 'dog');
  await expect(dog.locator('.checks')).toContainText('The mask of <dog1> is empty');
  await expect(cat.getByText(/Cannot check yet/)).toHaveCount(0);
  await expect(cat.locator('.preview')).toContainText('<cat1> → <cat1> cat');

  const canvas = page.locator('.mask-canvas canvas').first();
  await cat.getByRole('radio').check();
  await page.getByRole('button', { name: 'Brush' }).click();
  await page.getByLabel('Brush size').fill('40');
  const path: [number, number][] = [[0.18, 0.45], [0.3, 0.5], [0.32, 0.62], [0.2, 0.68], [0.12, 0.55]];
  const [sx, sy] = await onSquare(canvas, path[0]![0], path[0]![1]);
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  for (const [fx, fy] of path.slice(1)) await page.mouse.move(...(await onSquare(canvas, fx, fy)), { steps: 6 });
  await page.mouse.up();

  await dog.getByRole('radio').check();
  await page.getByRole('button', { name: 'Polygon / lasso' }).click();
  for (const [fx, fy] of [[0.6, 0.38], [0.98, 0.38], [0.98, 0.82], [0.6, 0.82]] as const) await page.mouse.click(...(await onSquare(canvas, fx, fy)));
  await page.keyboard.press('Enter');

  await expect(cat.getByLabel('mask coverage')).not.toHaveText('0%');
  await expect(dog.getByLabel('mask coverage')).not.toHaveText('0%');
  await expect(dog.getByText(/mask of <dog1> is empty/)).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(dog.getByLabel('mask coverage')).toHaveText('0%');
  await page.keyboard.press('Control+Shift+z');
  await expect(dog.getByLabel('mask coverage')).not.toHaveText('0%');
  const dogCoverage = await dog.getByLabel('mask coverage').textContent();
  await page.getByLabel('Prompt', { exact: true }).fill('a photo of <cat1> next to <do');
  await page.getByRole('option', { name: '<dog1>' }).click();
  await expect(page.getByLabel('expanded prompt')).toContainText('a photo of <cat1> cat next to <dog1> dog');
  await expect(page.getByTestId('save-status')).toHaveText('Saved in this browser');
  await page.screenshot({ path: `${SHOTS}/studio.png` });

  await page.reload();
  const cat2 = page.locator('.concepts > li').nth(0);
  const dog2 = page.locator('.concepts > li').nth(1);
  await expect(cat2.getByLabel('Token')).toHaveValue('<cat1>');
  await expect(dog2.getByLabel('Class word')).toHaveValue('dog');
  await expect(dog2.getByLabel('mask coverage')).toHaveText(dogCoverage!);
  await expect(page.getByRole('img', { name: 'Reference image two-concepts.png' })).toBeVisible();
  await expect(page.getByLabel('Prompt', { exact: true })).toHaveValue(/<dog1>/);
  await page.screenshot({ path: `${SHOTS}/after-reload.png` });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync('docs/screenshots', { recursive: true });
    copyFileSync(`${SHOTS}/after-reload.png`, 'docs/screenshots/studio.png');
  }

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export project' }).click();
  const saved = `${SHOTS}/../exported-project.json`;
  await (await download).saveAs(saved);
  const project = JSON.parse(readFileSync(saved, 'utf8'));
  expect(project.format).toBe('disenstudio-project');
  expect(project.reference.dataUrl).toMatch(/^data:image\/png;base64,/);
  expect(project.concepts.map((c: { token: string }) => c.token)).toEqual(['<cat1>', '<dog1>']);
  expect(project.masks.c1.ops[0].kind).toBe('stroke');
  expect(project.masks.c2.ops[0].kind).toBe('polygon');
});

test('drop (large → downscaled, broken → refused), paste, and import a project file', async ({ page }) => {
  await page.goto('/');
  const drop = async (name: string, make: 'large' | 'broken'): Promise<void> => {
    const dataTransfer = await page.evaluateHandle(
      async ([fileName, kind]) => {
        let blob: Blob;
        if (kind === 'large') {
          const canvas = new OffscreenCanvas(3000, 2000);
          const ctx = canvas.getContext('2d')!;
          ctx.fillStyle = '#6a8caf';
          ctx.fillRect(0, 0, 3000, 2000);
          blob = await canvas.convertToBlob({ type: 'image/png' });
        } else {
          blob = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8])], { type: 'image/png' });
        }
        const dt = new DataTransfer();
        dt.items.add(new File([blob], fileName!, { type: 'image/png' }));
        return dt;
      },
      [name, make],
    );
    await page.dispatchEvent('.dropzone', 'drop', { dataTransfer });
  };
  await drop('broken.png', 'broken');
  await expect(page.getByRole('alert')).toContainText('"broken.png" looks like image/png but could not be decoded');
  await drop('huge.png', 'large');
  await expect(page.getByRole('status').filter({ hasText: 'huge.png' })).toContainText('is 3000×2000; it was downscaled to 2048×1365');
  await expect(page.getByRole('group', { name: /Crop box at x 341, y 0, 1365 px/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/downscaled.png` });

  const png = readFileSync(FIXTURE).toString('base64');
  await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt }));
  }, png);
  await expect(page.getByRole('status').filter({ hasText: 'Loaded "pasted.png" (640×480)' })).toBeVisible();

  const project = {
    format: 'disenstudio-project',
    version: 1,
    reference: { name: 'imported.png', dataUrl: `data:image/png;base64,${png}`, width: 640, height: 480, originalWidth: 640, originalHeight: 480, crop: { x: 160, y: 0, size: 480 } },
    concepts: [{ id: 'c1', token: '<teddy1>', classWord: 'teddy', color: '#e6194b' }],
    masks: { c1: { conceptId: 'c1', ops: [{ kind: 'polygon', mode: 'add', points: [{ x: 0, y: 0 }, { x: 240, y: 0 }, { x: 240, y: 480 }, { x: 0, y: 480 }] }] } },
    activeConceptId: 'c1',
    generation: { prompt: '<teddy1> on the moon', negativePrompt: '', seed: 3, isSeedLocked: false, steps: 20, guidance: 7, sampler: 'ddim', batch: 1, size: 512 },
    training: { preset: 'quick', settings: { steps: 60, learningRate: 8e-5, batchSize: 2, gradAccumulation: 1, attentionLossWeight: 0.01, seed: 1 } },
  };
  await page.getByLabel('Project file').setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(project)) });
  await expect(page.getByText('Project imported.')).toBeVisible();
  await expect(page.locator('.concepts > li')).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Token' })).toHaveValue('<teddy1>');
  await expect(page.getByLabel('mask coverage')).toHaveText('50%');
  await expect(page.getByRole('group', { name: /Crop box at x 160, y 0, 480 px/ })).toBeVisible();
  await page.getByLabel('Project file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something-else"}') });
  await expect(page.getByRole('alert')).toContainText('Not a valid DisenStudio project: "format" must be "disenstudio-project"');
  await expect(page.getByRole('textbox', { name: 'Token' })).toHaveValue('<teddy1>');
});

test('every control has an accessible name and the studio is keyboard reachable at 1280×720', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('reference-input').setInputFiles(FIXTURE);
  await expect(page.locator('.mask-canvas')).toBeVisible();
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea, [tabindex]')]
      .filter((el) => !(el as HTMLElement).closest('.visually-hidden') && !el.classList.contains('visually-hidden'))
      .filter((el) => {
        const e = el as HTMLElement;
        const labelled = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.closest('label') || (e.id && document.querySelector(`label[for="${e.id}"]`));
        return !labelled && !(e.textContent ?? '').trim() && e.tagName !== 'CANVAS';
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
  const reached = new Set<string>();
  for (let k = 0; k < 60; k++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? ''));
  }
  for (const name of ['Choose image…', 'Brush', 'Polygon / lasso', 'Fit', 'Export project']) expect(reached).toContain(name);
  expect([...reached].some((n) => n.startsWith('Crop box at'))).toBe(true);
  expect([...reached].some((n) => n.startsWith('Mask canvas'))).toBe(true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
});

/** A copy of the default model folder under test-results/, optionally with its UNet weights overwritten by junk. */
function modelCopy(name: string, isCorrupt: boolean): string {
  const dir = `test-results/models/${name}`;
  rmSync(dir, { recursive: true, force: true });
  cpSync('public/models/default', dir, { recursive: true, filter: (p) => !/\.(png|md)$/.test(p) });
  if (isCorrupt) writeFileSync(`${dir}/unet/diffusion_pytorch_model.safetensors`, Buffer.from('this is not a safetensors file at all'));
  return dir;
}

test('bad model folder and multi-token class word: clear messages, nothing lost', async ({ page }) => {
  await page.goto('/?model=demo');
  await expect(page.getByTestId('model-name')).toContainText('demo model', { timeout: 240_000 });
  await page.getByTestId('reference-input').setInputFiles(FIXTURE);
  const row = page.locator('.concepts > li').first();
  await row.getByLabel('Token').fill('<dog1>');
  await row.getByLabel('Class word').fill('doggo');
  await expect(row.locator('.checks')).toContainText('Class word "doggo" is several tokens for this model\'s tokenizer');
  await row.getByLabel('Class word').fill('dog');
  await expect(row.locator('.checks')).not.toContainText('several tokens');

  await page.getByTestId('model-folder-input').setInputFiles(modelCopy('broken-model', true));
  await expect(page.getByRole('alert')).toContainText('Could not load the model in "broken-model"');
  await expect(page.getByRole('alert')).toContainText('The model in use did not change.');
  await page.screenshot({ path: `${SHOTS}/refused-corrupt-model.png` });
  await expect(page.getByTestId('model-name')).toContainText('demo model');
  await expect(row.getByLabel('Token')).toHaveValue('<dog1>');
  await expect(page.getByRole('img', { name: 'Reference image two-concepts.png' })).toBeVisible();

  await page.getByTestId('model-folder-input').setInputFiles(modelCopy('my-model', false));
  await expect(page.getByTestId('model-notice')).toContainText('Loaded "my-model"', { timeout: 60_000 });
  await expect(page.getByTestId('model-name')).toContainText('my-model (from this computer');
  await expect(row.getByLabel('Token')).toHaveValue('<dog1>');
});
