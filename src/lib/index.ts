// Leaf utilities shared by every folder: errors, asserts, seeded randomness, float16. Imports nothing of src/.
export * from './errors';
export * from './assert';
export * from './random';
export * from './float16';
export * from './paths';
export * from './schema';
export * from './version';
