// The generation panel's LoRA and embedding list: add `.safetensors` files (picker or drop), each row with its name
// (the file stem), kind, size, modules matched / unknown keys or an embedding's trigger and vectors, a strength
// slider per LoRA (NETWORK_LIMITS), on/off and remove. Calls store actions only. Reference: state/slices/networksSlice.ts.
import { useState } from 'react';
import type { DragEvent } from 'react';
import { formatBytes, NETWORK_LIMITS as NL } from '../../state/index';
import type { NetworkItem } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

/** The files of a pick or a drop, as bytes (non-PNG files only: a PNG dropped on the panel carries settings). */
async function readFiles(list: FileList | null): Promise<{ name: string; bytes: Uint8Array }[]> {
  const files = [...(list ?? [])].filter((f) => !/\.png$/i.test(f.name));
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

function facts(n: NetworkItem): string {
  const size = formatBytes(n.size);
  if (n.kind === 'embedding') return `embedding · ${size} · trigger "${n.trigger ?? n.name}" · ${n.vectors ?? 1} vector${n.vectors === 1 ? '' : 's'}`;
  const unknown = n.unknownKeys ? ` · ${n.unknownKeys} unknown key${n.unknownKeys === 1 ? '' : 's'} (first: ${n.firstUnknownKey ?? '?'})` : '';
  return `LoRA · ${size} · ${n.modules ?? 0} module${n.modules === 1 ? '' : 's'} matched${unknown}`;
}

function NetworkRow({ item, disabled }: { item: NetworkItem; disabled: boolean }) {
  const s = useStudioStore().getState();
  return (
    <li aria-label={`${item.kind === 'lora' ? 'LoRA' : 'Embedding'} ${item.name}`}>
      <label className="inline">
        <input type="checkbox" checked={item.isEnabled} disabled={disabled} onChange={(e) => s.setNetworkEnabled(item.id, e.target.checked)} />
        <strong>{item.name}</strong>
      </label>
      <button type="button" disabled={disabled} onClick={() => void s.removeNetwork(item.id)} aria-label={`Remove ${item.name}`}>Remove</button>
      <span className="facts" title={`${item.fileName}, A1111 short hash ${item.hash}`}>{facts(item)}</span>
      {item.kind === 'lora' && (
        <span className="strength">
          <input
            type="range"
            aria-label={`Strength of ${item.name}`}
            min={NL.strength.min}
            max={NL.strength.max}
            step={NL.strength.step}
            value={item.strength}
            disabled={disabled || !item.isEnabled}
            onChange={(e) => s.setNetworkStrength(item.id, Number(e.target.value))}
          />
          <output>{item.strength.toFixed(2)}</output>
        </span>
      )}
    </li>
  );
}

export function NetworksPanel({ disabled }: { disabled: boolean }) {
  const s = useStudioStore().getState();
  const nets = useStudio((st) => st.networks);
  const [isOver, setOver] = useState(false);
  const add = async (list: FileList | null): Promise<void> => {
    const files = await readFiles(list);
    if (files.length) await s.addNetworkFiles(files);
  };
  const onDrop = (e: DragEvent): void => {
    setOver(false);
    if (![...e.dataTransfer.files].some((f) => !/\.png$/i.test(f.name))) return; // a PNG goes on to the panel's settings drop
    e.preventDefault();
    e.stopPropagation();
    void add(e.dataTransfer.files);
  };
  return (
    <fieldset className={`networks${isOver ? ' drop-target' : ''}`} aria-label="LoRAs and embeddings" onDragOver={(e) => (e.preventDefault(), setOver(true))} onDragLeave={() => setOver(false)} onDrop={onDrop}>
      <legend>LoRAs and embeddings</legend>
      <label>
        Add LoRA / embedding files (.safetensors, or drop them here)
        <input type="file" multiple accept=".safetensors,.pt,.bin,.ckpt" data-testid="network-input" disabled={disabled || nets.isAdding} onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} />
      </label>
      {nets.isAdding && <p className="hint" role="status">Reading files…</p>}
      {nets.notice && <p className={`notice ${nets.notice.kind}`} role={nets.notice.kind === 'error' ? 'alert' : 'status'} data-testid="network-notice">{nets.notice.text}</p>}
      {nets.items.length > 0 ? (
        <ul aria-label="LoRA and embedding files">
          {nets.items.map((n) => <NetworkRow key={n.id} item={n} disabled={disabled} />)}
        </ul>
      ) : (
        <p className="hint">None yet. A prompt's {'<lora:name:0.8>'} uses the file of that name at that strength.</p>
      )}
    </fieldset>
  );
}
