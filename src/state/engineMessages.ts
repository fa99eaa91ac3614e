// User-facing texts about the missing engine, in one place so the panels and the store say the same thing.
// Data only. Reference: issue 7 §5/§6 (honest "not available" state).

export const ENGINE_UNAVAILABLE = 'Engine not available yet — see issue 4/6. Settings are kept and will be used once the engine lands.';

/** Turns anything thrown by an engine into one readable line. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}
