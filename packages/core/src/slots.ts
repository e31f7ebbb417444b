/**
 * Places in flight with first-come waiters that may give up (an AbortSignal): the concurrency cap of
 * the rate limiter and the adaptive window share it. `capacity` is read on every take and wake, so a
 * window that grows or shrinks is followed at once.
 */
export class Slots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly capacity: () => number) {}

  get inFlight(): number {
    return this.used;
  }

  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.used < this.capacity() && this.waiters.length === 0) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.used++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  free(): void {
    this.used--;
    this.wake();
  }

  /** Lets waiters in while there is room (after a free, or when the capacity grew). */
  wake(): void {
    while (this.waiters.length && this.used < this.capacity()) this.waiters.shift()!();
  }
}
