// The gallery (src/state/gallery.ts, gallerySlice): each generated image is kept with its settings and infotext,
// survives a new store on the same storage (a reload), can be deleted (and stays deleted after a reload), puts its
// settings back, drops the oldest past MAX_GALLERY, and a damaged stored item is skipped and named.
import { describe, expect, it } from 'vitest';
import { createStudioStore, GALLERY_INDEX_KEY, galleryFileName, MAX_GALLERY, memoryStorage } from '../../src/state/index';
import type { EnginePort, GenerateRequest, StoragePort } from '../../src/state/index';
import { galleryItemKey } from '../../src/state/gallery';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function engine(seen: GenerateRequest[]): EnginePort {
  return {
    modelName: 'fake', samplers: ['DDIM'], train: () => Promise.reject(new Error('not used')),
    generate: async (req) => (seen.push(req), Array.from({ length: req.batch }, (_, i) => ({ dataUrl: PNG, seed: req.seed + i, width: req.width, height: req.height, infotext: `${req.prompt}\nSteps: ${req.steps}, Seed: ${req.seed + i}` }))),
  };
}

let tick = 0;
const store = (storage: StoragePort, seen: GenerateRequest[] = []) => createStudioStore({ engine: engine(seen), storage, now: () => new Date(Date.UTC(2026, 11, 7, 20, 0, tick++)) });

describe('the gallery', () => {
  it('keeps each image with its settings and infotext, and has it back after a reload', async () => {
    const storage = memoryStorage();
    const a = store(storage);
    a.getState().updateGeneration({ prompt: 'a <c1> star', negativePrompt: 'blur', seed: 5, isSeedLocked: true, steps: 7, guidance: 3, sampler: 'Euler a', batch: 2, size: 64 });
    await a.getState().generate();
    await Promise.resolve();
    const items = a.getState().gallery.items;
    expect(items.map((i) => [i.prompt, i.seed, i.steps, i.sampler, i.guidance, i.width, i.negativePrompt])).toEqual([
      ['a <c1> star', 5, 7, 'Euler a', 3, 64, 'blur'],
      ['a <c1> star', 6, 7, 'Euler a', 3, 64, 'blur'],
    ]);
    expect(items[1]!.infotext).toBe('a <c1> star\nSteps: 7, Seed: 6');
    const b = store(storage);
    await b.getState().restoreGallery();
    expect(b.getState().gallery.items).toEqual(items);
    expect(galleryFileName(items[0]!)).toBe('disenstudio-5-a-c1-star.png');
  });

  it('deletes an item for good and puts an item\'s settings back with the seed locked', async () => {
    const storage = memoryStorage();
    const a = store(storage);
    a.getState().updateGeneration({ prompt: 'one', seed: 1, isSeedLocked: true, size: 64 });
    await a.getState().generate();
    a.getState().updateGeneration({ prompt: 'two', seed: 2, steps: 9 });
    await a.getState().generate();
    await new Promise((r) => setTimeout(r, 0));
    const [two, one] = a.getState().gallery.items;
    await a.getState().deleteGalleryItem(two!.id);
    expect(storage.data.has(galleryItemKey(two!.id))).toBe(false);
    const b = store(storage);
    await b.getState().restoreGallery();
    expect(b.getState().gallery.items.map((i) => i.prompt)).toEqual(['one']);
    b.getState().updateGeneration({ prompt: 'other', seed: 77, isSeedLocked: false, steps: 30 });
    b.getState().reuseGalleryItem(one!.id);
    expect(b.getState().generation.settings).toMatchObject({ prompt: 'one', seed: 1, isSeedLocked: true, steps: one!.steps });
  });

  it('drops the oldest past MAX_GALLERY, from storage too', async () => {
    const storage = memoryStorage();
    const a = store(storage);
    a.getState().updateGeneration({ prompt: 'p', seed: 1, isSeedLocked: true, size: 64 });
    for (let k = 0; k <= MAX_GALLERY; k++) await a.getState().keepInGallery([{ dataUrl: PNG, seed: k, width: 64, height: 64 }], { prompt: `p${k}`, expandedPrompt: 'p', negativePrompt: '', seed: k, steps: 1, guidance: 1, sampler: 'DDIM', batch: 1, width: 64, height: 64 });
    const items = a.getState().gallery.items;
    expect(items).toHaveLength(MAX_GALLERY);
    expect(items[0]!.prompt).toBe(`p${MAX_GALLERY}`);
    expect(items.some((i) => i.prompt === 'p0')).toBe(false);
    expect([...storage.data.keys()].filter((k) => k.startsWith('gallery/item/'))).toHaveLength(MAX_GALLERY);
  });

  it('skips a damaged stored item, names it, and keeps the others', async () => {
    const storage = memoryStorage();
    const a = store(storage);
    a.getState().updateGeneration({ prompt: 'fine', seed: 3, isSeedLocked: true, size: 64 });
    await a.getState().generate();
    await new Promise((r) => setTimeout(r, 0));
    const id = a.getState().gallery.items[0]!.id;
    await storage.set(GALLERY_INDEX_KEY, JSON.stringify(['bad', id]));
    await storage.set(galleryItemKey('bad'), JSON.stringify({ ...a.getState().gallery.items[0], id: 'bad', dataUrl: 'javascript:alert(1)' }));
    const b = store(storage);
    await b.getState().restoreGallery();
    expect(b.getState().gallery.items.map((i) => i.id)).toEqual([id]);
    expect(b.getState().gallery.notice).toMatch(/Skipped 1 damaged gallery item \(bad: .*dataUrl.*PNG data URL/);
  });
});
