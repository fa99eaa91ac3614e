// The studio as a new user meets it: the backend chosen by measurement (both figures shown, switchable),
// first paint without a red ✖. Debian Chromium with its software WebGPU adapter (SwiftShader) where present.
// UPDATE_SCREENSHOTS=1 writes docs/screenshots/ux-*.png at 1440×900.
import { expect, test } from '@playwright/test';

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1';

test('first paint: the backend is chosen by timing wasm and WebGPU, both figures shown, no error before input', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await expect(page.getByTestId('backend')).toContainText(/chosen by measured/, { timeout: 240_000 });
  await expect(page.getByTestId('backend-timings')).toContainText(/wasm \d/);
  await expect(page.locator('.concepts .checks .error')).toHaveCount(0);
  if (SHOTS) await page.screenshot({ path: 'docs/screenshots/ux-first-paint.png' });
});
