// Which model is loaded and which backend runs it (WebGPU adapter, or the wasm fallback and why), from the
// runtime's BackendInfo that app/ stored, folder / files pickers for one's own model (app/ loads it; any layout
// loadAnyModel reads), and the model kept in browser storage with "Forget cached model" (a store action).
// Reference: the studio's model panel, loading users' models, runtime/types.ts BackendInfo.
import { useEffect, useRef } from 'react';
import { useStudio, useStudioStore } from '../hooks/useStudio';

function BackendLine() {
  const backend = useStudio((s) => s.engine.backend);
  const error = useStudio((s) => s.engine.backendError);
  if (error) return <p className="notice error" role="alert">{error}</p>;
  if (!backend) return <p aria-busy="true">Detecting backend…</p>;
  if (backend.ep === 'webgpu') {
    return (
      <p data-testid="backend">
        <span className="badge ok">WebGPU</span> {backend.adapter ?? 'unknown adapter'}
        {backend.hasShaderF16 === undefined ? '' : backend.hasShaderF16 ? ' · fp16 graphs (shader-f16)' : ' · fp32 graphs (no shader-f16)'}
      </p>
    );
  }
  return (
    <p data-testid="backend">
      <span className={`badge ${backend.isFallback ? 'warn' : 'ok'}`}>{backend.isFallback ? 'wasm fallback' : backend.ep}</span> {backend.reason}
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
        SD 1.x .safetensors checkpoint picked together with the CLIP tokenizer files vocab.json and merges.txt.
      </p>
      {notice && (
        <p className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="model-notice">
          {notice.text}
        </p>
      )}
    </>
  );
}

export function ModelPanel({ onLoadModel }: { onLoadModel?: (files: File[]) => void }) {
  const modelName = useStudio((s) => s.engine.modelName);
  return (
    <section className="panel compact" aria-labelledby="model-title">
      <h2 id="model-title">Model</h2>
      <p data-testid="model-name">{modelName ?? 'No model is open yet: the default model opens at start, or load your own below.'}</p>
      <BackendLine />
      <KeptModel />
      {onLoadModel && <LoadModel onLoadModel={onLoadModel} />}
    </section>
  );
}
