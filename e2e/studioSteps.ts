// Shared studio steps of the browser tests: pointer positions on the mask canvas, the polygon tool, labelled
// fields, and the two-concept set-up on the world fixture (upload, <circle1> → circle, <square1> → square, masks).
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { WORLD_FIXTURE_NAME, worldFixturePng } from './worldFixture';

/** Page coordinates of a point given as fractions of the square image shown in `canvas`. */
export async function onSquare(canvas: Locator, fx: number, fy: number): Promise<[number, number]> {
  const box = (await canvas.boundingBox())!;
  const side = Math.min(box.width, box.height);
  return [box.x + (box.width - side) / 2 + fx * side, box.y + (box.height - side) / 2 + fy * side];
}

/** Draws a closed polygon with the polygon / lasso tool on the selected concept's mask. */
export async function polygon(page: Page, canvas: Locator, points: readonly (readonly [number, number])[]): Promise<void> {
  await page.getByRole('button', { name: 'Polygon / lasso' }).click();
  for (const [fx, fy] of points) await page.mouse.click(...(await onSquare(canvas, fx, fy)));
  await page.keyboard.press('Enter');
}

export async function field(panel: Locator, label: string, value: string): Promise<void> {
  await panel.getByLabel(label, { exact: true }).fill(value);
}

/** The left and right halves of the world fixture, where its circle and its square are. */
export const CIRCLE_MASK = [[0.05, 0.25], [0.48, 0.25], [0.48, 0.75], [0.05, 0.75]] as const;
export const SQUARE_MASK = [[0.52, 0.27], [0.95, 0.27], [0.95, 0.73], [0.52, 0.73]] as const;

/** Uploads the world fixture and sets up <circle1> → circle and <square1> → square with their masks. */
export async function twoConceptsOnFixture(page: Page): Promise<void> {
  await page.getByTestId('reference-input').setInputFiles({ name: WORLD_FIXTURE_NAME, mimeType: 'image/png', buffer: worldFixturePng() });
  await expect(page.getByRole('status').filter({ hasText: `Loaded "${WORLD_FIXTURE_NAME}"` })).toBeVisible();
  const rows = page.locator('.concepts > li');
  await rows.nth(0).getByLabel('Token').fill('<circle1>');
  await rows.nth(0).getByLabel('Class word').fill('circle');
  await page.getByRole('button', { name: /Add concept/ }).click();
  await rows.nth(1).getByLabel('Token').fill('<square1>');
  await rows.nth(1).getByLabel('Class word').fill('square');
  await maskTwoConcepts(page);
}

/** Draws the circle's mask on the first concept and the square's on the second. */
export async function maskTwoConcepts(page: Page): Promise<void> {
  const rows = page.locator('.concepts > li');
  const canvas = page.locator('.mask-canvas canvas').first();
  await rows.nth(0).getByRole('radio').check();
  await polygon(page, canvas, CIRCLE_MASK);
  await rows.nth(1).getByRole('radio').check();
  await polygon(page, canvas, SQUARE_MASK);
  await expect(rows.nth(1).getByLabel('mask coverage')).not.toHaveText('0%');
}
