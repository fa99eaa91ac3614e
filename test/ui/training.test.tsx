// Training panel controls and outputs against a real store: Pause / Resume / Cancel buttons follow the run and
// reach the engine's TrainPause; the loss chart draws one line per reported term; the concepts-vs-masks view
// shows the map–mask and map–map IoU.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import type { EnginePort, TrainPause, TrainProgress } from '../../src/state/index';
import { ConceptMapsPanel } from '../../src/ui/panels/ConceptMapsPanel';
import { lossSeries } from '../../src/ui/panels/LossChart';
import { TrainingOutput } from '../../src/ui/panels/TrainingOutput';
import { TrainingPanel } from '../../src/ui/panels/TrainingPanel';
import { TrainingSamples } from '../../src/ui/panels/TrainingSamples';
import { renderWithStore } from './render';

function drivenPort() {
  const ctl: { report(p: TrainProgress): void; pause?: TrainPause } = { report: () => undefined };
  const port: EnginePort = {
    modelName: 'driven',
    samplers: ['DDIM'],
    generate: () => Promise.reject(new Error('not used')),
    train: (_req, onProgress, signal, pause) =>
      new Promise((_resolve, reject) => {
        ctl.pause = pause;
        ctl.report = onProgress;
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
  };
  return { port, ctl };
}

function startable(port: EnginePort) {
  const r = renderWithStore(
    <>
      <TrainingPanel />
      <TrainingOutput />
      <ConceptMapsPanel />
    </>,
    { engine: port },
  );
  act(() => {
    const s = r.store.getState();
    s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
    s.commitOp({ kind: 'polygon', mode: 'add', points: [imagePoint(0, 0), imagePoint(32, 0), imagePoint(32, 64), imagePoint(0, 64)] });
    s.choosePreset('smoke');
  });
  return r;
}

describe('TrainingPanel pause / resume', () => {
  it('shows Pause while running, Resume while paused, and tells the engine', async () => {
    const { port, ctl } = drivenPort();
    const { store } = startable(port);
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    await act(async () => void store.getState().train());
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(ctl.pause?.isPaused).toBe(true);
    expect(screen.getByRole('status').textContent).toMatch(/Paused .*Resume to continue/);
    expect((screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(ctl.pause?.isPaused).toBe(false);
    act(() => ctl.report({ step: 0, totalSteps: 2, losses: {}, phase: 'building: building the training graph' }));
    expect(screen.getByRole('status').textContent).toMatch(/0\/2 · building: building the training graph$/);
    act(() => ctl.report({ step: 1, totalSteps: 2, losses: { total: 0.5 }, etaSeconds: 75 }));
    expect(screen.getByRole('status').textContent).toMatch(/1\/2 · about 1 min 15 s left/);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(screen.getByText('Cancelled.')).toBeTruthy();
  });
});

describe('loss chart and concept maps', () => {
  it('draws one polyline per term and scores the map against the mask', async () => {
    const { port, ctl } = drivenPort();
    const { store, container } = startable(port);
    await act(async () => void store.getState().train());
    const map = { token: '<c1>', width: 2, height: 2, map: new Float32Array([1, 0, 1, 0]) };
    act(() => ctl.report({ step: 1, totalSteps: 3, losses: { total: 1, loss_base: 0.9, loss_bind: 0.1 }, attention: { step: 1, maps: [map] } }));
    act(() => ctl.report({ step: 2, totalSteps: 3, losses: { total: 0.5, loss_base: 0.45, loss_bind: 0.05 } }));
    const lines = [...container.querySelectorAll('[data-testid="loss-chart"] polyline')];
    expect(lines.map((l) => l.getAttribute('data-term'))).toEqual(['total', 'loss_base', 'loss_bind']);
    expect(lines.every((l) => (l.getAttribute('points') ?? '').split(' ').length === 2)).toBe(true);
    expect(screen.getByRole('list', { name: 'Loss terms' }).textContent).toContain('loss_bind 0.05000');
    expect(screen.getByTestId('mask-iou').textContent).toBe('<c1>: map–mask IoU 100%');
    expect(screen.getByRole('heading', { name: 'Concepts: token, class word, mask (step 1)' })).toBeTruthy();
    // masks are locked while the run trains on them; after it ends the score follows the edited mask
    const square = [imagePoint(32, 0), imagePoint(64, 0), imagePoint(64, 64), imagePoint(32, 64)];
    act(() => store.getState().commitOp({ kind: 'polygon', mode: 'add', points: square }));
    expect(screen.getByTestId('mask-iou').textContent).toBe('<c1>: map–mask IoU 100%');
    await act(async () => store.getState().cancelTraining());
    act(() => store.getState().commitOp({ kind: 'polygon', mode: 'add', points: square }));
    expect(screen.getByTestId('mask-iou').textContent).toBe('<c1>: map–mask IoU 50%');
  });

  it("shows the class word's map, the binding IoU and the calibration curves over the probed steps", async () => {
    const { port, ctl } = drivenPort();
    const { store, container } = startable(port);
    await act(async () => void store.getState().train());
    const classWord = store.getState().project.concepts[0]?.classWord ?? '';
    const snap = (step: number, mod: number[]) => ({ step, maps: [{ token: '<c1>', width: 2, height: 2, map: Float32Array.from(mod) }, { token: classWord, width: 2, height: 2, map: Float32Array.from([1, 1, 0, 0]) }] });
    act(() => ctl.report({ step: 1, totalSteps: 3, losses: { total: 1 }, attention: snap(1, [1, 0, 0, 0]) }));
    expect(screen.getByTestId('binding-iou').textContent).toContain('50%');
    expect(container.querySelector('.calibration-curves')).toBeNull(); // one point: no curve yet
    act(() => ctl.report({ step: 2, totalSteps: 3, losses: { total: 0.5 }, attention: snap(2, [1, 1, 0, 0]) }));
    expect(screen.getByTestId('binding-iou').textContent).toContain('100%');
    expect(screen.getByRole('img', { name: `Class-word map of ${classWord}` })).toBeTruthy();
    expect(container.querySelectorAll('.calibration-curves path')).toHaveLength(1);
    // the step slider shows the earlier snapshot again
    fireEvent.change(screen.getByRole('slider', { name: 'Attention snapshot step' }), { target: { value: '0' } });
    expect(screen.getByTestId('binding-iou').textContent).toContain('50%');
  });

  it('lossSeries spans the box, and the log axis skips non-positive values', () => {
    const history = [{ step: 1, losses: { total: 1 } }, { step: 3, losses: { total: 0.01 } }, { step: 5, losses: { total: 0 } }];
    expect(lossSeries(history, false)[0]!.points).toBe('6.0,6.0 140.0,112.9 274.0,114.0');
    expect(lossSeries(history, true)[0]!.points).toBe('6.0,6.0 140.0,114.0');
  });
});

describe('TrainingSamples', () => {
  it('sets N (0 = off) and shows the latest sample with its step', async () => {
    const { port, ctl } = drivenPort();
    const { store } = renderWithStore(<TrainingSamples />, { engine: port });
    fireEvent.change(screen.getByLabelText('Sample every N steps (0 = off)'), { target: { value: '5' } });
    expect(store.getState().training.sampleEvery).toBe(5);
    expect(screen.queryByRole('img')).toBeNull();
    act(() => {
      const s = store.getState();
      s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
      s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
      s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
    });
    await act(async () => void store.getState().train());
    act(() => ctl.report({ step: 5, totalSteps: 10, losses: { total: 1 }, sample: { step: 5, dataUrl: 'data:image/png;base64,AA' } }));
    expect(screen.getByRole('img', { name: 'Sample at step 5' }).getAttribute('src')).toBe('data:image/png;base64,AA');
    await act(async () => store.getState().cancelTraining());
  });
});

describe('TrainingOutput export usage', () => {
  it('shows the per-tool files and prompts of the last run only once a concept is learned', () => {
    const { port } = drivenPort();
    const { store } = startable(port);
    const usage = 'AUTOMATIC1111: c1.safetensors in embeddings/\n  prompt: a photo of c1 circle <lora:c1:1>\n';
    act(() => store.setState((s) => ({ training: { ...s.training, exportUsage: usage } })));
    expect(screen.queryByTestId('export-usage')).toBeNull();
    act(() => store.setState((s) => ({ training: { ...s.training, learnedTokens: ['<c1>'] } })));
    expect(screen.getByTestId('export-usage').textContent).toBe(usage);
    expect(screen.getByText(/Use in other tools/)).toBeTruthy();
  });
});

describe('TrainingOutput export button', () => {
  it('says while the files for other tools are written, and why an export failed, then lets the user try again', async () => {
    let finish: (ok: boolean) => void = () => undefined;
    const exportPack = () => new Promise<void>((resolve, reject) => (finish = (ok) => (ok ? resolve() : reject(new Error('the worker ran out of memory')))));
    const { store } = renderWithStore(<TrainingOutput onExportPack={exportPack} />);
    act(() => store.setState((s) => ({ training: { ...s.training, learnedTokens: ['<c1>'] } })));
    const button = screen.getByRole('button', { name: 'Export concept pack' });
    fireEvent.click(button);
    expect(screen.getByRole('status').textContent).toContain('kohya LoRA by truncated SVD');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await act(async () => finish(false));
    expect(screen.getByRole('alert').textContent).toBe('The export failed: the worker ran out of memory. The concepts are unchanged; try again.');
    expect((button as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(button);
    await act(async () => finish(true));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
