// Memory plan of one training step, shown before training starts: predicted peak, the budget (GB input, default
// 8), whether it fits or which strategy was chosen, and the breakdown. Display only: the plan comes from a
// MemoryPlanner that app/ provides (e.g. src/train planFromProfile over the loaded model's memory profile).
// Reference: the memory planner, src/train/memory (MemoryPlan type, mirrored structurally here: ui/ cannot import train).
import { createContext, useContext } from 'react';
import { DEFAULT_MEMORY_BUDGET_GB, TRAINING_LIMITS } from '../../state/index';
import { useStudio, useStudioStore } from '../hooks/useStudio';
import { NumberField } from './NumberField';

/** The part of src/train's MemoryPlan this panel shows (same field names). */
export type MemoryPlanView = {
  predictedPeakBytes: number;
  /** kind (frozenWeights, trainable, optimizerState, gradientAccumulators, data, activations) → bytes */
  breakdown: Readonly<Record<string, number>>;
  strategy: { kind: 'full' | 'recompute' | 'per-block'; resolution: number; batch: number; isImplemented: boolean };
  fits: boolean;
  budgetBytes: number;
  explanation: string;
};

/** Plans for the loaded model; null when it has no memory profile. */
export type MemoryPlanner = (request: { batch: number; budgetBytes: number }) => MemoryPlanView | null;

/** app/ provides the loaded model's planner; without one the panel says so. */
export const MemoryPlannerContext = createContext<MemoryPlanner | null>(null);

const LABELS: Record<string, string> = {
  frozenWeights: 'Frozen weights',
  trainable: 'Trainable (K/V, tokens)',
  optimizerState: 'AdamW m, v',
  gradientAccumulators: 'Gradient accumulators',
  data: 'Batch data',
  activations: 'Activations (peak)',
};
const STRATEGY: Record<MemoryPlanView['strategy']['kind'], string> = {
  full: 'fused step',
  recompute: 'recomputation per UNet layer',
  'per-block': 'per-block sessions',
};
const GB = 2 ** 30;

/** "9.69 GB" (binary gigabytes, as GPU memory is sold). */
export function formatGb(bytes: number): string {
  if (bytes >= GB / 10 || bytes === 0) return `${(bytes / GB).toFixed(2)} GB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** Breakdown rows with a label, largest first, zero rows dropped. Pure. */
export function breakdownRows(plan: MemoryPlanView): { key: string; label: string; bytes: number }[] {
  return Object.entries(plan.breakdown)
    .filter(([, bytes]) => bytes > 0)
    .map(([key, bytes]) => ({ key, label: LABELS[key] ?? key, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

function PlanBody({ plan }: { plan: MemoryPlanView }) {
  const s = plan.strategy;
  return (
    <>
      <p data-testid="memory-peak">
        Predicted peak {formatGb(plan.predictedPeakBytes)} of {formatGb(plan.budgetBytes)}: {plan.fits ? 'fits' : 'does not fit'} with the {STRATEGY[s.kind]} at {s.resolution} px, batch {s.batch}
        {s.isImplemented ? '' : ' (modelled only)'}
      </p>
      <ul aria-label="Memory breakdown">
        {breakdownRows(plan).map((r) => (
          <li key={r.key}>
            {r.label}: {formatGb(r.bytes)}
          </li>
        ))}
      </ul>
      <p className="hint">{plan.explanation}</p>
    </>
  );
}

export function MemoryPlan() {
  const planner = useContext(MemoryPlannerContext);
  const batch = useStudio((st) => st.training.settings.batchSize);
  const store = useStudioStore();
  const budgetGb = useStudio((st) => st.training.settings.memoryBudgetGb) ?? DEFAULT_MEMORY_BUDGET_GB;
  const isTraining = useStudio((st) => st.training.status.kind === 'running');
  let plan: MemoryPlanView | null = null;
  let problem = 'No memory plan for this model.';
  try {
    plan = planner?.({ batch, budgetBytes: budgetGb * GB }) ?? null;
  } catch (e) {
    problem = `No memory plan: ${e instanceof Error ? e.message : String(e)}`;
  }
  return (
    <div className="memory-plan" aria-label="GPU memory plan">
      <NumberField label="GPU memory budget (GB)" value={budgetGb} min={TRAINING_LIMITS.memoryBudgetGb.min} max={TRAINING_LIMITS.memoryBudgetGb.max} step={1} disabled={isTraining} onChange={(v) => store.getState().updateTraining({ memoryBudgetGb: v })} help="The GPU memory the training step may use: the run recomputes activations in the backward pass when the plain step does not fit it. It does not limit anything by itself." />
      {plan ? <PlanBody plan={plan} /> : <p data-testid="memory-peak">{problem}</p>}
    </div>
  );
}
