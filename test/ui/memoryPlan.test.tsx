// The memory-plan panel: shows the planner's predicted peak, fit and breakdown for the store's batch size,
// re-plans when the budget changes, and says so when the model has no plan or the planner refuses.
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { breakdownRows, MemoryPlan, MemoryPlannerContext } from '../../src/ui/panels/MemoryPlan';
import type { MemoryPlanner, MemoryPlanView } from '../../src/ui/panels/MemoryPlan';
import { renderWithStore } from './render';

const GB = 2 ** 30;

/** A fake planner: 6 GB at batch 1, 10 GB at batch 2 (then 256 px fits); records its requests. */
function fakePlanner(calls: { batch: number; budgetBytes: number }[]): MemoryPlanner {
  return (req) => {
    calls.push(req);
    if (req.batch > 2) throw new RangeError(`no entry for batch ${req.batch}`);
    const peak = req.batch * 5 * GB;
    const fits = peak <= req.budgetBytes;
    const breakdown = { frozenWeights: 3.5 * GB, trainable: 0.07 * GB, optimizerState: 0.14 * GB, gradientAccumulators: 0, activations: peak - 3.71 * GB };
    return { predictedPeakBytes: peak, breakdown, strategy: { kind: 'full', resolution: fits ? 512 : 256, batch: req.batch, isImplemented: true }, fits, budgetBytes: req.budgetBytes, explanation: fits ? 'Fits.' : 'Lower resolution.' };
  };
}

describe('MemoryPlan', () => {
  it('shows the predicted peak against the default 8 GB budget and the breakdown, largest first', () => {
    const calls: { batch: number; budgetBytes: number }[] = [];
    const { store } = renderWithStore(
      <MemoryPlannerContext.Provider value={fakePlanner(calls)}>
        <MemoryPlan />
      </MemoryPlannerContext.Provider>,
    );
    act(() => store.getState().updateTraining({ batchSize: 1 }));
    expect(calls.at(-1)).toEqual({ batch: 1, budgetBytes: 8 * GB });
    expect(screen.getByTestId('memory-peak').textContent).toBe('Predicted peak 5.00 GB of 8.00 GB: fits with the fused step at 512 px, batch 1');
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items[0]).toBe('Frozen weights: 3.50 GB');
    expect(items).not.toContain('Gradient accumulators: 0.00 GB');
  });
  it('re-plans with the budget the user types', () => {
    const calls: { batch: number; budgetBytes: number }[] = [];
    const { store } = renderWithStore(
      <MemoryPlannerContext.Provider value={fakePlanner(calls)}>
        <MemoryPlan />
      </MemoryPlannerContext.Provider>,
    );
    act(() => store.getState().updateTraining({ batchSize: 2 }));
    fireEvent.change(screen.getByLabelText('GPU memory budget (GB)'), { target: { value: '12' } });
    expect(calls.at(-1)).toEqual({ batch: 2, budgetBytes: 12 * GB });
    expect(screen.getByTestId('memory-peak').textContent).toMatch(/10\.00 GB of 12\.00 GB: fits with the fused step at 512 px, batch 2$/);
    // the budget is a training setting: the run's request carries it (engineClient plans the job's recomputation with it)
    expect(store.getState().training.settings.memoryBudgetGb).toBe(12);
  });
  it('says why there is no plan: no planner, or the planner refuses the batch', () => {
    renderWithStore(<MemoryPlan />);
    expect(screen.getByTestId('memory-peak').textContent).toBe('No memory plan for this model.');
  });
  it('shows the planner error instead of crashing', () => {
    const { store } = renderWithStore(
      <MemoryPlannerContext.Provider value={fakePlanner([])}>
        <MemoryPlan />
      </MemoryPlannerContext.Provider>,
    );
    act(() => store.getState().updateTraining({ batchSize: 3 }));
    expect(screen.getByTestId('memory-peak').textContent).toBe('No memory plan: no entry for batch 3');
  });
});

describe('breakdownRows', () => {
  it('labels, sorts and drops empty rows', () => {
    const plan: MemoryPlanView = { predictedPeakBytes: 3, breakdown: { data: 1, activations: 2, gradientAccumulators: 0 }, strategy: { kind: 'recompute', resolution: 448, batch: 1, isImplemented: false }, fits: true, budgetBytes: 4, explanation: '' };
    expect(breakdownRows(plan).map((r) => r.label)).toEqual(['Activations (peak)', 'Batch data']);
  });
});
