// Pause / resume between training steps: the loop awaits `wait()` before each batch. Cancellation stays with
// AbortSignal (house-style §11 "Concurrency"); a paused loop still wakes up when its signal aborts. No timers.

export class PauseController {
  private paused = false;
  /** resolvers of loops waiting for resume() */
  private waiters: (() => void)[] = [];

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Resolves at once when running; otherwise on resume() or when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.paused || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
