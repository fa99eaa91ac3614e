// Which model is loaded and which backend runs it (WebGPU adapter, or the wasm fallback and why), from the
// runtime's BackendInfo that app/ stored, and a folder picker for one's own model (app/ loads it). Reference: issue 7 §4, runtime/types.ts BackendInfo.
import { useEffect, useRef } from 'react';
import { useStudio } from '../hooks/useStudio';

function BackendLine() {
  const backend = useStudio((s) => s.engine.backend);
  const error = useStudio((s) => s.engine.backendError);
  if (error) return <p className="notice error" role="alert">Backend detection failed: {error}</p>;
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

/** "Load model folder…": a directory picker (webkitdirectory) handing the folder's files to `onLoadModel`. */
function LoadModelFolder({ onLoadModel }: { onLoadModel: (files: File[]) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const notice = useStudio((s) => s.engine.modelNotice);
  useEffect(() => ref.current?.setAttribute('webkitdirectory', ''), []);
  return (
    <>
      <button type="button" onClick={() => ref.current?.click()}>Load model folder…</button>
      <input
        ref={ref}
        type="file"
        multiple
        aria-label="Model folder"
        className="visually-hidden"
        data-testid="model-folder-input"
        onChange={(e) => {
          onLoadModel([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      <p className="hint">A diffusers folder (model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/).</p>
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
      <p data-testid="model-name">{modelName ?? 'No model loaded — the engine is not available yet (issue 4/6).'}</p>
      <BackendLine />
      {onLoadModel && <LoadModelFolder onLoadModel={onLoadModel} />}
    </section>
  );
}
