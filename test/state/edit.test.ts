// The edit view's store actions against a recording EnginePort: the request carries the generation settings, the
// expanded prompt and an init (source square, mask rasterised at the generation size, strength, blur, invert);
// bad input (no source, empty mask, whole-image mask with invert, non-square upload) gives a message and no call;
// undo/redo of the edit mask; results and cancel.
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore } from '../../src/state/index';
import type { EnginePort, GenerateRequest, GeneratedImage } from '../../src/state/index';

function port(result: 'images' | 'wait') {
  const calls: GenerateRequest[] = [];
  const engine: EnginePort = {
    modelName: 'recording port',
    samplers: ['DDIM'],
    generate: (req, onProgress, signal) => {
      calls.push(req);
      onProgress({ stepIndex: 1, totalSteps: req.steps });
      if (result === 'images') return Promise.resolve([{ dataUrl: 'data:image/png;base64,BB', seed: req.seed, width: req.width, height: req.height }]);
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    },
    train: () => Promise.reject(new Error('not used')),
  };
  return { engine, calls };
}

const square = { kind: 'polygon' as const, mode: 'add' as const, points: [imagePoint(0, 0), imagePoint(32, 0), imagePoint(32, 32), imagePoint(0, 32)] };

function ready(result: 'images' | 'wait' = 'images') {
  const { engine, calls } = port(result);
  const store = createStudioStore({ engine });
  const s = store.getState();
  s.updateConcept('c1', { token: '<cat1>', classWord: 'cat' });
  s.updateGeneration({ prompt: 'a <cat1> sleeping', seed: 5, isSeedLocked: true, steps: 8, size: 64 });
  s.setReference({ name: 'ref.png', dataUrl: 'data:image/png;base64,AA', width: 128, height: 96, originalWidth: 128, originalHeight: 96 });
  return { store, calls };
}

describe('when inpainting from the edit view', () => {
  it('sends the settings with the reference square and the mask at the generation size', async () => {
    const { store, calls } = ready();
    const s = store.getState();
    s.editReference();
    expect(store.getState().edit.source).toMatchObject({ kind: 'reference', crop: { size: 96 } });
    s.updateEdit({ strength: 0.6, maskBlur: 2, invertMask: true });
    s.commitEditOp(square);
    await s.generateEdit();
    const req = calls[0]!;
    expect(req).toMatchObject({ expandedPrompt: 'a <cat1> cat sleeping', seed: 5, steps: 8, width: 64, height: 64 });
    expect(req.init).toMatchObject({ dataUrl: 'data:image/png;base64,AA', crop: { x: 16, y: 0, size: 96 }, strength: 0.6, maskBlur: 2, invertMask: true });
    const mask = req.init!.mask!;
    expect(mask.length).toBe(64 * 64);
    // the 32 px square of a 96 px source covers the top-left third of the 64 px mask
    expect([mask[0], mask[20 * 64 + 20], mask[30 * 64 + 30]]).toEqual([255, 255, 0]);
    expect(store.getState().edit.status.kind).toBe('done');
    expect(store.getState().edit.images).toHaveLength(1);
    expect(store.getState().generation.images).toEqual([]);
  });

  it('sends "Only masked" with its padding (clamped to 0…256) when inpainting, and not for image-to-image', async () => {
    const { store, calls } = ready();
    const s = store.getState();
    s.editReference();
    expect(store.getState().edit).toMatchObject({ onlyMasked: false, maskedPadding: 32 });
    s.updateEdit({ onlyMasked: true, maskedPadding: 999 });
    expect(store.getState().edit.maskedPadding).toBe(256);
    s.updateEdit({ maskedPadding: 12.4 });
    s.commitEditOp(square);
    await s.generateEdit();
    expect(calls[0]!.init).toMatchObject({ onlyMasked: { padding: 12 } });
    s.updateEdit({ mode: 'img2img' });
    await s.generateEdit();
    expect(calls[1]!.init!.onlyMasked).toBeUndefined();
    s.updateEdit({ mode: 'inpaint', onlyMasked: false });
    await s.generateEdit();
    expect(calls[2]!.init!.onlyMasked).toBeUndefined();
  });

  it('sends no mask for image-to-image, and edits a generated or edited image', async () => {
    const { store, calls } = ready();
    store.setState({ generation: { ...store.getState().generation, images: [{ dataUrl: 'data:image/png;base64,CC', seed: 9, width: 64, height: 64 } as GeneratedImage] } });
    const s = store.getState();
    s.editGenerated(0);
    s.updateEdit({ mode: 'img2img', strength: 7 });
    await s.generateEdit();
    expect(calls[0]!.init).toMatchObject({ dataUrl: 'data:image/png;base64,CC', crop: { x: 0, y: 0, size: 64 }, strength: 1 });
    expect(calls[0]!.init!.mask).toBeUndefined();
    s.editGenerated(0, 'edit');
    expect(store.getState().edit.source).toMatchObject({ dataUrl: 'data:image/png;base64,BB', label: 'edited image 1 (seed 5)' });
  });

  it('undoes and redoes mask strokes and clears the mask on a new source', () => {
    const { store } = ready();
    const s = store.getState();
    s.editReference();
    s.commitEditOp(square);
    expect(store.getState().edit.mask.present.ops).toHaveLength(1);
    s.undoEdit();
    expect(store.getState().edit.mask.present.ops).toHaveLength(0);
    s.redoEdit();
    expect(store.getState().edit.mask.present.ops).toHaveLength(1);
    s.editUpload('data:image/png;base64,DD', 64, 64, 'photo.png');
    expect(store.getState().edit.mask.present.ops).toHaveLength(0);
    expect(store.getState().edit.source?.label).toBe('photo.png');
  });

  it('cancels a running edit', async () => {
    const { store } = ready('wait');
    store.getState().editReference();
    store.getState().updateEdit({ mode: 'img2img' });
    const run = store.getState().generateEdit();
    expect(store.getState().edit.status.kind).toBe('running');
    store.getState().cancelEdit();
    await run;
    expect(store.getState().edit.status.kind).toBe('cancelled');
  });
});

describe('when the edit input is bad', () => {
  it('names what is missing and calls no engine', async () => {
    const { store, calls } = ready();
    const s = store.getState();
    await s.generateEdit();
    expect(store.getState().edit.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/Pick the image to edit first/) });
    s.editReference();
    await s.generateEdit();
    expect(store.getState().edit.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/The mask is empty: paint the region/) });
    s.commitEditOp({ kind: 'fill', at: imagePoint(1, 1) });
    s.updateEdit({ invertMask: true });
    await s.generateEdit();
    expect(store.getState().edit.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/covers the whole image/) });
    s.editUpload('data:image/png;base64,EE', 64, 48, 'wide.png');
    expect(store.getState().edit.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/wide.png is 64×48; the edit view repaints square images/) });
    expect(store.getState().edit.source?.kind).toBe('reference');
    expect(calls).toEqual([]);
  });

  it('says when there is no reference or no engine', async () => {
    const bare = createStudioStore();
    bare.getState().editReference();
    expect(bare.getState().edit.status).toMatchObject({ kind: 'error', message: expect.stringMatching(/no reference image to edit/) });
    await bare.getState().generateEdit();
    expect(bare.getState().edit.status.kind).toBe('unavailable');
  });
});
