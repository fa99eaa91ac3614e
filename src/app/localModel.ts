// Loading one's own model from a folder or files the user picks (any layout loadAnyModel reads: diffusers folder,
// ONNX export, single .safetensors + tokenizer files): the files are read with progress, a fresh engine loads them
// in a new generation worker, and only when that succeeds does it replace the model in use and get kept in browser
// storage (keptModel.ts) so a reload re-opens it. A refused model (corrupt or missing file, unsupported layout) leaves
// everything as it was.
// Reference: the studio's model panel, loading users' models, diffusion/loaders/browser.ts createFileListSource, detect.ts, workers/engineClient.ts.
import { describeErrorSentence } from '../lib/errors';
import { modelSwitchNotice } from '../state/index';
import type { StudioStore } from '../state/index';
import { createFileListSource } from '../diffusion/index';
import { createStudioEngine } from '../workers/engineClient';
import { reportEngine, runtimeChoice } from './engine';
import type { EngineHandle } from './engine';
import { keepModel, localChoice, readAllFiles } from './keptModel';
import type { ModelShelf } from './keptModel';

/** The picked folder's name (first segment of webkitRelativePath); for loose files the weights file's name, else the first file's. */
function folderName(files: readonly File[]): string {
  const first = files[0];
  if (!first) return 'model';
  const rel = first.webkitRelativePath;
  if (rel.includes('/')) return rel.slice(0, rel.indexOf('/'));
  return (files.find((f) => /\.(safetensors|onnx|ckpt|pt|pth|bin)$/i.test(f.name)) ?? first).name;
}

/** Reads `files`, switches the studio to that model and keeps it on `shelf`; errors become the model notice, never exceptions. */
export async function loadLocalModel(store: StudioStore, handle: EngineHandle, shelf: ModelShelf, files: readonly File[]): Promise<void> {
  const folder = folderName(files);
  const say = (kind: 'info' | 'error', text: string) => store.getState().setModelNotice({ kind, text });
  if (files.length === 0) return say('error', 'No files were picked: choose the model folder (diffusers or ONNX export), or a .safetensors checkpoint together with vocab.json and merges.txt.');
  try {
    const bytes = await readAllFiles(createFileListSource(files, folder), (done, total) => say('info', `Reading "${folder}": ${done}/${total} files…`));
    say('info', `Loading "${folder}"…`);
    const next = createStudioEngine(localChoice(folder, bytes), runtimeChoice());
    const engine = await next;
    const previous = handle.ready;
    handle.ready = next;
    void previous.then((engine) => engine.dispose(), () => undefined);
    const before = store.getState();
    const switched = modelSwitchNotice({ modelName: before.engine.modelName, learnedTokens: before.training.learnedTokens }, { modelName: engine.modelName, learnedTokens: engine.learnedTokens });
    reportEngine(store, handle);
    say('info', `Loaded "${folder}". ${await keepModel(store, shelf, folder, bytes, say)}${switched ? ` ${switched.text}` : ''}`);
  } catch (e) {
    say('error', `Could not load the model in "${folder}": ${describeErrorSentence(e)} The model in use did not change.`);
  }
}
