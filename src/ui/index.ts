// Public entry of the UI: the layout, the store provider and the hooks. app/ imports only this file.
// React + react-konva only; no engine imports (docs/house-style.md §10).
export { StudioLayout } from './StudioLayout';
export { StudioProvider, useStudio, useStudioStore } from './hooks/useStudio';
export { MemoryPlannerContext } from './panels/MemoryPlan';
export type { MemoryPlanner, MemoryPlanView } from './panels/MemoryPlan';
