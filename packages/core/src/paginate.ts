/** One page as an adapter reads it: the items and how to ask for the next (undefined: no more). */
export interface Page<T, C> {
  items: T[];
  next: C | undefined;
}

export interface PagedIterable<T> extends AsyncIterable<T> {
  /** the pages as they arrive */
  pages(): AsyncIterable<T[]>;
  /** collects items, stopping (and fetching no further page) once `limit` is reached */
  toArray(options?: { limit?: number }): Promise<T[]>;
}

/**
 * Turns any vendor paging (page numbers, offsets, next-page URLs) into a lazy async iterable:
 * a page is fetched only when the consumer asks for an item beyond the previous one.
 */
export function paginate<T, C>(firstCursor: C, fetchPage: (cursor: C) => Promise<Page<T, C>>): PagedIterable<T> {
  async function* pages(): AsyncGenerator<T[]> {
    let cursor: C | undefined = firstCursor;
    const seen = new Set<string>();
    while (cursor !== undefined) {
      // a vendor that hands back the same cursor would loop forever: stop instead
      const key = typeof cursor === 'object' ? JSON.stringify(cursor) : String(cursor);
      if (seen.has(key)) return;
      seen.add(key);
      const page: Page<T, C> = await fetchPage(cursor);
      // an empty page ends the walk: a vendor that keeps handing out cursors with nothing behind
      // them would otherwise loop forever. Adapters that filter client-side keep reading inside
      // fetchPage until they have an item or no next cursor.
      if (page.items.length === 0) return;
      yield page.items;
      cursor = page.next;
    }
  }
  async function* items(): AsyncGenerator<T> {
    for await (const page of pages()) yield* page;
  }
  return {
    [Symbol.asyncIterator]: () => items(),
    pages,
    async toArray(options = {}) {
      const limit = options.limit ?? Infinity;
      const out: T[] = [];
      if (limit <= 0) return out;
      for await (const item of items()) {
        out.push(item);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}

/** Page-number paging: asks for pages from `first` until a short page or the known total. */
export function pageNumberCursor(
  page: number,
  got: number,
  pageSize: number,
  total?: { pages?: number | undefined; items?: number | undefined },
  seenItems?: number,
): number | undefined {
  if (got < pageSize) return undefined;
  if (total?.pages !== undefined && page >= total.pages) return undefined;
  if (total?.items !== undefined && seenItems !== undefined && seenItems >= total.items) return undefined;
  return page + 1;
}
