// The plan beside Train (ui/panels/RunPlan.tsx) against a real store: counts before any measurement, a total once a
// pace is known for this model and backend, the cached regularisation images named; while a run trains the settings
// are disabled and the regularisation phase shows its count and the time left.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { paceKey, regularisationSetKey } from '../../src/state/index';
import type { EnginePort, TrainProgress } from '../../src/state/index';
import { TrainingPanel } from '../../src/ui/panels/TrainingPanel';
import { renderWithStore } from './render';

function drivenPort() {
  const ctl: { report(p: TrainProgress): void } = { report: () => undefined };
  const port: EnginePort = {
    modelName: 'driven', samplers: ['DDIM'], generate: () => Promise.reject(new Error('not used')),
    train: (_req, onProgress) => new Promise(() => void (ctl.report = onProgress)),
  };
  return { port, ctl };
}

function panel() {
  const { port, ctl } = drivenPort();
  const r = renderWithStore(<TrainingPanel />, { engine: port });
  act(() => {
    const s = r.store.getState();
    s.setBackend({ ep: 'wasm', reason: 'measured', isFallback: false });
    s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
    s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
    s.commitOp({ kind: 'polygon', mode: 'add', points: [imagePoint(0, 0), imagePoint(32, 0), imagePoint(32, 64), imagePoint(0, 64)] });
    s.updateTraining({ steps: 100, batchSize: 2, gradAccumulation: 1, seed: 1 });
  });
  return { ...r, ctl };
}

describe('the run plan beside Train', () => {
  it('gives the counts and says the time is not measured yet on this backend', () => {
    panel();
    const plan = screen.getByTestId('run-plan');
    expect(plan.textContent).toContain('render 200 regularisation images (25 sampler steps each)');
    expect(plan.textContent).toContain('100 optimiser steps × 2 samples');
    expect(screen.getByTestId('run-plan-time').textContent).toBe('Time on wasm: not measured yet; the first run measures it and later plans use it.');
  });

  it('adds up a measured pace, and names the images already rendered in this browser', () => {
    const { store } = panel();
    act(() => {
      const t = store.getState().training;
      const paceBook = {
        paces: { [paceKey({ kind: 'default' }, { ep: 'wasm' })]: { samplerStepSeconds: 0.1, samplerSteps: 25, sampleSeconds: 0.5, setupSeconds: 20, measuredAt: 't' } },
        regularisation: { [regularisationSetKey({ kind: 'default' }, ['circle'], 1, 25)]: 80 },
      };
      store.setState({ training: { ...t, paceBook } });
    });
    expect(screen.getByTestId('run-plan').textContent).toContain('render 120 of 200 regularisation images (80 already rendered in this browser, read back from IndexedDB)');
    // 120 × 25 × 0.1 = 300 s; 20 s; 99 × 2 × 0.5 = 99 s
    expect(screen.getByTestId('run-plan-time').textContent).toBe('On wasm: about 6 min 59 s (regularisation ~5 min 00 s, load and build ~20 s, steps ~1 min 39 s; paces measured by an earlier run here).');
  });

  it('locks the settings while training and counts the regularisation images with the time left', async () => {
    const { store, ctl } = panel();
    act(() => {
      const t = store.getState().training;
      store.setState({ training: { ...t, paceBook: { paces: { 'default|wasm': { samplerStepSeconds: 0.2, samplerSteps: 25, measuredAt: 't' } }, regularisation: {} } } });
    });
    await act(async () => void store.getState().train());
    expect(screen.getByTestId('settings-locked')).toBeTruthy();
    // a disabled fieldset disables what it holds (happy-dom does not reflect it on the controls, so read the fieldset)
    for (const label of ['Steps', 'Preset', 'Learning rate', 'Mask guidance']) expect(screen.getByLabelText(label).closest('fieldset:disabled')).not.toBeNull();
    expect(screen.queryByTestId('run-plan')).toBeNull();
    act(() => ctl.report({ step: 0, totalSteps: 100, losses: {}, stage: 'regularisation', regularisation: { done: 12, total: 200, cached: 2 }, phase: 'engine words' }));
    // 188 images × 25 steps × 0.2 s
    expect(screen.getByRole('status').textContent).toContain('regularisation images: 12 of 200 (2 read from the cache) · about 15 min 40 s left in this phase');
  });
});

describe('the regularisation images field', () => {
  it('shows the default count and, at 0, a plan without the phase', () => {
    const { store } = panel();
    const field = screen.getByLabelText('Regularisation images') as HTMLInputElement;
    expect(field.value).toBe('200');
    act(() => store.getState().updateTraining({ regularisationImages: 0 }));
    expect(screen.getByTestId('run-plan').textContent).toContain('no regularisation images (skipped: no prior preservation)');
    expect(screen.getByTestId('run-plan-time').textContent).toBe('Time on wasm: not measured yet; the first run measures it and later plans use it.');
  });
});
