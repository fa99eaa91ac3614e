// The training panel's runs against a real store on stored history: a run the page lost is offered as
// "Resume run (step k of n)" and the button resumes it in the engine; earlier runs are listed with "Use"; Cancel
// turns into "Stopping…" at once.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/editor/index';
import { createStudioStore, memoryStorage, RUNS_KEY } from '../../src/state/index';
import type { EnginePort, TrainRequest } from '../../src/state/index';
import { TrainingPanel } from '../../src/ui/panels/TrainingPanel';
import { renderWithStore } from './render';

function port(seen: TrainRequest[], used: string[]): EnginePort {
  return {
    modelName: 'driven', samplers: ['DDIM'], generate: () => Promise.reject(new Error('not used')),
    train: (req, _p, signal) => new Promise((resolve) => {
      seen.push(req);
      signal.addEventListener('abort', () => resolve({ learnedTokens: ['<c1>'], stoppedAt: { step: 1, totalSteps: 10 } }));
    }),
    useRun: async (id) => (used.push(id), ['<c1>']),
  };
}

const settings = createStudioStore().getState().training.settings;
const run = (id: string, extra: object) => ({ id, tokens: ['<c1>'], settings: { ...settings, steps: 10 }, startedAt: '2026-12-07T20:00:00.000Z', step: 3, totalSteps: 10, checkpointStep: 3, hasPack: false, ...extra });

describe('RunHistory in the training panel', () => {
  it('offers the lost run at its checkpoint, resumes it, lists the earlier run and stops on Cancel', async () => {
    const storage = memoryStorage();
    await storage.set(RUNS_KEY, JSON.stringify([run('run-2', { status: 'running' }), run('run-1', { status: 'done', step: 10, checkpointStep: 10, hasPack: true })]));
    const seen: TrainRequest[] = [];
    const used: string[] = [];
    const r = renderWithStore(<TrainingPanel />, { engine: port(seen, used), storage });
    await act(async () => {
      const s = r.store.getState();
      s.setReference({ name: 'r.png', dataUrl: 'data:image/png;base64,AA', width: 64, height: 64, originalWidth: 64, originalHeight: 64 });
      s.updateConcept('c1', { token: '<c1>', classWord: 'circle' });
      s.commitOp({ kind: 'fill', at: imagePoint(1, 1) });
      await s.restoreRuns();
    });
    expect(screen.getByText(/interrupted \(page closed\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Use run run-1' }));
    await act(async () => undefined);
    expect(used).toEqual(['run-1']);
    fireEvent.click(screen.getByRole('button', { name: 'Resume run (step 3 of 10)' }));
    expect(seen[0]).toMatchObject({ runId: 'run-2', isResume: true });
    expect(screen.queryByRole('button', { name: /Resume run/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Stopping…' })).toHaveProperty('disabled', true);
    await act(async () => undefined);
    expect(screen.getByRole('button', { name: 'Train' })).toBeTruthy();
  });
});
