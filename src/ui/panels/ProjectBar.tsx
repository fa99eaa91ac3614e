// Project header: autosave status, export to a .json file (image inlined) and import from one.
// Calls store actions; the download uses a Blob URL. Reference: the studio's persistence and export.
import { useRef } from 'react';
import { useStudio, useStudioStore } from '../hooks/useStudio';

const SAVE_TEXT = { idle: 'Not saved yet', pending: 'Unsaved changes…', saving: 'Saving…', saved: 'Saved in this browser', error: 'Not saved' } as const;

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
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
  return (
    <div className="project-bar">
      <span className={`save ${persistence.saveStatus}`} role="status" data-testid="save-status">{SAVE_TEXT[persistence.saveStatus]}</span>
      {persistence.persistenceMessage && (
        <span className={persistence.saveStatus === 'error' ? 'notice error inline-notice' : 'inline-notice'} role={persistence.saveStatus === 'error' ? 'alert' : 'status'}>
          {persistence.persistenceMessage}
        </span>
      )}
      {persistence.importError && <span className="notice error inline-notice" role="alert">{persistence.importError}</span>}
      <button type="button" onClick={() => download(store.getState().exportProject(), 'disenstudio-project.json')}>Export project</button>
      <button type="button" onClick={() => input.current?.click()}>Import project…</button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        aria-label="Project file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) store.getState().importProject(await file.text());
        }}
      />
    </div>
  );
}
