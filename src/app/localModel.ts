// Loading one's own model from a folder the user picks (diffusers layout: model_index.json, unet/, vae/, …): the
// files are read with progress, a fresh engine loads them in a new generation worker, and only when that succeeds
// does it replace the model in use. A refused folder (corrupt or missing file) leaves everything as it was.
// Reference: issue 7 §4, diffusion/loaders/browser.ts createFileListSource, workers/engineClient.ts.
import type { StudioStore } from '../state/index';
import { createFileListSource } from '../diffusion/loaders/browser';
import { createStudioEngine } from '../workers/engineClient';
import { reportEngine, runtimePreference } from './engine';
import type { EngineHandle } from './engine';

/** The picked folder's name (first segment of webkitRelativePath), else the first file's name. */
function folderName(files: readonly File[]): string {
  const first = files[0];
  if (!first) return 'model';
  const rel = first.webkitRelativePath;
  return rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : first.name;
}

async function readAll(files: readonly File[], label: string, onProgress: (done: number, total: number) => void): Promise<Record<string, Uint8Array>> {
  const src = createFileListSource(files, label);
  const paths = await src.list();
  const out: Record<string, Uint8Array> = {};
  for (const [i, path] of paths.entries()) {
    out[path] = await src.read(path);
    onProgress(i + 1, paths.length);
  }
  return out;
}

/** Reads `files` and switches the studio to that model; errors become the model notice, never exceptions. */
export async function loadLocalModel(store: StudioStore, handle: EngineHandle, files: readonly File[]): Promise<void> {
  const folder = folderName(files);
  const say = (kind: 'info' | 'error', text: string) => store.getState().setModelNotice({ kind, text });
  if (files.length === 0) return say('error', 'No files were picked: choose the model folder (the one with model_index.json).');
  try {
    const bytes = await readAll(files, folder, (done, total) => say('info', `Reading "${folder}": ${done}/${total} files…`));
    say('info', `Loading "${folder}"…`);
    const label = `${folder} (from this computer, for this session)`;
    const next = createStudioEngine({ baseUrl: `local:${folder}`, files: Object.keys(bytes), isDemo: false, label, bytes }, { prefer: runtimePreference() });
    await next;
    const previous = handle.ready;
    handle.ready = next;
    void previous.then((engine) => engine.dispose(), () => undefined);
    reportEngine(store, handle);
    say('info', `Loaded "${folder}". Reloading the page goes back to the default model.`);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    say('error', `Could not load the model in "${folder}": ${why}. The model in use did not change.`);
  }
}
