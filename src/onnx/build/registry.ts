// The op table: every OpSchema this project can infer, keyed by domain and op type (registries are data).
// To add an op: create opset/<OpType>.ts exporting `schema` and a constructor, then list it below.
import type { OpSchema } from './schema';
import * as ops from './opset/index';

/** "domain::opType" → schema ('' is ai.onnx) */
const TABLE = new Map<string, OpSchema>();
for (const entry of Object.values(ops.SCHEMAS)) TABLE.set(`${entry.domain ?? ''}::${entry.opType}`, entry);

/** The schema of an op type, or undefined when the project has none. */
export function lookupSchema(opType: string, domain = ''): OpSchema | undefined {
  const d = domain === 'ai.onnx' ? '' : domain;
  return TABLE.get(`${d}::${opType}`);
}

/** Every registered op type (ai.onnx ones unprefixed). */
export function registeredOpTypes(): string[] {
  return [...TABLE.keys()].map((k) => (k.startsWith('::') ? k.slice(2) : k.replace('::', '.')));
}
