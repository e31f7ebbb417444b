import type { PagedIterable } from '@contactkit/core';

export async function collect<T>(iterable: PagedIterable<T>): Promise<T[]> {
  return iterable.toArray();
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((x) => set.has(x));
}

/**
 * Runs `fn` over `items` with at most `concurrency` in flight. Once `stopped()` says so, or an
 * item fails, no new item starts; the ones in flight are let finish, then the first failure is
 * thrown. So nothing new is written after a run has failed.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure && !stopped()) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw failure.error;
}
