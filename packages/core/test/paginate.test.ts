import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InvalidResponseError, PAGE_MARGIN, pageNumberCursor, paginate, type Page, type PageTotals } from '@contactkit/core';
import { renderAll } from './helpers';

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

  it('a cursor that comes back is an InvalidResponseError, not a quiet end (the rest of the list is unreachable)', async () => {
    // the ids differ, so only the cursor guard can stop it
    let n = 0;
    const fetchPage = vi.fn(async (c: string) => ({ items: [`item-${n++}`], next: c === 'a' ? 'b' : 'a' }));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const x of paginate('a', fetchPage, { vendor: 'kf5', operation: 'agents.list' })) seen.push(x);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toBe(
      "kf5 agents.list: page 3 would fetch a cursor already fetched on an earlier page; the vendor's paging is inconsistent, so the list was stopped rather than read forever or in part",
    );
    expect(error).toMatchObject({ vendor: 'kf5', retryable: false });
    expect(seen).toEqual(['item-0', 'item-1']);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('object cursors are compared by value, and the cursor is never quoted', async () => {
    const fetchPage = vi.fn(async (c: { path: string }) => ({ items: [{ id: c.path }], next: { path: '/next?sign=sig-secret-1' } }));
    const error = await paginate({ path: '/first' }, fetchPage).toArray().catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(renderAll(error)).not.toContain('sig-secret-1');
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
  it('stops on a short page (no totals), the known page count, or the known item count', () => {
    expect(pageNumberCursor(1, 10, 10)).toBe(2);
    expect(pageNumberCursor(1, 9, 10)).toBeUndefined();
    expect(pageNumberCursor(3, 10, 10, { pages: 3 })).toBeUndefined();
    expect(pageNumberCursor(2, 10, 10, { pages: 3 })).toBe(3);
    expect(pageNumberCursor(2, 10, 10, { items: 20 }, 20)).toBeUndefined();
    expect(pageNumberCursor(2, 10, 10, { items: 25 }, 20)).toBe(3);
  });

  it('a short page is not the end while the totals say more exist (Udesk serves such pages)', () => {
    expect(pageNumberCursor(1, 20, 100, { pages: 5 })).toBe(2);
    expect(pageNumberCursor(1, 20, 100, { items: 90 }, 20)).toBe(2);
    expect(pageNumberCursor(0, 20, 100, { items: 90 }, 20)).toBe(1); // 0-based numbering, items only (Huawei)
    expect(pageNumberCursor(5, 20, 100, { pages: 5 })).toBeUndefined();
    expect(pageNumberCursor(5, 10, 100, { items: 90 }, 90)).toBeUndefined();
    // one total says done: done, whatever the other says
    expect(pageNumberCursor(2, 20, 100, { pages: 2, items: 500 }, 40)).toBeUndefined();
    // totals given but not usable (items without seenItems, nonsense values): the page length decides
    expect(pageNumberCursor(1, 20, 100, { items: 90 })).toBeUndefined();
    expect(pageNumberCursor(1, 20, 100, { pages: Number.NaN })).toBeUndefined();
  });

  it('an empty page always ends the list', () => {
    expect(pageNumberCursor(1, 0, 100, { pages: 9 })).toBeUndefined();
    expect(pageNumberCursor(1, 0, 100, { items: 500 }, 0)).toBeUndefined();
    expect(pageNumberCursor(1, 0, 0)).toBeUndefined();
  });

  it('property: against a vendor that caps pages below per_page and states its totals, a walk reads every item exactly once and stops', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom<'pages' | 'items' | 'both'>('pages', 'items', 'both'),
        async (count, perPage, cap, stated) => {
          const served = Math.min(perPage, cap); // the vendor's own page size
          const totalPages = Math.ceil(count / served);
          const fetchPage = vi.fn(async (page: number): Promise<Page<number, number>> => {
            const items = Array.from({ length: Math.max(0, Math.min(served, count - (page - 1) * served)) }, (_, i) => (page - 1) * served + i);
            const total = { pages: stated === 'items' ? undefined : totalPages, items: stated === 'pages' ? undefined : count };
            return { items, total, next: pageNumberCursor(page, items.length, perPage, total, (page - 1) * served + items.length) };
          });
          const got = await paginate(1, fetchPage).toArray();
          expect(got).toEqual(Array.from({ length: count }, (_, i) => i));
          expect(fetchPage.mock.calls.length).toBeLessThanOrEqual(Math.max(1, totalPages));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: without totals, the first short page ends the list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 100 }), (page, pageSize, got) => {
        expect(pageNumberCursor(page, got, pageSize)).toBe(got > 0 && got >= pageSize ? page + 1 : undefined);
      }),
    );
  });
});

/** Drains a walk, returning what was yielded and how it ended. */
async function walk<T>(it: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const x of it) items.push(x);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

describe('paginate guards against vendor paging that goes wrong', () => {
  it('a page that repeats ids of earlier pages (cursor moves, data does not) → InvalidResponseError naming the page, not the ids', async () => {
    // Udesk `total_pages: 1e9` serving page 1 again and again
    const fetchPage = vi.fn(async (p: number) => ({ items: [{ id: 'agent-7781', email: 'ann@example.com' }, { id: 'agent-7782', email: 'bob@example.com' }], next: p + 1 }));
    const { items, error } = await walk(paginate(1, fetchPage, { vendor: 'udesk', operation: 'agents.list' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain('udesk agents.list: page 2 repeats 2 of its 2 ids already seen on earlier pages');
    expect(renderAll(error)).not.toMatch(/ann@example|bob@example|agent-778/);
    expect(items).toHaveLength(2); // the repeating page is not yielded
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('a single repeated id is enough; duplicates inside one page are not a paging fault', async () => {
    const pages: Record<number, Page<string, number>> = {
      1: { items: ['a', 'a', 'b'], next: 2 },
      2: { items: ['c', 'b'], next: undefined },
    };
    const { items, error } = await walk(paginate(1, async (p) => pages[p]!));
    expect(items).toEqual(['a', 'a', 'b']);
    expect((error as Error).message).toContain('page 2 repeats 1 of its 2 ids');
  });

  it('ids: item.id (string or number, compared as strings), the item itself for strings and numbers, else idOf', async () => {
    const twice = <T>(first: T[], second: T[]) => async (p: number): Promise<Page<T, number>> => ({ items: p === 1 ? first : second, next: p === 1 ? 2 : undefined });
    expect((await walk(paginate(1, twice([{ id: 7 }], [{ id: '7' }])))).error).toBeInstanceOf(InvalidResponseError);
    expect((await walk(paginate(1, twice([3], [3])))).error).toBeInstanceOf(InvalidResponseError);
    // no id to compare: not checked (the cursor guard still bounds the walk)
    expect((await walk(paginate(1, twice([{ name: 'x' }], [{ name: 'x' }])))).error).toBeUndefined();
    const byEmail = twice([{ email: 'a@x' }], [{ email: 'a@x' }]);
    expect((await walk(paginate(1, byEmail, { idOf: (m) => m.email }))).error).toBeInstanceOf(InvalidResponseError);
    expect((await walk(paginate(1, twice([{ id: 1 }], [{ id: 1 }]), { idOf: () => undefined }))).error).toBeUndefined();
  });

  it(`more pages than the vendor's total.pages + ${PAGE_MARGIN} → InvalidResponseError before the extra request`, async () => {
    const fetchPage = vi.fn(async (p: number) => ({ items: [`a${p}`], next: p + 1, total: { pages: 3 } }));
    const { items, error } = await walk(paginate(1, fetchPage, { vendor: 'huawei-aicc' }));
    expect((error as Error).message).toContain(`huawei-aicc: page 6 is beyond the 3 pages the vendor's own total announces (+2 pages of margin)`);
    expect(items).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(fetchPage).toHaveBeenCalledTimes(3 + PAGE_MARGIN);
  });

  it(`more items than the vendor's total.items + ${PAGE_MARGIN} pages → InvalidResponseError`, async () => {
    // a Huawei `total` of 4 while fresh pages of 2 keep coming
    const fetchPage = vi.fn(async (p: number) => ({ items: [`a${p}`, `b${p}`], next: p + 1, total: { items: 4 } }));
    const { items, error } = await walk(paginate(1, fetchPage, { operation: 'groups.members' }));
    expect((error as Error).message).toContain("groups.members: page 5 brings the list to 10 items, more than the 4 the vendor's own total announces");
    expect(items).toHaveLength(8);
  });

  it('the latest totals count: a list that grows while it is read is not an error', async () => {
    const fetchPage = vi.fn(async (p: number) => ({ items: [`a${p}`], next: p < 6 ? p + 1 : undefined, total: { pages: p + 1 } }));
    const { items, error } = await walk(paginate(1, fetchPage));
    expect(error).toBeUndefined();
    expect(items).toHaveLength(6);
  });

  it('nonsense totals (negative, NaN, Infinity) are ignored, not trusted', async () => {
    for (const total of [{ pages: -1 }, { items: Number.NaN }, { pages: Number.POSITIVE_INFINITY }] as PageTotals[]) {
      const fetchPage = async (p: number) => ({ items: [p], next: p < 5 ? p + 1 : undefined, total });
      expect(await paginate(1, fetchPage).toArray()).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('property: an honest vendor (any sizes, any totals it states truly) always yields every item once, no error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('none', 'pages', 'items', 'both'),
        async (sizes, totals) => {
          const all = sizes.map((n, p) => Array.from({ length: n }, (_, i) => ({ id: `${p}-${i}` })));
          const count = all.flat().length;
          const total: PageTotals | undefined =
            totals === 'none' ? undefined : { pages: totals === 'items' ? undefined : sizes.length, items: totals === 'pages' ? undefined : count };
          const fetchPage = async (p: number) => ({ items: all[p]!, next: p + 1 < all.length ? p + 1 : undefined, total });
          const { items, error } = await walk(paginate(0, fetchPage));
          expect(error).toBeUndefined();
          expect(items).toEqual(all.flat());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: a vendor that replays any earlier page under a new cursor is stopped at that page, having fetched nothing beyond it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        async (honestPages, size, pick) => {
          const replayed = pick % honestPages;
          const pageItems = (p: number) => Array.from({ length: size }, (_, i) => `${p < honestPages ? p : replayed}:${i}`);
          const fetchPage = vi.fn(async (p: number) => ({ items: pageItems(p), next: p + 1, total: { pages: 1e9 } }));
          const { items, error } = await walk(paginate(0, fetchPage));
          expect(error).toBeInstanceOf(InvalidResponseError);
          expect((error as Error).message).toContain(`page ${honestPages + 1} repeats ${size} of its ${size} ids`);
          expect(items).toHaveLength(honestPages * size);
          expect(fetchPage).toHaveBeenCalledTimes(honestPages + 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('fetchPage is told where the walk stands', () => {
  it('page (from 1) and itemsSoFar, counted afresh on each iteration: the true seenItems when pages are capped', async () => {
    const progress: Array<[number, number]> = [];
    // a vendor that serves 3 where 10 were asked, and says 7 in all
    const fetchPage = async (p: number, at: { page: number; itemsSoFar: number }) => {
      progress.push([at.page, at.itemsSoFar]);
      const items = Array.from({ length: Math.min(3, 7 - at.itemsSoFar) }, (_, i) => at.itemsSoFar + i);
      const total = { items: 7 };
      return { items, total, next: pageNumberCursor(p, items.length, 10, total, at.itemsSoFar + items.length) };
    };
    const list = paginate(1, fetchPage);
    expect(await list.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await list.toArray({ limit: 2 })).toEqual([0, 1]);
    expect(progress).toEqual([[1, 0], [2, 3], [3, 6], [1, 0]]);
  });
});
