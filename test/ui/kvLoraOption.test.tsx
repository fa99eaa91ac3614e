// The Training panel's "K/V as LoRA, rank r" option (src/ui/panels/KvLoraOption.tsx) through a real store: off on
// every preset; ticking it sets TrainSettings.kvLoraRank to the default rank 16 (preset becomes custom), the rank field
// changes it, the training request carries it and trainingConfig turns it into DisenDiffConfig.kvLora; a project file
// keeps it; unticking clears it.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { parseProjectFile, toProjectFile } from '../../src/state/index';
import type { EnginePort, TrainRequest } from '../../src/state/index';
import { TrainingPanel } from '../../src/ui/panels/TrainingPanel';
import { trainingConfig } from '../../src/workers/trainingStart';
import { renderWithStore } from './render';

/** A port that records the training request and never finishes until aborted. */
function recordingPort(): { port: EnginePort; sent: { request?: TrainRequest } } {
  const sent: { request?: TrainRequest } = {};
  const port: EnginePort = {
    modelName: 'recording',
    samplers: ['DDIM'],
    generate: () => Promise.reject(new Error('not used')),
    train: (req, _onProgress, signal) => new Promise((_resolve, reject) => {
      sent.request = req;
      signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    }),
  };
  return { port, sent };
}

describe('the K/V as LoRA option', () => {
  it('reaches the training request as kvLoraRank and the DisenDiff config as kvLora', async () => {
    const { port, sent } = recordingPort();
    const { store } = renderWithStore(<TrainingPanel />, { engine: port });
    expect(store.getState().training.settings.kvLoraRank).toBeUndefined();
    const box = screen.getByLabelText('K/V as LoRA, rank r') as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.queryByLabelText('LoRA rank')).toBeNull();
    act(() => fireEvent.click(box));
    expect(store.getState().training.settings.kvLoraRank).toBe(16);
    expect(store.getState().training.preset).toBe('custom');
    act(() => fireEvent.change(screen.getByLabelText('LoRA rank'), { target: { value: '8' } }));
    expect(store.getState().training.settings.kvLoraRank).toBe(8);

    const s = store.getState();
    s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
    s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    const run = store.getState().train();
    await act(async () => { await Promise.resolve(); });
    expect(sent.request?.settings.kvLoraRank).toBe(8);
    expect(trainingConfig(sent.request?.settings as TrainRequest['settings'])?.kvLora).toEqual({ rank: 8 });
    store.getState().cancelTraining();
    await run;

    const file = parseProjectFile(JSON.stringify(toProjectFile(store.getState())));
    expect(file.training.settings.kvLoraRank).toBe(8);
    act(() => fireEvent.click(screen.getByLabelText('K/V as LoRA, rank r')));
    expect(store.getState().training.settings.kvLoraRank).toBeUndefined();
    expect(trainingConfig(store.getState().training.settings)?.kvLora).toBeUndefined();
  });
});
