// The tool table: tool id → its states. Registries are data (docs/house-style.md §8.3); add a tool by adding a
// folder of states and one row here. No React, no store.
import { fillIdle } from './fill/Idle';
import { panIdle } from './pan/Idle';
import { panPanning } from './pan/Panning';
import { polygonDrawing } from './polygon/Drawing';
import { polygonIdle } from './polygon/Idle';
import { strokeDrawing } from './stroke/Drawing';
import { strokeIdle } from './stroke/Idle';
import { ToolMachine } from './Tool';
import type { StateFactory, ToolContext, ToolId } from './Tool';

/** tool id → state id → factory (first state is initial). */
const TOOLS: Record<ToolId, Record<string, StateFactory>> = {
  brush: { idle: strokeIdle, drawing: strokeDrawing('add') },
  eraser: { idle: strokeIdle, drawing: strokeDrawing('erase') },
  polygon: { idle: polygonIdle, drawing: polygonDrawing },
  fill: { idle: fillIdle },
  pan: { idle: panIdle, panning: panPanning },
};

export const TOOL_IDS = Object.keys(TOOLS) as ToolId[];

/** Creates a fresh tool in its initial state. */
export function createTool(id: ToolId, ctx: ToolContext): ToolMachine {
  const states = TOOLS[id];
  if (!states) throw new Error(`createTool: unknown tool "${String(id)}" (tools: ${TOOL_IDS.join(', ')})`);
  return new ToolMachine(id, ctx, states);
}
