import { InvalidResponseError } from './errors';
import type { z } from 'zod';
import type { VendorId } from './model';
import type { QueryValue } from './transport';

/** The vendor's own count of a list, as its reply states it (a total of pages or of items). */
export interface PageTotals {
  items?: number | undefined;
  pages?: number | undefined;
}

/** One page as an adapter reads it: the items and how to ask for the next (undefined: no more). */
export interface Page<T, C> {
  items: T[];
  next: C | undefined;
  /** the vendor's totals when the reply carries them: they bound how far the walk may go */
  total?: PageTotals | undefined;
}

export interface PaginateOptions<T, C = unknown> {
  /**
   * An item's identity for the repeated-item guard. Default: `item.id` (a string or number) for
   * objects, the item itself for strings and numbers. Undefined leaves an item unchecked.
   */
  idOf?: ((item: T) => string | number | undefined) | undefined;
  /** named in errors */
  vendor?: VendorId | undefined;
  /** named in errors, e.g. `agents.list` */
  operation?: string | undefined;
  /** a cursor's identity for the repeated-cursor guard (default: its JSON) */
  cursorKey?: ((cursor: C) => string) | undefined;
}

/** Where a walk stands when it asks for a page. */
export interface PageProgress {
  /** this page's position in the walk, from 1 */
  page: number;
  /** items received on the earlier pages of this walk: `seenItems` for pageNumberCursor is this plus the page's own */
  itemsSoFar: number;
}

export interface PagedIterable<T> extends AsyncIterable<T> {
  /** the pages as they arrive */
  pages(): AsyncIterable<T[]>;
  /** collects items, stopping (and fetching no further page) once `limit` is reached */
  toArray(options?: { limit?: number }): Promise<T[]>;
}

/** Pages a walk may go past the vendor's own totals: room for a list that grows while it is read. */
export const PAGE_MARGIN = 2;

/**
 * Turns any vendor paging (page numbers, offsets, next-page URLs) into a lazy async iterable:
 * a page is fetched only when the consumer asks for an item beyond the previous one.
 *
 * A vendor whose paging goes wrong must not make a list endless nor silently short, so the walk
 * stops with InvalidResponseError when
 * - a page repeats ids seen on earlier pages (the cursor moved, the data did not);
 * - a cursor comes back that was already fetched (the rest of the list cannot be reached: ending
 *   quietly there would pass a truncated list off as complete);
 * - the walk goes past the vendor's own totals by more than PAGE_MARGIN pages.
 * An empty page ends the walk normally.
 */
export function paginate<T, C>(
  firstCursor: C,
  fetchPage: (cursor: C, progress: PageProgress) => Promise<Page<T, C>>,
  options: PaginateOptions<T, C> = {},
): PagedIterable<T> {
  async function* pages(): AsyncGenerator<T[]> {
    const guard = new PageGuard<T, C>(options);
    let cursor: C | undefined = firstCursor;
    for (let n = 1; cursor !== undefined; n++) {
      guard.beforeFetch(n, cursor);
      const page: Page<T, C> = await fetchPage(cursor, { page: n, itemsSoFar: guard.itemsSoFar });
      // an empty page ends the walk: a vendor that keeps handing out cursors with nothing behind
      // them would otherwise loop forever. Adapters that filter client-side keep reading inside
      // fetchPage until they have an item or no next cursor.
      if (page.items.length === 0) return;
      guard.afterFetch(n, page);
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

/** What one walk has seen: cursors, ids, item count and the vendor's latest totals. */
class PageGuard<T, C> {
  private readonly cursors = new Set<string>();
  private readonly ids = new Set<string>();
  private readonly idOf: (item: T) => string | number | undefined;
  private items = 0;
  private largestPage = 0;
  private total: { items?: number; pages?: number } = {};

  constructor(private readonly options: PaginateOptions<T, C>) {
    this.idOf = options.idOf ?? (defaultId as (item: T) => string | number | undefined);
  }

  get itemsSoFar(): number {
    return this.items;
  }

  beforeFetch(n: number, cursor: C): void {
    const key = this.options.cursorKey ? this.options.cursorKey(cursor) : typeof cursor === 'object' ? JSON.stringify(cursor) : String(cursor);
    // the cursor itself is not quoted: a next-page link may carry a signature
    if (this.cursors.has(key)) this.fail(`page ${n} would fetch a cursor already fetched on an earlier page`);
    this.cursors.add(key);
    const pages = this.total.pages;
    if (pages !== undefined && n > pages + PAGE_MARGIN) {
      this.fail(`page ${n} is beyond the ${pages} pages the vendor's own total announces (+${PAGE_MARGIN} pages of margin)`);
    }
  }

  afterFetch(n: number, page: Page<T, unknown>): void {
    let repeated = 0;
    const fresh: string[] = [];
    for (const item of page.items) {
      const id = this.idOf(item);
      if (id === undefined) continue;
      const key = String(id);
      if (this.ids.has(key)) repeated++;
      else fresh.push(key);
    }
    // ids are counted, never quoted: they may be emails or account names
    if (repeated > 0) this.fail(`page ${n} repeats ${repeated} of its ${page.items.length} ids already seen on earlier pages`);
    for (const key of fresh) this.ids.add(key);
    this.items += page.items.length;
    this.largestPage = Math.max(this.largestPage, page.items.length);
    // the latest totals win: a list that grows while it is read raises them
    if (isCount(page.total?.pages)) this.total.pages = page.total.pages;
    if (isCount(page.total?.items)) this.total.items = page.total.items;
    const allowed = this.total.items === undefined ? undefined : this.total.items + PAGE_MARGIN * this.largestPage;
    if (allowed !== undefined && this.items > allowed) {
      this.fail(`page ${n} brings the list to ${this.items} items, more than the ${this.total.items} the vendor's own total announces (+${PAGE_MARGIN} pages of margin)`);
    }
  }

  private fail(what: string): never {
    const who = [this.options.vendor, this.options.operation].filter(Boolean).join(' ') || 'paginate';
    throw new InvalidResponseError(`${who}: ${what}; the vendor's paging is inconsistent, so the list was stopped rather than read forever or in part`, {
      vendor: this.options.vendor,
      retryable: false,
    });
  }
}

function defaultId(item: unknown): string | number | undefined {
  if (typeof item === 'string' || typeof item === 'number') return item;
  if (typeof item === 'object' && item !== null) {
    const id = (item as { id?: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Page-number paging: the next page number, or undefined at the end. `page` counts from 1 when
 * `total.pages` is given. The vendor's totals decide when they are known: a page shorter than
 * `pageSize` is not the end while they say more exist (some vendors serve such pages). Without totals a
 * short page ends the list; an empty page always does.
 */
export function pageNumberCursor(
  page: number,
  got: number,
  pageSize: number,
  total?: PageTotals,
  seenItems?: number,
): number | undefined {
  if (got === 0) return undefined;
  const more = moreAnnounced(page, total, seenItems);
  if (more !== undefined) return more ? page + 1 : undefined;
  return got < pageSize ? undefined : page + 1;
}

/** Whether the vendor's totals say more exist: undefined when it gave none that apply. */
function moreAnnounced(page: number, total: PageTotals | undefined, seenItems: number | undefined): boolean | undefined {
  const byPages = isCount(total?.pages) ? page < total.pages : undefined;
  const byItems = isCount(total?.items) && seenItems !== undefined ? seenItems < total.items : undefined;
  if (byPages === false || byItems === false) return false;
  if (byPages === true || byItems === true) return true;
  return undefined;
}

// ---- the three paging styles, written once ----------------------------------------------------

/**
 * How a vendor's list pages: `page-number` (page + page size, totals in the reply), `offset`
 * (offset + limit, a total in the reply) or `next-link` (the reply links the next page).
 */
export type PagingStyle = 'page-number' | 'offset' | 'next-link';

/** Where the next page is: what a list's `fetch` puts in its request. */
export interface PageAt {
  /** page-number: the page to ask for (counted from `firstPage`) */
  page: number;
  /** offset: the items before this page */
  offset: number;
  /** next-link: the absolute URL of the linked page (on the API's own origin); undefined on the first page */
  link?: string | undefined;
}

/** One vendor reply as a list reads it. */
export interface PageReply<W> {
  items: W[];
  /** the vendor's totals, when it sends them: they decide where the list ends */
  total?: PageTotals | undefined;
  /** next-link: the reply's link to the next page (absolute or relative to the API root) */
  nextLink?: string | null | undefined;
}

/**
 * One list as an adapter's resource asks for it: where, how many a page, the reply's schema and
 * where its items are. Each adapter turns it into a `listPages` walk in its own paging style.
 */
export interface ListCall<R, W, T> {
  operation: string;
  /** the first page's path (and query); later pages follow the vendor's paging */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  /** items per page asked */
  pageSize: number;
  schema: z.ZodType<R>;
  itemsOf(reply: R): W[];
  map(items: W[]): T[] | Promise<T[]>;
  signal?: AbortSignal | undefined;
}

export interface ListSpec<W, T> {
  vendor: VendorId;
  /** named in errors, e.g. `agents.list` */
  operation: string;
  style: PagingStyle;
  pageSize: number;
  /** page-number: the first page's number (default 1) */
  firstPage?: number | undefined;
  /** next-link: the API root links are resolved against and must stay under */
  baseUrl?: string | undefined;
  /** next-link: the first page's URL (path and query as the first request sends them), so a link back to it is refused unread */
  firstLink?: string | undefined;
  fetch(at: PageAt): Promise<PageReply<W>>;
  /** wire items → model items; items it drops (filtered out) leave a shorter page */
  map(items: W[]): T[] | Promise<T[]>;
  idOf?: PaginateOptions<T>['idOf'];
}

interface WalkCursor {
  page: number;
  offset: number;
  link?: string | undefined;
}

/**
 * A lazy list in the vendor's paging style. The vendor's totals decide the end when given (a short
 * page is not the end while they say more exist); without them a short page ends the list. A page
 * whose items are all filtered out is read past, not taken for the end.
 */
export function listPages<W, T>(spec: ListSpec<W, T>): PagedIterable<T> {
  const first: WalkCursor = { page: spec.firstPage ?? 1, offset: 0 };
  const firstKey = spec.firstLink === undefined ? undefined : followLink(spec, spec.firstLink);
  return paginate<T, WalkCursor>(
    first,
    async (cursor) => {
      let at: WalkCursor | undefined = cursor;
      while (at) {
        const reply = await spec.fetch(at);
        const next: WalkCursor | undefined = nextPageAt(spec, at, reply);
        const items = await spec.map(reply.items);
        if (items.length > 0 || !next || reply.items.length === 0) return { items, next, total: reply.total };
        at = next;
      }
      return { items: [], next: undefined };
    },
    { vendor: spec.vendor, operation: spec.operation, idOf: spec.idOf, cursorKey: (c) => c.link ?? (c === first && firstKey ? firstKey : `page ${c.page} offset ${c.offset}`) },
  );
}

function nextPageAt<W, T>(spec: ListSpec<W, T>, at: WalkCursor, reply: PageReply<W>): WalkCursor | undefined {
  const got = reply.items.length;
  if (got === 0) return undefined;
  const offset = at.offset + got;
  if (spec.style === 'next-link') {
    const link = followLink(spec, reply.nextLink);
    if (link) return { page: at.page + 1, offset, link };
    // no link: the totals may still say more exist (a short page is not the end)
    if (!isCount(reply.total?.items) || offset >= reply.total.items) return undefined;
    return { page: at.page + 1, offset, link: at.link === undefined ? undefined : withPage(at.link, at.page + 1) };
  }
  const firstPage = spec.firstPage ?? 1;
  const next = pageNumberCursor(at.page - firstPage + 1, got, spec.pageSize, reply.total, offset);
  return next === undefined ? undefined : { page: next + firstPage - 1, offset };
}

/**
 * A next-page link, resolved against the API root. A link to the API's host is followed whatever
 * its scheme (a tenant behind a TLS proxy prints `http://`) but always sent to our own origin, so
 * credentials never leave TLS; a link to another host, port or path is refused.
 */
function followLink<W, T>(spec: ListSpec<W, T>, link: string | null | undefined): string | undefined {
  if (typeof link !== 'string' || link.trim() === '') return undefined;
  const base = new URL((spec.baseUrl ?? '').replace(/\/*$/, '/'));
  let url: URL;
  try {
    url = new URL(link.trim(), base);
  } catch {
    throw new InvalidResponseError(`${spec.vendor} reply to ${spec.operation} has an unreadable next-page link`, { vendor: spec.vendor });
  }
  if (!sameApiHost(url, base) || !url.pathname.startsWith(base.pathname)) {
    throw new InvalidResponseError(`${spec.vendor} reply to ${spec.operation} points its next-page link outside the API root (${url.origin}); not followed`, {
      vendor: spec.vendor,
    });
  }
  const own = new URL(url.pathname + url.search, base.origin);
  own.searchParams.sort(); // one spelling per page, so the walk's repeated-cursor guard sees a page asked twice
  return own.toString();
}

function sameApiHost(url: URL, base: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.hostname.toLowerCase() !== base.hostname.toLowerCase()) return false;
  const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
  return url.port === '' || port(url) === port(base);
}

function withPage(link: string, page: number): string {
  const url = new URL(link);
  url.searchParams.set('page', String(page));
  url.searchParams.sort();
  return url.toString();
}
