// Hostile project files in the real studio: a file with a zero crop, huge strokes and a url() colour pointing at a
// local server is refused with a message naming the field, the studio keeps working, and the page makes no request
// to any other origin (Playwright's request log, and hits counted on that server). The Content-Security-Policy is
// checked on its own by putting a url() background into the page behind the schema's back: Chromium logs the
// request, the policy fails it, and the server sees nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { encodePngAsync, MAX_PNG_PIXELS } from '../src/diffusion/index';
import { polygon, twoConceptsOnFixture } from './studioSteps';

const png1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

function hostile(trap: string, patch: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'disenstudio-project',
    version: 1,
    reference: { name: 'h.png', dataUrl: `data:image/png;base64,${png1x1}`, width: 640, height: 480, originalWidth: 640, originalHeight: 480, crop: { x: 0, y: 0, size: 480 } },
    concepts: [{ id: 'c1', token: '<h1>', classWord: 'cat', color: `url(${trap}/colour)` }],
    masks: { c1: { conceptId: 'c1', ops: [{ kind: 'stroke', mode: 'add', radius: 1e6, points: Array.from({ length: 20_000 }, (_, i) => ({ x: i % 480, y: (i * 7) % 480 })) }] } },
    activeConceptId: 'c1',
    generation: { prompt: 'a <h1>', negativePrompt: '', seed: 1, isSeedLocked: false, steps: 20, guidance: 7, sampler: 'ddim', batch: 1, size: 4096 },
    training: { preset: 'quick', settings: { steps: 10, learningRate: 1e-4, batchSize: 1, gradAccumulation: 1, attentionLossWeight: 0.01, seed: 1 } },
    ...patch,
  });
}

test('a hostile project file is refused naming the field; the studio keeps working and reaches no other origin', async ({ page, baseURL }) => {
  let hits = 0;
  const trapServer = createServer((_req, res) => {
    hits++;
    res.end('x');
  });
  await new Promise<void>((r) => trapServer.listen(0, '127.0.0.1', r));
  const trap = `http://127.0.0.1:${(trapServer.address() as AddressInfo).port}`;
  const foreign: string[] = [];
  const origin = new URL(baseURL as string).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) violations.push(m.text());
  });

  await page.goto('/');
  await expect(page.getByTestId('model-name')).toContainText(/demo model \(random weights|default model/, { timeout: 240_000 });
  await page.getByRole('textbox', { name: 'Token' }).first().fill('<mine1>');
  const file = page.getByLabel('Project file');
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['zero crop', { reference: { name: 'h.png', dataUrl: `data:image/png;base64,${png1x1}`, width: 640, height: 480, originalWidth: 640, originalHeight: 480, crop: { x: 0, y: 0, size: 0 } } }, /"reference.crop.size" must be a number/],
    ['url() colour', {}, /"concepts\[0\].color" must be a colour/],
    ['huge strokes', { concepts: [{ id: 'c1', token: '<h1>', classWord: 'cat', color: '#ff0000' }] }, /"masks.c1.ops\[0\].points" must list 0–10000 items/],
  ];
  for (const [name, patch, message] of cases) {
    await file.setInputFiles({ name: `${name}.json`, mimeType: 'application/json', buffer: Buffer.from(hostile(trap, patch)) });
    await expect(page.getByRole('alert')).toContainText(message);
    // the user's work is kept and the studio still answers
    await expect(page.getByRole('textbox', { name: 'Token' }).first()).toHaveValue('<mine1>');
  }
  await page.getByRole('button', { name: 'Add concept' }).click();
  await expect(page.locator('.concepts > li')).toHaveCount(2);
  expect(foreign).toEqual([]);

  // the CSP on its own: a remote background put into the page directly is blocked, not fetched
  await page.evaluate((url) => {
    const d = document.createElement('div');
    d.style.width = '10px';
    d.style.height = '10px';
    d.style.backgroundImage = `url(${url}/csp)`;
    document.body.append(d);
    return new Promise((r) => setTimeout(r, 500));
  }, trap);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.join('\n')).toContain(trap);
  // the page asked (Chromium logs the request) and the policy failed it before it left the browser
  expect(foreign).toEqual([`${trap}/csp`]);
  expect(failed).toContain(`${trap}/csp`);
  expect(hits).toBe(0);
  trapServer.close();
});

// A panel that throws while rendering, in the real studio: the test (not the app) rewrites the dev server's
// GenerationPanel module on its way to the page (Playwright's page.route) so that the panel throws once the project
// has three concepts. The app ships no fault hook: the route exists only in this test. The Generation panel's
// PanelBoundary must say what broke, the other panels must keep working (concepts, mask tools, mask canvas), the
// user's tokens, masks and generation settings must survive, and "Try again" must bring the panel back.
test('a panel that throws shows its error; the rest of the studio keeps working and nothing is lost', async ({ page }) => {
  const FAULT = 'injected test fault: this panel cannot show three concepts';
  let rewritten = 0;
  await page.route(/\/src\/ui\/panels\/GenerationPanel\.tsx(\?.*)?$/, async (route) => {
    const res = await route.fetch();
    const code = await res.text();
    const declared = 'export function GenerationPanel(';
    if (!code.includes(declared)) return route.fulfill({ response: res, body: code });
    rewritten++;
    const wrapper = `\nexport function GenerationPanel(props) { const n = useStudio((st) => st.project.concepts.length); if (n >= 3) throw new Error(${JSON.stringify(FAULT)}); return __originalGenerationPanel(props); }\n`;
    return route.fulfill({ response: res, body: code.replace(declared, 'function __originalGenerationPanel(') + wrapper });
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/?ep=wasm');
  await expect(page.getByTestId('model-name')).toContainText(/demo model \(random weights|default model/, { timeout: 240_000 });
  expect(rewritten).toBe(1);
  await twoConceptsOnFixture(page);
  const gen = page.locator('section[aria-labelledby="gen-title"]');
  await gen.getByLabel('Negative prompt').fill('striped');
  const rows = page.locator('.concepts > li');
  const coverage = async () => Promise.all([0, 1].map((i) => rows.nth(i).getByLabel('mask coverage').textContent()));
  const before = await coverage();
  expect(before.every((c) => c !== '0%')).toBe(true);

  // the third concept makes the Generation panel throw: its boundary says so, in the panel's place
  await page.getByRole('button', { name: /Add concept/ }).click();
  const failed = page.getByRole('alert', { name: 'Generation (failed)' });
  await expect(failed).toContainText(`This panel stopped: ${FAULT}`);
  await expect(failed).toContainText('Your project is kept');
  await expect(gen).toHaveCount(0);

  // the other panels still work: edit a token, draw the third concept's mask, and the work of the first two is intact
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByLabel('Token')).toHaveValue('<circle1>');
  await expect(rows.nth(1).getByLabel('Token')).toHaveValue('<square1>');
  await rows.nth(2).getByLabel('Token').fill('<third1>');
  await rows.nth(2).getByLabel('Class word').fill('square');
  await rows.nth(2).getByRole('radio').check();
  await polygon(page, page.locator('.mask-canvas canvas').first(), [[0.3, 0.1], [0.7, 0.1], [0.7, 0.2], [0.3, 0.2]]);
  await expect(rows.nth(2).getByLabel('mask coverage')).not.toHaveText('0%');
  expect(await coverage()).toEqual(before);

  // with two concepts again, "Try again" brings the panel back with the settings the user had typed
  page.once('dialog', (d) => void d.accept());
  await rows.nth(2).getByRole('button', { name: 'Remove concept 3' }).click();
  await expect(rows).toHaveCount(2);
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(failed).toHaveCount(0);
  await expect(gen.getByLabel('Negative prompt')).toHaveValue('striped');
  await expect(rows.nth(0).getByLabel('Token')).toHaveValue('<circle1>');
  expect(await coverage()).toEqual(before);
  // React reports the caught render error on the console, never as an uncaught page error
  expect(errors).toEqual([]);
});

// The largest PNG the project's decoder accepts (MAX_PNG_PIXELS = 8192²) as the reference image: the browser decodes
// it (createImageBitmap, src/ui/canvas/decodeImage.ts), the studio downscales it to 2048 px a side and says so, and
// keeps working. The seconds it took are printed (one JSON line), not asserted. The image is one flat colour, so the
// file is small; the browser's bitmap is the full 8192² either way.
test('an 8192×8192 PNG reference is taken in, downscaled to 2048×2048 with a notice', async ({ page }) => {
  const side = Math.sqrt(MAX_PNG_PIXELS);
  const png = await encodePngAsync({ width: side, height: side, channels: 3, data: new Uint8Array(side * side * 3).fill(128) });
  await page.goto('/?ep=wasm');
  await expect(page.getByTestId('model-name')).toContainText(/demo model \(random weights|default model/, { timeout: 240_000 });
  const started = Date.now();
  await page.getByTestId('reference-input').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  await expect(page.getByRole('status').filter({ hasText: `"huge.png" is ${side}×${side}; it was downscaled to 2048×2048` })).toBeVisible();
  console.log(JSON.stringify({ e2e: 'reference PNG intake', side, fileBytes: png.length, secondsToNotice: (Date.now() - started) / 1000 }));
  await page.locator('.concepts > li').first().getByLabel('Token').fill('<big1>');
  await expect(page.locator('.concepts > li').first().getByLabel('Token')).toHaveValue('<big1>');
});
