// Which model folder the studio page loads and what the page reads of it itself: public/models/default/ when it is
// served, else the random-weight demo folder; the folder as a FileSource (URLs or the bytes of a picked folder), its
// tokenizer (the page's own copy, for the concepts panel and the token counter) and its model card's first
// paragraph. Main thread only (fetch). Reference: src/app/CONTEXT.md (model choice), engineClient.ts.
import { MemoryFileSource, readTokenizer } from '../diffusion/index';
import type { FileSource, Tokenizer } from '../diffusion/index';
import { fetchModelFile } from './fetchModelFile';

/** The files of a diffusers SD 1.x folder with a CLIP tokenizer (a folder may list its own in files.json). */
export const FOLDER_FILES = [
  'model_index.json', 'scheduler/scheduler_config.json', 'text_encoder/config.json', 'text_encoder/model.safetensors',
  'tokenizer/vocab.json', 'tokenizer/merges.txt', 'tokenizer/tokenizer_config.json', 'unet/config.json',
  'unet/diffusion_pytorch_model.safetensors', 'vae/config.json', 'vae/diffusion_pytorch_model.safetensors',
];

/** Where the model comes from: URLs under `baseUrl`, or (a model the user picked) `bytes` by path, `baseUrl` then only names it. */
export type ModelChoice = { baseUrl: string; files: string[]; isDemo: boolean; label: string; bytes?: Record<string, Uint8Array> };

export const DEMO_LABEL = 'demo model (random weights, for tests: it draws noise)';

async function folderFiles(baseUrl: string): Promise<string[] | undefined> {
  const index = await fetch(`${baseUrl}/model_index.json`).catch(() => undefined);
  if (!index?.ok || !(index.headers.get('content-type') ?? '').includes('json')) return undefined;
  const listed = await fetch(`${baseUrl}/files.json`).catch(() => undefined);
  if (listed?.ok && (listed.headers.get('content-type') ?? '').includes('json')) return (await listed.json()) as string[];
  return FOLDER_FILES;
}

/** public/models/default/ when it has a model_index.json, else public/models/demo/. */
export async function chooseModel(root = `${import.meta.env.BASE_URL}models`, prefer: 'default' | 'demo' = 'default'): Promise<ModelChoice> {
  const base = `${root.replace(/\/$/, '')}/default`;
  const files = prefer === 'demo' ? undefined : await folderFiles(base);
  if (files) return { baseUrl: base, files, isDemo: false, label: 'default model (public/models/default)' };
  return { baseUrl: `${root.replace(/\/$/, '')}/demo`, files: FOLDER_FILES, isDemo: true, label: DEMO_LABEL };
}

function choiceSource(c: ModelChoice): FileSource {
  if (c.bytes) return new MemoryFileSource(new Map(Object.entries(c.bytes)), c.label);
  return { label: c.baseUrl, list: async () => [...c.files], read: (p) => fetchModelFile(`${c.baseUrl}/${p}`) };
}

/** The model's tokenizer for the page: tokenizer/ of a folder or export, else vocab.json (+ merges.txt) at the top (a single-file checkpoint). */
export async function studioTokenizer(c: ModelChoice): Promise<Tokenizer> {
  const src = choiceSource(c);
  const files = new Set(c.files);
  if (files.has('tokenizer/vocab.json') || !files.has('vocab.json')) return readTokenizer(src, files);
  const view: FileSource = { label: src.label, list: src.list.bind(src), read: (p) => src.read(p.replace(/^tokenizer\//, '')) };
  return readTokenizer(view, new Set(c.files.map((f) => `tokenizer/${f}`)));
}

/** The first paragraph of a model card (markdown): what the model draws, in plain text; null without one. */
export function cardSummary(markdown: string): string | null {
  const para = markdown.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p && !p.startsWith('#'));
  if (!para) return null;
  return para.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '').replace(/\s+/g, ' ');
}

/** The summary of the choice's MODEL_CARD.md (a picked folder: or README.md); null when it has none or it cannot be read. */
export async function readCard(c: ModelChoice): Promise<string | null> {
  try {
    const bytes = c.bytes ? c.bytes['MODEL_CARD.md'] ?? c.bytes['README.md'] : await fetch(`${c.baseUrl}/MODEL_CARD.md`).then((r) => (r.ok && !(r.headers.get('content-type') ?? '').includes('html') ? r.arrayBuffer().then((b) => new Uint8Array(b)) : undefined));
    return bytes ? cardSummary(new TextDecoder().decode(bytes)) : null;
  } catch {
    return null;
  }
}
