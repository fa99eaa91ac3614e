// Internal invariant checks. Public boundaries throw typed errors (lib/errors.ts); inside a folder, assert.
// No I/O. The message should carry the values that broke the invariant.

/** Throws an Error with `message` when `condition` is false. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${typeof message === 'function' ? message() : message}`);
}

/** Marks a switch branch that the type system proves unreachable. */
export function unreachable(value: never, what = 'value'): never {
  throw new Error(`unreachable ${what}: ${JSON.stringify(value)}`);
}
