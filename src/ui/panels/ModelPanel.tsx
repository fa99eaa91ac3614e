// Which model is loaded and which backend runs it (WebGPU adapter, or the wasm fallback and why), from the
// runtime's BackendInfo that app/ stored, folder / files pickers for one's own model (app/ loads it; any layout
// loadAnyModel reads), and the model kept in browser storage with "Forget cached model" (a store action).
// Reference: the studio's model panel, loading users' models, runtime/types.ts BackendInfo.
import { useEffect, useRef } from 'react';
import type { BackendPreference } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

/** "41 ms" / "3.2 ms" for a probe figure. */
function msText(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Both EPs' probe figures, and the switch (Auto = the faster measured one; persisted; re-opens the model). */
function BackendSwitch() {
  const backend = useStudio((s) => s.engine.backend);
  const preference = useStudio((s) => s.engine.backendPreference);
  const store = useStudioStore();
  const timings = backend?.timings ?? [];
  return (
    <div className="backend-switch">
      {timings.length > 0 && (
        <p className="hint" data-testid="backend-timings">
          One probe step (4 convolutions, 64 channels, 32×32):{' '}
          {timings.map((t) => `${t.ep === 'wasm' ? 'wasm' : t.isSoftware ? 'WebGPU (software adapter)' : 'WebGPU'} ${msText(t.ms)}`).join(' · ')}
        </p>
      )}
      <label className="inline">
        Run on
        <select aria-label="Backend" value={preference} onChange={(e) => void store.getState().chooseBackend(e.target.value as BackendPreference)}>
          <option value="auto">Auto (the faster measured)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">wasm (CPU)</option>
        </select>
      </label>
    </div>
  );
}

function BackendLine() {
  const backend = useStudio((s) => s.engine.backend);
  const error = useStudio((s) => s.engine.backendError);
  if (error) return <p className="notice error" role="alert">{error}</p>;
  if (!backend) return <p aria-busy="true">Detecting backend…</p>;
  const how = backend.choice === 'measured' ? ` · chosen by ${backend.reason}` : backend.choice === 'requested' ? ' · as you chose' : '';
  if (backend.ep === 'webgpu') {
    return (
      <p data-testid="backend">
        <span className={`badge ${backend.isSoftwareAdapter ? 'warn' : 'ok'}`}>{backend.isSoftwareAdapter ? 'WebGPU (software)' : 'WebGPU'}</span> {backend.adapter ?? 'unknown adapter'}
        {backend.hasShaderF16 === undefined ? '' : backend.hasShaderF16 ? ' · fp16 graphs (shader-f16)' : ' · fp32 graphs (no shader-f16)'}
        {how}
      </p>
    );
  }
  return (
    <p data-testid="backend">
      <span className={`badge ${backend.isFallback ? 'warn' : 'ok'}`}>{backend.isFallback ? 'wasm fallback' : backend.ep}</span> {backend.choice === 'measured' ? `chosen by ${backend.reason}` : backend.reason}
    </p>
  );
}

/** A hidden file input opened by a button; `isFolder` makes it a directory picker (webkitdirectory). */
function PickerButton({ label, inputLabel, testId, isFolder, accept, onPick }: { label: string; inputLabel: string; testId: string; isFolder: boolean; accept?: string; onPick: (files: File[]) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (isFolder) ref.current?.setAttribute('webkitdirectory', '');
  }, [isFolder]);
  return (
    <>
      <button type="button" onClick={() => ref.current?.click()}>{label}</button>
      <input
        ref={ref}
        type="file"
        multiple
        accept={accept}
        aria-label={inputLabel}
        className="visually-hidden"
        data-testid={testId}
        onChange={(e) => {
          onPick([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
    </>
  );
}

/** The project's model kept in browser storage (re-opened after a reload), and the control that removes it. */
function KeptModel() {
  const model = useStudio((s) => s.project.model);
  const store = useStudioStore();
  if (model.kind !== 'snapshot') return null;
  return (
    <p data-testid="kept-model">
      Kept in browser storage: {model.name} (re-opened after a reload).{' '}
      <button type="button" onClick={() => void store.getState().forgetCachedModel()}>Forget cached model</button>
    </p>
  );
}

/** "Load model folder…" (a directory) or "Load model files…" (e.g. a .safetensors plus vocab.json and merges.txt), both handed to `onLoadModel`. */
function LoadModel({ onLoadModel }: { onLoadModel: (files: File[]) => void }) {
  const notice = useStudio((s) => s.engine.modelNotice);
  return (
    <>
      <PickerButton label="Load model folder…" inputLabel="Model folder" testId="model-folder-input" isFolder onPick={onLoadModel} />
      <PickerButton label="Load model files…" inputLabel="Model files" testId="model-files-input" isFolder={false} accept=".safetensors,.json,.txt,.onnx,.ckpt,.pt,.pth,.bin" onPick={onLoadModel} />
      <p className="hint">
        A diffusers folder (model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/), an ONNX export folder (unet/model.onnx, …), or one
        SD 1.x .safetensors checkpoint on its own (the CLIP vocabulary ships with the studio; vocab.json and merges.txt picked with it are used instead).
      </p>
      {notice && (
        <p className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="model-notice">
          {notice.text}
        </p>
      )}
    </>
  );
}

/** What the model draws (model card) and, for a closed vocabulary, the words it knows (from its tokenizer). */
function ModelDescription() {
  const description = useStudio((s) => s.engine.modelDescription ?? null);
  const vocabulary = useStudio((s) => s.engine.tokenizer?.vocabulary);
  if (!description && !vocabulary) return null;
  return (
    <div className="model-description" data-testid="model-description">
      {description && <p className="hint">{description}</p>}
      {vocabulary && (
        <p className="hint">
          It knows only these words (its tokenizer): nouns {vocabulary.nouns.join(', ')}; colours {vocabulary.colours.join(', ')}; patterns {vocabulary.patterns.join(', ')}. Real subjects need your own SD 1.5 (Load model folder… below).
        </p>
      )}
    </div>
  );
}

export function ModelPanel({ onLoadModel }: { onLoadModel?: (files: File[]) => void }) {
  const modelName = useStudio((s) => s.engine.modelName);
  return (
    <section className="panel compact" aria-labelledby="model-title">
      <h2 id="model-title">Model</h2>
      <p data-testid="model-name">{modelName ?? 'No model is open yet: the default model opens at start, or load your own below.'}</p>
      <ModelDescription />
      <BackendLine />
      <BackendSwitch />
      <KeptModel />
      {onLoadModel && <LoadModel onLoadModel={onLoadModel} />}
    </section>
  );
}
