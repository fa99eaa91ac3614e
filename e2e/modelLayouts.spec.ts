// Loading one's own model, the layouts the studio refuses: picked as loose files ("Load model files…"), a pickled
// .ckpt and a lone .onnx graph are refused with the loader's explanation in the model notice, and the model in use
// stays. The layouts that load are covered by test/diffusion/loaders/detect.test.ts. Reference: loading users' models.
import { expect, test } from '@playwright/test';

test('pickles and a lone ONNX graph are refused with the reason, and the model in use stays', async ({ page }) => {
  await page.goto('/?model=demo');
  await expect(page.getByTestId('model-name')).toContainText('demo model', { timeout: 240_000 });
  const files = page.getByTestId('model-files-input');
  const alert = page.getByRole('alert');

  await files.setInputFiles([{ name: 'v1-5-pruned.ckpt', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004 not really a pickle') }]);
  await expect(alert).toContainText('Could not load the model in "v1-5-pruned.ckpt"');
  await expect(alert).toContainText('is a pickled PyTorch checkpoint. Pickles can run arbitrary code when opened');
  await expect(alert).toContainText('The model in use did not change.');

  await files.setInputFiles([{ name: 'model.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('onnx') }]);
  await expect(alert).toContainText('One .onnx file is one network; generation needs the whole diffusers/Optimum export folder');
  await expect(page.getByTestId('model-name')).toContainText('demo model');
});
