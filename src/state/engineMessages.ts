// User-facing texts about the missing engine, in one place so the panels and the store say the same thing.
// Data only. Reference: the studio's training panel, generation panel (honest "not available" state).

export const ENGINE_UNAVAILABLE = 'No model is open yet: training and generation start once one is (see the Model panel). Settings are kept.';

export function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}
