// React binding of the vanilla studio store: a context carrying the store, and selector hooks.
// The only place ui/ touches zustand's React API. No engine or runtime imports (docs/house-style.md §10).
// Reference: zustand src/react.ts (useStore with a selector).
import { createContext, createElement, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StudioState, StudioStore } from '../../state/index';

const StudioContext = createContext<StudioStore | null>(null);

export function StudioProvider({ store, children }: { store: StudioStore; children?: ReactNode }) {
  return createElement(StudioContext.Provider, { value: store }, children);
}

/** The store itself, for actions and non-reactive reads. */
export function useStudioStore(): StudioStore {
  const store = useContext(StudioContext);
  if (!store) throw new Error('useStudioStore: no <StudioProvider store={…}> above this component (app/App.tsx provides it).');
  return store;
}

/** Subscribes to a slice of the state; re-renders when the selected value changes (Object.is). */
export function useStudio<T>(selector: (s: StudioState) => T): T {
  return useStore(useStudioStore(), selector);
}
