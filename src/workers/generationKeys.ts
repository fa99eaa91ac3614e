// Which answer of generation.worker.ts settles which request: one rule for the worker (it files an error under the
// key of the request that failed) and the page's link (generationLink.ts, which waits on that key). Pure.
import type { FromGenerationWorker, ToGenerationWorker } from './protocol';

/** The key a request's answer (or its error) is filed under: 'loaded', 'packsApplied', 'network', 'exported', or `gen<id>`. */
export function answerKey(m: Exclude<ToGenerationWorker, { type: 'cancel' }>): string {
  if (m.type === 'load') return 'loaded';
  if (m.type === 'packs') return 'packsApplied';
  if (m.type === 'network') return 'network';
  if (m.type === 'export') return 'exported';
  return `gen${m.id}`;
}

/** The key an answer settles; undefined for messages that settle nothing (progress, the memory profile). */
export function settledKey(m: FromGenerationWorker): string | undefined {
  if (m.type === 'progress' || m.type === 'memoryProfile') return undefined;
  if (m.type === 'error') return m.key;
  if (m.type === 'result') return `gen${m.id}`;
  return m.type;
}
