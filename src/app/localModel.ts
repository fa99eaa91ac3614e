// Loading one's own model from a folder or files the user picks (any layout loadAnyModel reads: diffusers folder,
// ONNX export, single .safetensors + tokenizer files): the files are read with progress, a fresh engine loads them
// in a new generation worker, and only when that succeeds does it replace the model in use. A refused model
// (corrupt or missing file, unsupported layout) leaves everything as it was.
// Reference: issue 7 §4, issue 8 item 1, diffusion/loaders/browser.ts createFileListSource, detect.ts, workers/engineClient.ts.
import type { StudioStore } from '../state/index';
import { createFileListSource } from '../diffusion/loaders/browser';
import { createStudioEngine } from '../workers/engineClient';
import { reportEngine, runtimePreference } from './engine';
import type { EngineHandle } from './engine';

/** The picked folder's name (first segment of webkitRelativePath); for loose files the weights file's name, else the first file's. */
function folderName(files: readonly File[]): string {
  const first = files[0];
  if (!first) return 'model';
  const rel = first.webkitRelativePath;
  if (rel.includes('/')) return rel.slice(0, rel.indexOf('/'));
  return (files.find((f) => /\.(safetensors|onnx|ckpt|pt|pth|bin)$/i.test(f.name)) ?? first).name;
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
  if (files.length === 0) return say('error', 'No files were picked: choose the model folder (diffusers or ONNX export), or a .safetensors checkpoint together with vocab.json and merges.txt.');
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
