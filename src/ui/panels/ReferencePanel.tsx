// Reference image intake (drop, pick, paste) with clear refusals, and the movable crop box (pointer or
// arrow keys) that chooses the training square. Calls store actions only. Reference: the studio's reference image.
import { useEffect, useRef } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { ACCEPTED_FORMATS } from '../../state/index';
import type { StudioStore } from '../../state/index';
import { ImageIntakeError, readImageFile } from '../canvas/decodeImage';
import { useStudio, useStudioStore } from '../hooks/useStudio';

const THUMB = 280;

async function intake(store: StudioStore, file: File | null | undefined): Promise<void> {
  if (!file) return;
  try {
    store.getState().setReference(await readImageFile(file, file.name || 'pasted image'));
  } catch (e) {
    store.getState().rejectReference(e instanceof ImageIntakeError ? e.message : `Could not read "${file.name}": ${String(e)}`);
  }
}

function CropBox() {
  const store = useStudioStore();
  const ref = useStudio((s) => s.project.reference);
  const drag = useRef<{ x: number; y: number; cx: number; cy: number } | null>(null);
  if (!ref) return null;
  const k = THUMB / Math.max(ref.width, ref.height);
  const { crop } = ref;
  const onDown = (e: PointerEvent<HTMLDivElement>): void => {
    e.currentTarget.setPointerCapture?.(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, cx: crop.x, cy: crop.y };
  };
  const onMove = (e: PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (d) store.getState().moveCrop(d.cx + (e.clientX - d.x) / k, d.cy + (e.clientY - d.y) / k);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 64 : 8;
    const delta: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const d = delta[e.key];
    if (!d) return;
    e.preventDefault();
    store.getState().moveCrop(crop.x + d[0], crop.y + d[1]);
  };
  return (
    <div className="crop-frame" style={{ width: ref.width * k, height: ref.height * k }}>
      <img src={ref.dataUrl} alt={`Reference image ${ref.name}`} width={ref.width * k} height={ref.height * k} draggable={false} />
      <div
        className="crop-box"
        tabIndex={0}
        role="group"
        aria-label={`Crop box at x ${crop.x}, y ${crop.y}, ${crop.size} px square. Arrow keys move it (Shift: faster).`}
        style={{ left: crop.x * k, top: crop.y * k, width: crop.size * k, height: crop.size * k }}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={() => (drag.current = null)}
        onKeyDown={onKey}
      />
    </div>
  );
}

export function ReferencePanel() {
  const store = useStudioStore();
  const notice = useStudio((s) => s.project.referenceNotice);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onPaste = (e: ClipboardEvent): void => {
      const file = Array.from(e.clipboardData?.files ?? [])[0];
      if (file) void intake(store, file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [store]);
  return (
    <section className="panel" aria-labelledby="ref-title">
      <h2 id="ref-title">Reference image</h2>
      <div
        className="dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void intake(store, e.dataTransfer.files[0]);
        }}
      >
        <p>Drop an image here, paste one, or</p>
        <button type="button" onClick={() => input.current?.click()}>Choose image…</button>{' '}
        <button type="button" onClick={() => void store.getState().openExample()}>Open example project</button>
        <input
          ref={input}
          type="file"
          accept="image/*"
          aria-label="Reference image file"
          className="visually-hidden"
          data-testid="reference-input"
          onChange={(e) => {
            void intake(store, e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <p className="hint">{ACCEPTED_FORMATS}; large images are downscaled.</p>
      </div>
      {notice && (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          {notice.offer === 'clear-masks' && (
            <>
              <button type="button" onClick={() => (store.getState().clearAllLayers(), store.getState().dismissNotice())}>Clear all masks</button>
              <button type="button" onClick={() => store.getState().dismissNotice()}>Keep masks</button>
            </>
          )}
          <button type="button" className="link" onClick={() => store.getState().dismissNotice()} aria-label="Dismiss message">×</button>
        </div>
      )}
      <CropBox />
    </section>
  );
}
