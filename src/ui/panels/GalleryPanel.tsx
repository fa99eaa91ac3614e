// The gallery: every generated image kept in this browser (it survives reloads), newest first, each with its
// prompt, seed and settings, the PNG's infotext, and Download / Use settings / Delete (asks once). A click on an
// image opens it at full size. Renders store state and calls store actions only. Reference: state/gallery.ts.
import { useState } from 'react';
import { galleryFileName } from '../../state/index';
import type { GalleryItem } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';

function GalleryCard({ item, onOpen }: { item: GalleryItem; onOpen: () => void }) {
  const s = useStudioStore().getState();
  const [isAsking, setAsking] = useState(false);
  return (
    <figure className="gallery-item">
      <button type="button" className="thumb" onClick={onOpen} aria-label={`Open image seed ${item.seed} full size`}>
        <img src={item.dataUrl} alt={item.prompt} width={160} height={160} />
      </button>
      <figcaption>
        <span className="prompt">{item.prompt}</span>
        <span className="hint">seed {item.seed} · {item.steps} steps · {item.sampler} · CFG {item.guidance} · {item.width}×{item.height}</span>
        {item.infotext && (
          <details>
            <summary>Infotext</summary>
            <pre className="infotext">{item.infotext}</pre>
          </details>
        )}
        <span className="actions">
          <a href={item.dataUrl} download={galleryFileName(item)}>Download</a>
          <button type="button" onClick={() => s.reuseGalleryItem(item.id)}>Use settings</button>
          {isAsking ? (
            <>
              <button type="button" onClick={() => void s.deleteGalleryItem(item.id)}>Delete it</button>
              <button type="button" onClick={() => setAsking(false)}>Keep</button>
            </>
          ) : (
            <button type="button" onClick={() => setAsking(true)} aria-label={`Delete image seed ${item.seed}`}>Delete</button>
          )}
        </span>
      </figcaption>
    </figure>
  );
}

export function GalleryPanel() {
  const items = useStudio((st) => st.gallery.items);
  const notice = useStudio((st) => st.gallery.notice);
  const [open, setOpen] = useState<GalleryItem | null>(null);
  return (
    <section className="panel" aria-labelledby="gallery-title">
      <h2 id="gallery-title">Gallery ({items.length})</h2>
      {notice && <p role="alert" className="warning">{notice}</p>}
      {items.length === 0 ? <p className="hint">Generated images are kept here, with their settings, across reloads.</p> : (
        <div className="gallery" role="list" aria-label="Generated images">
          {items.map((i) => <div role="listitem" key={i.id}><GalleryCard item={i} onOpen={() => setOpen(i)} /></div>)}
        </div>
      )}
      {open && (
        <div className="viewer" role="dialog" aria-label="Image viewer" onClick={() => setOpen(null)} onKeyDown={(e) => e.key === 'Escape' && setOpen(null)}>
          <img src={open.dataUrl} alt={open.prompt} />
          <p>{open.prompt} · seed {open.seed}</p>
          <button type="button" autoFocus onClick={() => setOpen(null)}>Close</button>
        </div>
      )}
    </section>
  );
}
