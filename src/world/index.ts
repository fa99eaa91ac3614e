// Public entry of the generated world: vocabulary, seeded scenes, rendering with masks, captions.
export * from './vocab';
export * from './scene';
export * from './render';
export * from './caption';
export { insideShape } from './shapes';
export { objectOutline } from './outline';
