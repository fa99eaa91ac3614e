// One model file over HTTP for the workers and the engine client: a refused or dropped connection and a non-2xx
// answer both become a StudioError('asset') that names the file and says what to do, instead of the browser's bare
// "TypeError: Failed to fetch". Pure apart from the `fetch` it is given.
import { CLIP_VOCABULARY_PATH } from '../diffusion/index';
import { describeError, StudioError } from '../lib/errors';

/**
 * Downloads `url` as bytes.
 * @param fetchImpl the fetch to use (default globalThis.fetch; tests pass a fake)
 * @throws StudioError('asset') when the server cannot be reached or answers other than 2xx
 */
export async function fetchModelFile(url: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<Uint8Array> {
  let r: Response;
  try {
    r = await fetchImpl(url);
  } catch (e) {
    throw new StudioError('asset', `could not download ${url}: the server did not answer (${describeError(e)}); is the studio's server still running?`);
  }
  if (!r.ok) throw new StudioError('asset', `GET ${url} answered HTTP ${r.status}; is the model folder served there?`);
  try {
    return new Uint8Array(await r.arrayBuffer());
  } catch (e) {
    throw new StudioError('asset', `the download of ${url} broke off (${describeError(e)}); try again`);
  }
}

/** The CLIP vocabulary the app ships (public/clip/…), for loadAnyModel's `clipVocabulary`; fetched only when used. */
export function fetchClipVocabulary(): Promise<Uint8Array> {
  return fetchModelFile(`${import.meta.env.BASE_URL}${CLIP_VOCABULARY_PATH}`);
}
