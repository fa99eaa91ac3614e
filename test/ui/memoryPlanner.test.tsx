// app/'s memory planner in the training panel: the panel shows the predicted peak of the loaded model's profile
// (SD 1.5: the precomputed one), says while it is loading or why a model has none, and follows the engine
// when another model replaces it (handle.ready swapped, then the store changes as app/engine.ts reportEngine does).
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EngineHandle } from '../../src/app/engine';
import { plannerFor, useMemoryPlanner } from '../../src/app/memoryPlanner';
import type { EnginePort } from '../../src/state/index';
import { SD15_MEMORY_PROFILE } from '../../src/train/index';
import { MemoryPlannerContext, useStudioStore } from '../../src/ui/index';
import { MemoryPlan } from '../../src/ui/panels/MemoryPlan';
import type { StudioEngine } from '../../src/workers/engineClient';
import type { MemoryProfileAnswer } from '../../src/workers/generationLink';
import { renderWithStore } from './render';

const GB = 2 ** 30;

function engineWith(answer: MemoryProfileAnswer): Promise<StudioEngine> {
  return Promise.resolve({ memoryProfile: Promise.resolve(answer) } as unknown as StudioEngine);
}

function Harness({ handle }: { handle: EngineHandle }) {
  const planner = useMemoryPlanner(useStudioStore(), handle);
  return (
    <MemoryPlannerContext.Provider value={planner}>
      <MemoryPlan />
    </MemoryPlannerContext.Provider>
  );
}

const peak = () => screen.getByTestId('memory-peak').textContent;

describe('plannerFor', () => {
  it('plans SD 1.5 from its precomputed profile: at 8 GB batch 1 fits at 512 px with recomputation, batch 2 at 448 px', () => {
    const planner = plannerFor({ profile: SD15_MEMORY_PROFILE });
    const one = planner({ batch: 1, budgetBytes: 8 * GB });
    expect(one).toMatchObject({ predictedPeakBytes: 6407328221, fits: true, budgetBytes: 8 * GB, strategy: { kind: 'recompute', resolution: 512, batch: 1, isImplemented: true } });
    expect(one?.breakdown.frozenWeights).toBe(3853764808);
    expect(planner({ batch: 2, budgetBytes: 8 * GB })?.strategy).toMatchObject({ kind: 'recompute', resolution: 448 });
    expect(planner({ batch: 1, budgetBytes: 12 * GB })?.strategy).toMatchObject({ kind: 'full', resolution: 512 });
  });
  it('refuses with the worker reason when the model has no profile, and names uncovered batches', () => {
    expect(() => plannerFor({ profile: null, reason: 'UNet sample_size is 12' })({ batch: 1, budgetBytes: GB })).toThrow('UNet sample_size is 12');
    expect(() => plannerFor({ profile: SD15_MEMORY_PROFILE })({ batch: 3, budgetBytes: GB })).toThrow(/batch 3/);
  });
});

describe('useMemoryPlanner in the training panel', () => {
  it('shows the loaded model plan, then follows a newly loaded model', async () => {
    const handle: EngineHandle = { port: {} as EnginePort, ready: engineWith({ profile: SD15_MEMORY_PROFILE }) };
    const { store } = renderWithStore(<Harness handle={handle} />);
    act(() => store.getState().updateTraining({ batchSize: 1 }));
    await waitFor(() => expect(peak()).toBe('Predicted peak 5.97 GB of 8.00 GB: fits with the recomputation per UNet layer at 512 px, batch 1'));
    expect(screen.getAllByRole('listitem')[0]?.textContent).toBe('Frozen weights: 3.59 GB');

    const small = { model: 'small', candidates: SD15_MEMORY_PROFILE.candidates.filter((c) => c.resolution === 256) };
    handle.ready = engineWith({ profile: small });
    act(() => store.getState().updateTraining({ batchSize: 2 }));
    await waitFor(() => expect(peak()).toBe('Predicted peak 5.21 GB of 8.00 GB: fits with the fused step at 256 px, batch 2'));

    handle.ready = engineWith({ profile: null, reason: 'its UNet cannot be built as a training graph' });
    act(() => store.getState().updateTraining({ batchSize: 1 }));
    await waitFor(() => expect(peak()).toBe('No memory plan: its UNet cannot be built as a training graph'));
  });
  it('says the plan is loading until the engine is ready', () => {
    const handle: EngineHandle = { port: {} as EnginePort, ready: new Promise<StudioEngine>(() => undefined) };
    renderWithStore(<Harness handle={handle} />);
    expect(peak()).toBe('No memory plan: the model and its memory profile are still loading');
  });
});
