/**
 * What every KF5 resource function works with: core's adapter context plus the timezone KF5
 * timestamps are read in, and the one way a KF5 list is walked.
 */
import { ValidationError, createAdapterContext, listPages, type AdapterContext, type ListCall, type PagedIterable } from '@contactkit/core';
import { kf5Adapter } from '../adapter';
import type { Kf5ClientOptions } from '../client';
import { DEFAULT_KF5_TIMEZONE, parseTimezoneOffset } from '../mapping';

export interface ResourceContext extends AdapterContext {
  /** the UTC offset KF5 timestamps are read in, e.g. '+08:00' (they carry none) */
  readonly timezone: string;
}

export function createResourceContext(options: Kf5ClientOptions): ResourceContext {
  const timezone = options.timezone ?? DEFAULT_KF5_TIMEZONE;
  if (parseTimezoneOffset(timezone) === undefined) {
    throw new ValidationError([{ path: 'timezone', message: "must be a UTC offset such as '+08:00' or 'Z'" }], { vendor: kf5Adapter.vendor });
  }
  return { ...createAdapterContext(kf5Adapter, options), timezone };
}

/** A KF5 list reply: the items under their key, `count` (all items) and the `next_page` link. */
interface ListReply {
  count?: number | null | undefined;
  next_page?: string | null | undefined;
}


/**
 * A KF5 list: follows `next_page` links; without one, asks the next page number while `count` says
 * more exist (core's next-link paging).
 */
export function listKf5<R extends ListReply, W, T>(ctx: ResourceContext, spec: ListCall<R, W, T>): PagedIterable<T> {
  const { operation, path, query = {}, schema, signal } = spec;
  const fetch = async (at: { page: number; link?: string | undefined }) => {
    const pageQuery = at.page === 1 ? query : { ...query, page: at.page };
    const reply = await ctx.call(operation, { method: 'GET', path: at.link ?? path, query: at.link ? undefined : pageQuery, schema, signal });
    return { items: spec.itemsOf(reply), nextLink: reply.next_page, total: { items: reply.count ?? undefined } };
  };
  const baseUrl = ctx.transport.baseUrl;
  return listPages({
    vendor: ctx.vendor,
    operation,
    style: 'next-link',
    pageSize: spec.pageSize,
    baseUrl,
    firstLink: `${path}?${new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined || v === null ? [] : [[k, String(v)] as [string, string]])))}`,
    fetch,
    map: spec.map,
  });
}
