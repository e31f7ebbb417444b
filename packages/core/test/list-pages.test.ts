import { describe, expect, it, vi } from 'vitest';
import { InvalidResponseError, listPages, type PageAt, type PageReply } from '@contactkit/core';

const BASE = 'https://demo.example.test/api';
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: String(from + i) }));

describe('listPages: page-number', () => {
  it('asks page after page until the totals say the end, reading past short pages', async () => {
    const fetch = vi.fn(async (at: PageAt): Promise<PageReply<{ id: string }>> => {
      // the vendor serves 3, 2, 3 items with a page size of 3 and says 8 in all
      const sizes = [3, 2, 3];
      const before = sizes.slice(0, at.page - 1).reduce((a, b) => a + b, 0);
      return { items: ids(before, sizes[at.page - 1] ?? 0), total: { items: 8 } };
    });
    const all = await listPages({ vendor: 'udesk', operation: 'agents.list', style: 'page-number', pageSize: 3, fetch, map: (w) => w }).toArray();
    expect(all.map((a) => a.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(fetch.mock.calls.map(([at]) => at.page)).toEqual([1, 2, 3]);
  });

  it('counts from firstPage (Huawei pages from 0) and ends on a short page without totals', async () => {
    const fetch = vi.fn(async (at: PageAt) => ({ items: at.page === 0 ? ids(0, 2) : ids(2, 1) }));
    const all = await listPages({ vendor: 'huawei-aicc', operation: 'x', style: 'page-number', pageSize: 2, firstPage: 0, fetch, map: (w) => w }).toArray();
    expect(all).toHaveLength(3);
    expect(fetch.mock.calls.map(([at]) => at.page)).toEqual([0, 1]);
  });

  it('a page whose items are all filtered out is read past, not taken for the end', async () => {
    const fetch = vi.fn(async (at: PageAt) => ({ items: ids(at.page * 2, 2), total: { pages: 3 } }));
    const map = (w: Array<{ id: string }>) => w.filter((x) => Number(x.id) >= 4);
    const all = await listPages({ vendor: 'kf5', operation: 'x', style: 'page-number', pageSize: 2, fetch, map }).toArray();
    expect(all.map((a) => a.id)).toEqual(['4', '5', '6', '7']);
  });
});

describe('listPages: offset', () => {
  it('moves the offset by what each page brought, up to the total', async () => {
    const fetch = vi.fn(async (at: PageAt) => ({ items: ids(at.offset, Math.min(2, 5 - at.offset)), total: { items: 5 } }));
    const all = await listPages({ vendor: 'huawei-aicc', operation: 'groups.list', style: 'offset', pageSize: 2, fetch, map: (w) => w }).toArray();
    expect(all).toHaveLength(5);
    expect(fetch.mock.calls.map(([at]) => at.offset)).toEqual([0, 2, 4]);
  });
});

describe('listPages: next-link', () => {
  const spec = (fetch: (at: PageAt) => Promise<PageReply<{ id: string }>>) =>
    ({ vendor: 'kf5', operation: 'agents.list', style: 'next-link', pageSize: 2, baseUrl: BASE, fetch, map: (w: Array<{ id: string }>) => w }) as const;

  it('follows same-host links on our own origin, whatever scheme the link prints', async () => {
    const fetch = vi.fn(async (at: PageAt) => {
      if (!at.link) return { items: ids(0, 2), nextLink: 'http://demo.example.test/api/users.json?per_page=2&page=2' };
      return { items: ids(2, 1), nextLink: null };
    });
    expect(await listPages(spec(fetch)).toArray()).toHaveLength(3);
    expect(fetch.mock.calls[1]![0].link).toBe('https://demo.example.test/api/users.json?page=2&per_page=2');
  });

  it('refuses a link to another host or outside the API root', async () => {
    for (const nextLink of ['https://evil.test/api/users.json?page=2', 'https://demo.example.test/other/users.json?page=2', 'javascript:alert(1)']) {
      const fetch = async () => ({ items: ids(0, 2), nextLink });
      await expect(listPages(spec(fetch)).toArray()).rejects.toBeInstanceOf(InvalidResponseError);
    }
  });

  it('a link back to a page already read stops the walk (same page, parameters in another order)', async () => {
    const fetch = vi.fn(async (at: PageAt) => ({
      items: at.link ? ids(2, 2) : ids(0, 2),
      nextLink: at.link ? 'users.json?per_page=2&page=2' : 'users.json?page=2&per_page=2',
    }));
    await expect(listPages(spec(fetch)).toArray()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('no link while the total says more: the next page number is asked', async () => {
    const fetch = vi.fn(async (at: PageAt) => ({ items: ids((at.page - 1) * 2, at.page < 3 ? 2 : 1), total: { items: 5 } }));
    expect(await listPages(spec(fetch)).toArray()).toHaveLength(5);
    expect(fetch.mock.calls.map(([at]) => [at.page, at.link])).toEqual([[1, undefined], [2, undefined], [3, undefined]]);
  });
});

describe('listPages: next-link back to the first page', () => {
  it('is refused before it is fetched again when the first page is named', async () => {
    const fetch = vi.fn(async (at: PageAt) => ({ items: ids(at.page * 2, 2), nextLink: 'users.json?per_page=2&page=1' }));
    const spec = { vendor: 'kf5', operation: 'agents.list', style: 'next-link', pageSize: 2, baseUrl: BASE, firstLink: 'users.json?page=1&per_page=2', fetch, map: (w: Array<{ id: string }>) => w } as const;
    await expect(listPages(spec).toArray()).rejects.toBeInstanceOf(InvalidResponseError);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
