// The training panel's memory planner for the model in use: planFromProfile over the loaded model's memory
// profile (computed by the generation worker after loading), re-planned on every batch or budget change, and
// replaced when another model is loaded. Never plans itself from a graph (that is the worker's job).
// Reference: src/train/memory/CONTEXT.md, ui/panels/MemoryPlan.tsx (MemoryPlanView), workers/memoryProfile.ts.
import { useEffect, useState } from 'react';
import type { StudioStore } from '../state/index';
import { planFromProfile } from '../train/index';
import type { MemoryPlan } from '../train/index';
import type { MemoryPlanner, MemoryPlanView } from '../ui/index';
import type { MemoryProfileAnswer } from '../workers/generationLink';
import type { EngineHandle } from './engine';

/** The fields of a MemoryPlan the panel shows. Pure. */
export function planView(plan: MemoryPlan): MemoryPlanView {
  const { kind, resolution, batch, isImplemented } = plan.strategy;
  return { predictedPeakBytes: plan.predictedPeakBytes, breakdown: { ...plan.breakdown }, strategy: { kind, resolution, batch, isImplemented }, fits: plan.fits, budgetBytes: plan.budgetBytes, explanation: plan.explanation };
}

/** A planner that always refuses with `reason` (the panel shows "No memory plan: <reason>"). */
export function refusingPlanner(reason: string): MemoryPlanner {
  return () => {
    throw new Error(reason);
  };
}

/** The planner of one worker answer: plans at the profile's highest resolution (the model's native one, 512 px for SD 1.5). */
export function plannerFor(answer: MemoryProfileAnswer): MemoryPlanner {
  const profile = answer.profile;
  if (!profile) return refusingPlanner(answer.reason ?? 'the model has no memory profile');
  return ({ batch, budgetBytes }) => planView(planFromProfile(profile, { batch, budgetBytes }));
}

const LOADING = refusingPlanner('the model and its memory profile are still loading');

/** The planner of the engine in `handle.ready`, following it when app/localModel.ts replaces the model. */
export function useMemoryPlanner(store: StudioStore, handle: EngineHandle): MemoryPlanner {
  const [planner, setPlanner] = useState<MemoryPlanner>(() => LOADING);
  useEffect(() => {
    let followed: EngineHandle['ready'] | undefined;
    const follow = () => {
      const ready = handle.ready;
      if (ready === followed) return;
      followed = ready;
      setPlanner(() => LOADING);
      const settle = (p: MemoryPlanner) => ready === followed && setPlanner(() => p);
      ready.then((engine) => engine.memoryProfile).then((a) => settle(plannerFor(a)), () => settle(refusingPlanner('the model could not be loaded')));
    };
    follow();
    const unsubscribe = store.subscribe(follow);
    return () => {
      followed = undefined;
      unsubscribe();
    };
  }, [store, handle]);
  return planner;
}
