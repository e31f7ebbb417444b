import { describe, expect, it, vi } from 'vitest';
import { pageNumberCursor, paginate, type Page } from '@contactkit/core';

/** Pages 1..last of `size` items each (item = page*10 + i). */
function source(last: number, size = 2) {
  const fetchPage = vi.fn(async (p: number): Promise<Page<number, number>> => ({
    items: Array.from({ length: size }, (_, i) => p * 10 + i),
    next: p < last ? p + 1 : undefined,
  }));
  return fetchPage;
}

describe('paginate', () => {
  it('is lazy: nothing is fetched before iteration', async () => {
    const fetchPage = source(3);
    const it = paginate(1, fetchPage);
    await Promise.resolve();
    expect(fetchPage).not.toHaveBeenCalled();
    expect(await it.toArray()).toEqual([10, 11, 20, 21, 30, 31]);
    expect(fetchPage.mock.calls.map((c) => c[0])).toEqual([1, 2, 3]);
  });

  it('each iteration starts again from the first cursor', async () => {
    const fetchPage = source(2);
    const it = paginate(1, fetchPage);
    expect(await it.toArray()).toEqual(await it.toArray());
    expect(fetchPage).toHaveBeenCalledTimes(4);
  });

  it('break stops fetching', async () => {
    const fetchPage = source(5);
    const seen: number[] = [];
    for await (const item of paginate(1, fetchPage)) {
      seen.push(item);
      if (item === 20) break;
    }
    expect(seen).toEqual([10, 11, 20]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('toArray({ limit }) fetches no page beyond the limit', async () => {
    const fetchPage = source(5);
    expect(await paginate(1, fetchPage).toArray({ limit: 2 })).toEqual([10, 11]);
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(await paginate(1, fetchPage).toArray({ limit: 3 })).toEqual([10, 11, 20]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(await paginate(1, fetchPage).toArray({ limit: 0 })).toEqual([]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it('pages() yields whole pages, lazily', async () => {
    const fetchPage = source(3, 3);
    const pages: number[][] = [];
    for await (const page of paginate(1, fetchPage).pages()) {
      pages.push(page);
      if (pages.length === 2) break;
    }
    expect(pages).toEqual([[10, 11, 12], [20, 21, 22]]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('a repeated cursor stops instead of looping', async () => {
    const fetchPage = vi.fn(async (c: string) => ({ items: [c], next: c === 'a' ? 'b' : 'a' }));
    expect(await paginate('a', fetchPage).toArray()).toEqual(['a', 'b']);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('object cursors are compared by value', async () => {
    const fetchPage = vi.fn(async (c: { offset: number }) => ({ items: [c.offset], next: { offset: Math.min(c.offset + 1, 2) } }));
    expect(await paginate({ offset: 0 }, fetchPage).toArray()).toEqual([0, 1, 2]);
  });

  it('an empty page stops, even with a next cursor', async () => {
    const fetchPage = vi.fn(async (p: number) => ({ items: p === 1 ? [1] : [], next: p + 1 }));
    expect(await paginate(1, fetchPage).toArray()).toEqual([1]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('errors propagate, after the items already yielded', async () => {
    const boom = new Error('page 2 failed');
    const fetchPage = vi.fn(async (p: number) => {
      if (p === 2) throw boom;
      return { items: [p], next: p + 1 };
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of paginate(1, fetchPage)) seen.push(x);
      })(),
    ).rejects.toBe(boom);
    expect(seen).toEqual([1]);
    await expect(paginate(1, fetchPage).toArray()).rejects.toBe(boom);
  });
});

describe('pageNumberCursor', () => {
  it('stops on a short page, the known page count, or the known item count', () => {
    expect(pageNumberCursor(1, 10, 10)).toBe(2);
    expect(pageNumberCursor(1, 9, 10)).toBeUndefined();
    expect(pageNumberCursor(3, 10, 10, { pages: 3 })).toBeUndefined();
    expect(pageNumberCursor(2, 10, 10, { pages: 3 })).toBe(3);
    expect(pageNumberCursor(2, 10, 10, { items: 20 }, 20)).toBeUndefined();
    expect(pageNumberCursor(2, 10, 10, { items: 25 }, 20)).toBe(3);
  });
});
