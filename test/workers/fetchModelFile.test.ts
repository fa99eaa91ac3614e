// fetchModelFile: model downloads fail with a message that names the file and the cause (no bare "Failed to fetch").
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../src/lib/errors';
import { fetchModelFile } from '../../src/workers/fetchModelFile';

const answering = (status: number, body: number[]): typeof fetch => (async () => new Response(new Uint8Array(body).buffer, { status })) as typeof fetch;

describe('when a model file is downloaded', () => {
  it('returns the bytes of a 200 answer', async () => {
    const bytes = await fetchModelFile('/models/default/unet/config.json', answering(200, [1, 2, 3]));
    expect([...bytes]).toEqual([1, 2, 3]);
  });

  it('names the file and the status of a non-2xx answer', async () => {
    const err = await fetchModelFile('/models/default/vae/x.safetensors', answering(404, [])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('asset');
    expect((err as Error).message).toBe('GET /models/default/vae/x.safetensors answered HTTP 404; is the model folder served there?');
  });

  it('turns a refused connection into a message that names the file and asks about the server', async () => {
    const refused = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const err = await fetchModelFile('/models/default/model_index.json', refused).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as Error).message).toBe("could not download /models/default/model_index.json: the server did not answer (Failed to fetch); is the studio's server still running?");
  });
});
