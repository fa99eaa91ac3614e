// Project header: autosave status, export to a .json file (image inlined) or to a .zip that also carries the trained
// concept packs in use, and import of either (a confirmation first when the current project holds work).
// Calls store actions; the download uses a Blob URL. Reference: the studio's persistence and export.
import { useRef } from 'react';
import { selectHasWork } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

const SAVE_TEXT = { idle: 'Not saved yet', pending: 'Unsaved changes…', saving: 'Saving…', saved: 'Saved in this browser', error: 'Not saved' } as const;

function download(data: string | Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ProjectBar() {
  const store = useStudioStore();
  const persistence = useStudio((s) => s.persistence);
  const input = useRef<HTMLInputElement>(null);
  const exportArchive = async (): Promise<void> => {
    const bytes = await store.getState().exportProjectArchive();
    if (bytes) download(bytes, 'disenstudio-project.zip', 'application/zip');
  };
  const pick = (): void => {
    if (selectHasWork(store.getState()) && !window.confirm('Importing replaces the current project (reference image, concepts, masks and settings). Export it first to keep a copy. Replace it?')) return;
    input.current?.click();
  };
  return (
    <div className="project-bar">
      <span className={`save ${persistence.saveStatus}`} role="status" data-testid="save-status">{SAVE_TEXT[persistence.saveStatus]}</span>
      {persistence.persistenceMessage && (
        <span className={persistence.saveStatus === 'error' ? 'notice error inline-notice' : 'inline-notice'} role={persistence.saveStatus === 'error' ? 'alert' : 'status'}>
          {persistence.persistenceMessage}
        </span>
      )}
      {persistence.importError && <span className="notice error inline-notice" role="alert">{persistence.importError}</span>}
      <button type="button" onClick={() => download(store.getState().exportProject(), 'disenstudio-project.json', 'application/json')}>Export project</button>
      <button type="button" onClick={() => void exportArchive()} title="A .zip with the project and the trained concept packs in use, so the concepts are usable after an import elsewhere">Export with trained concepts</button>
      <button type="button" onClick={pick}>Import project…</button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json,application/zip,.zip"
        className="visually-hidden"
        aria-label="Project file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) await store.getState().importProjectFile(file.name, new Uint8Array(await file.arrayBuffer()));
        }}
      />
    </div>
  );
}
