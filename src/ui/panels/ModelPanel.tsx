// Which model is loaded and which backend runs it (WebGPU adapter, or the wasm fallback and why), from the
// runtime's BackendInfo that app/ stored. Display only. Reference: issue 7 §4, runtime/types.ts BackendInfo.
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

export function ModelPanel() {
  const modelName = useStudio((s) => s.engine.modelName);
  return (
    <section className="panel compact" aria-labelledby="model-title">
      <h2 id="model-title">Model</h2>
      <p data-testid="model-name">{modelName ?? 'No model loaded — the engine is not available yet (issue 4/6).'}</p>
      <BackendLine />
    </section>
  );
}
