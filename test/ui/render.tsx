// Test helper for ui/: renders a component inside a StudioProvider with a fresh store.
// happy-dom + Testing Library; no Konva canvas here (that is covered by e2e/studio.spec.ts).
import { cleanup, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import { createStudioStore } from '../../src/state/index';
import type { StudioDeps, StudioStore } from '../../src/state/index';
import { StudioProvider } from '../../src/ui/index';

afterEach(cleanup);

export function renderWithStore(ui: ReactElement, deps: Partial<StudioDeps> = {}): { store: StudioStore } & ReturnType<typeof render> {
  const store = createStudioStore(deps);
  return { store, ...render(<StudioProvider store={store}>{ui}</StudioProvider>) };
}
