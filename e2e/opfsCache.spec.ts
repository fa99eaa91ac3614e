// The weight cache on Chromium's real Origin Private File System: a 2 MiB "weights" file read through a dropped
// file list is stored in OPFS; a second cache instance (as after a reload) reads it back byte-exact without
// touching the file, and the blob is named by its SHA-256. Unit logic: test/diffusion/loaders/weightCache.test.ts.
import { expect, test } from '@playwright/test';

test('stores a weights file in OPFS and reads it back after a "reload"', async ({ page }) => {
  await page.goto('/src/workers/opfsCache.ts');
  const r = await page.evaluate(async () => {
    const { openWeightCache, OPFS_CACHE_DIR } = (await import(`${'/src/workers'}/opfsCache.ts`)) as typeof import('../src/workers/opfsCache');
    const { createFileListSource } = (await import(`${'/src/diffusion/loaders'}/browser.ts`)) as typeof import('../src/diffusion/loaders/browser');
    const { sha256Hex } = (await import(`${'/src/diffusion/loaders'}/weightCache.ts`)) as typeof import('../src/diffusion/loaders/weightCache');
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(OPFS_CACHE_DIR, { recursive: true }).catch(() => undefined);
    const data = Uint8Array.from({ length: 2 * 1024 * 1024 }, (_, i) => (i * 31) % 251);
    const file = new File([data], 'diffusion_pytorch_model.safetensors', { lastModified: 42 });
    const first = await openWeightCache();
    if (!first.cache) return { error: first.message };
    const src = createFileListSource([file], 'sd15', { cache: first.cache });
    const read1 = await src.read('diffusion_pytorch_model.safetensors');
    const again = await openWeightCache();
    let fileReads = 0;
    const untouchable = { size: data.byteLength, lastModified: 42, name: file.name, webkitRelativePath: '', arrayBuffer: async () => (fileReads++, new ArrayBuffer(0)) } as unknown as File;
    const read2 = await createFileListSource([untouchable], 'sd15', { cache: again.cache! }).read('diffusion_pytorch_model.safetensors');
    const dir = await root.getDirectoryHandle(OPFS_CACHE_DIR);
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    const same = (a: Uint8Array) => a.length === data.length && a.every((v, i) => v === data[i]);
    const sha = await sha256Hex(data);
    await root.removeEntry(OPFS_CACHE_DIR, { recursive: true });
    return { isSame1: same(read1), isSame2: same(read2), fileReads, hasBlob: names.includes(sha), names: names.length, usage: await again.cache!.usage() };
  });
  expect(r).toEqual({ isSame1: true, isSame2: true, fileReads: 0, hasBlob: true, names: 2, usage: { bytes: 2 * 1024 * 1024, blobs: 1, keys: 1 } });
});
