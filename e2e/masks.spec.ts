// Masks on a real image in Chromium (the rendered two-object scene e2e/fixtures/two-concepts.png; the repository
// holds no photo): the wand selects the orange body by colour, a rough lasso round the brown object snaps to its
// edges, a soft stroke keeps its feather, and a new reference offers to clear the masks. Masks are checked from the
// exported project file against the scene's true shapes (IoU). With UPDATE_SCREENSHOTS=1 the editor after the snap
// is copied to docs/screenshots/mask-tools.png.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { rasterizeLayer } from '../src/editor/index';
import type { MaskLayer, MaskOp } from '../src/editor/index';

const SHOTS = 'test-results/screenshots';
const FIXTURE = 'e2e/fixtures/two-concepts.png';
/** the fixture's 640×480 centred training square: x 80–560 */
const CROP = { x: 80, size: 480 };

test.use({ viewport: { width: 1440, height: 900 } });

/** Page coordinates of a reference-image point, on the fitted, centred square of the canvas. */
async function onImage(canvas: Locator, x: number, y: number): Promise<[number, number]> {
  const box = (await canvas.boundingBox())!;
  const side = Math.min(box.width, box.height);
  return [box.x + (box.width - side) / 2 + ((x - CROP.x) / CROP.size) * side, box.y + (box.height - side) / 2 + (y / CROP.size) * side];
}

const inDisc = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** The fixture's shapes (scene drawn in image px): the orange body and its lighter head (within 22 of the body's
 * colour in every channel, so the default tolerance takes both), the brown box and head. */
const orange = (x: number, y: number) => inDisc(x, y, 200, 260, 110) || inDisc(x, y, 200, 150, 55);
const brown = (x: number, y: number) => (x >= 361 && x < 560 && y >= 181 && y < 400) || inDisc(x, y, 460, 150, 60);

/** IoU of a layer rasterised at `res` against a shape given in image px (cell centres decide). */
function iouWith(layer: MaskLayer, res: number, shape: (x: number, y: number) => boolean): number {
  const m = rasterizeLayer(layer, CROP.size, res);
  const s = CROP.size / res;
  let both = 0;
  let either = 0;
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      const a = m[i * res + j]! >= 128;
      const b = shape(CROP.x + (j + 0.5) * s, (i + 0.5) * s);
      if (a && b) both++;
      if (a || b) either++;
    }
  }
  return both / either;
}

async function exportedMasks(page: Page): Promise<Record<string, MaskLayer>> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export project' }).click();
  const path = `${SHOTS}/masks-project.json`;
  await (await download).saveAs(path);
  return (JSON.parse(readFileSync(path, 'utf8')) as { masks: Record<string, MaskLayer> }).masks;
}

test('wand, snap to edges, soft brush and the clear-masks offer on a rendered scene', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.goto('/');
  await page.evaluate(() => indexedDB.deleteDatabase('disenstudio'));
  await page.reload();
  await page.getByTestId('reference-input').setInputFiles(FIXTURE);
  await expect(page.getByRole('status').filter({ hasText: 'Loaded "two-concepts.png" (640×480)' })).toBeVisible();
  const rows = page.locator('.concepts > li');
  await rows.nth(0).getByLabel('Token').fill('<orange1>');
  await page.getByRole('button', { name: /Add concept/ }).click();
  await rows.nth(1).getByLabel('Token').fill('<brown1>');
  const canvas = page.locator('.mask-canvas canvas').first();

  // the wand: one click on the orange body takes the orange object (body and head), not the whole square
  await rows.nth(0).getByRole('radio').check();
  await page.getByRole('button', { name: 'Fill (wand)' }).click();
  await expect(page.getByLabel('Tolerance')).toHaveValue('32');
  await page.mouse.click(...(await onImage(canvas, 200, 300)));
  await expect(rows.nth(0).getByLabel('mask coverage')).toHaveText(/^(1[7-9]|20)%$/);
  let masks = await exportedMasks(page);
  const wandOp = masks.c1!.ops.at(-1) as MaskOp;
  expect(wandOp.kind).toBe('region');
  const wandIoU = iouWith(masks.c1!, 240, orange);
  expect(wandIoU).toBeGreaterThan(0.97);

  // a rough lasso round the brown object (overshooting by up to ~20 px, cutting a corner), then snap to edges
  await rows.nth(1).getByRole('radio').check();
  await page.getByRole('button', { name: 'Polygon / lasso' }).click();
  const outline: [number, number][] = [[345, 170], [405, 165], [410, 95], [470, 78], [525, 110], [558, 175], [558, 418], [372, 412], [350, 330]];
  for (const [x, y] of outline) await page.mouse.click(...(await onImage(canvas, x, y)));
  await canvas.press('Enter');
  masks = await exportedMasks(page);
  const roughIoU = iouWith(masks.c2!, 240, brown);
  await page.getByRole('button', { name: 'Snap to edges' }).click();
  masks = await exportedMasks(page);
  const snappedIoU = iouWith(masks.c2!, 240, brown);
  expect(snappedIoU).toBeGreaterThan(roughIoU + 0.1);
  expect(snappedIoU).toBeGreaterThan(0.96);
  await page.getByRole('button', { name: 'Fill (wand)' }).click();
  await page.screenshot({ path: `${SHOTS}/mask-tools.png` });
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(`${SHOTS}/mask-tools.png`, 'docs/screenshots/mask-tools.png');

  // a soft stroke: its feather is kept in the project
  await page.getByRole('button', { name: 'Brush' }).click();
  await page.getByLabel('Feather').fill('12');
  const [ax, ay] = await onImage(canvas, 120, 430);
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.mouse.move(...(await onImage(canvas, 250, 440)), { steps: 8 });
  await page.mouse.up();
  masks = await exportedMasks(page);
  expect(masks.c2!.ops.at(-1)).toMatchObject({ kind: 'stroke', mode: 'add', feather: 12 });

  // a new reference over painted masks: "Clear all masks" clears both layers
  await page.getByTestId('reference-input').setInputFiles(FIXTURE);
  await page.getByRole('button', { name: 'Clear all masks' }).click();
  await expect(rows.nth(0).getByLabel('mask coverage')).toHaveText('0%');
  await expect(rows.nth(1).getByLabel('mask coverage')).toHaveText('0%');
  console.log(JSON.stringify({ wandIoU, roughIoU, snappedIoU }));
});
