// Public entry of the mask-editor core (strokes, masks, tools, history). Other folders import only this file.
// No React, no Konva, no zustand here (docs/house-style.md §10).
export * from './coords';
export * from './model';
export * from './raster';
export * from './region';
export * from './slic';
export * from './history';
export { ToolMachine } from './tools/Tool';
export type { ToolContext, ToolId, ToolPointer, ToolState } from './tools/Tool';
export { createTool, TOOL_IDS } from './tools/createTool';
