// Shared by the @webgpu browser tests: skip (with the reason) where the browser exposes no WebGPU adapter.
import { test } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Skips the running test when `navigator.gpu.requestAdapter()` gives no adapter on `page`. */
export async function skipWithoutWebGpu(page: Page): Promise<void> {
  const hasGpu = await page.evaluate(async () => !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
  test.skip(!hasGpu, 'this browser exposes no WebGPU adapter: run Chromium with --enable-unsafe-webgpu');
}
