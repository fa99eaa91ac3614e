// Gallery slice: keeps every generated image in storage (one key per item plus an index, gallery.ts), restores them
// after a reload, deletes one, and puts an item's settings back into the generation panel. Storage failures become
// the gallery's notice, never an exception; a damaged item is skipped and named. Reference: the studio's generation panel.
import { describeError } from '../../lib/errors';
import { GALLERY_INDEX_KEY, galleryItemKey, galleryItems, MAX_GALLERY, parseGalleryIndex, parseGalleryItem } from '../gallery';
import type { GalleryItem } from '../gallery';
import type { GeneratedImage, GenerateRequest } from '../ports';
import type { SliceContext } from './sliceTypes';

export type GalleryActions = {
  /** adds one generation's images (newest first) and stores them */
  keepInGallery(images: readonly GeneratedImage[], request: GenerateRequest): Promise<void>;
  /** reads the stored gallery back (after a reload) */
  restoreGallery(): Promise<void>;
  deleteGalleryItem(id: string): Promise<void>;
  /** the item's prompt, negative prompt, seed (locked), steps, guidance, sampler and size into the generation settings */
  reuseGalleryItem(id: string): void;
};

export function createGallerySlice({ set, get, deps }: SliceContext): GalleryActions {
  const setGallery = (items: readonly GalleryItem[], notice: string | null): void => set(() => ({ gallery: { items, notice } }));
  const writeIndex = (items: readonly GalleryItem[]): Promise<void> => deps.storage?.set(GALLERY_INDEX_KEY, JSON.stringify(items.map((i) => i.id))) ?? Promise.resolve();
  return {
    async keepInGallery(images, request) {
      const added = galleryItems(images, request, (deps.now ?? (() => new Date()))());
      const all = [...added, ...get().gallery.items];
      const items = all.slice(0, MAX_GALLERY);
      setGallery(items, null);
      if (!deps.storage) return;
      try {
        for (const item of added) await deps.storage.set(galleryItemKey(item.id), JSON.stringify(item));
        await writeIndex(items);
        for (const old of all.slice(MAX_GALLERY)) await deps.storage.delete(galleryItemKey(old.id));
      } catch (e) {
        setGallery(get().gallery.items, `The gallery could not be saved in this browser (${describeError(e)}); download the images to keep them.`);
      }
    },
    async restoreGallery() {
      if (!deps.storage) return;
      try {
        const ids = parseGalleryIndex(await deps.storage.get(GALLERY_INDEX_KEY));
        const items: GalleryItem[] = [];
        const skipped: string[] = [];
        for (const id of ids) {
          const text = await deps.storage.get(galleryItemKey(id));
          try {
            if (text !== undefined) items.push(parseGalleryItem(text));
          } catch (e) {
            skipped.push(`${id}: ${describeError(e)}`);
          }
        }
        const fresh = get().gallery.items.filter((i) => !ids.includes(i.id));
        setGallery([...fresh, ...items].slice(0, MAX_GALLERY), skipped.length ? `Skipped ${skipped.length} damaged gallery item${skipped.length === 1 ? '' : 's'} (${skipped[0]}).` : null);
      } catch (e) {
        setGallery(get().gallery.items, `The gallery could not be read from this browser's storage: ${describeError(e)}.`);
      }
    },
    async deleteGalleryItem(id) {
      const items = get().gallery.items.filter((i) => i.id !== id);
      setGallery(items, null);
      try {
        await deps.storage?.delete(galleryItemKey(id));
        await writeIndex(items);
      } catch (e) {
        setGallery(items, `Removed here, but storage did not forget it (${describeError(e)}); it may come back after a reload.`);
      }
    },
    reuseGalleryItem(id) {
      const i = get().gallery.items.find((x) => x.id === id);
      if (!i) return;
      get().updateGeneration({ prompt: i.prompt, negativePrompt: i.negativePrompt, seed: i.seed, isSeedLocked: true, steps: i.steps, guidance: i.guidance, sampler: i.sampler, ...(i.width === i.height ? { size: i.width } : {}) });
    },
  };
}
