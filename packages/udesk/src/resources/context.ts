/**
 * What every Udesk resource function works with: core's adapter context plus the client's create
 * defaults and read choices, and the one way a Udesk list is walked.
 */
import {
  EmailSchema,
  createAdapterContext,
  listPages,
  parseInput,
  type AdapterContext,
  type ListCall,
  type PagedIterable,
  type PageTotals,
} from '@contactkit/core';
import { z } from 'zod';
import { udeskAdapter } from '../adapter';
import type { UdeskClientOptions } from '../client';
import { DEFAULT_IM_ABILITY_VALUE, UDESK_REQUIRED_ID_FIELDS, type UdeskCreateDefaults } from '../mapping';
import { UDESK_MAX_IDS, UdeskIdTextSchema, type UdeskMeta } from '../wire';

export interface ResourceContext extends AdapterContext {
  /** keep the SIP `number`/`password` of agents in `remoteData` */
  readonly exposeSipCredentials: boolean;
  /** `im_ability_value` on create when vendorFields has none */
  readonly defaultImAbilityValue: number;
  /** ids a create sends for a required array the input leaves empty */
  readonly defaults: UdeskCreateDefaults;
  /** how listed agents get their role ids: 'unknown' (as listed) or 'get_agent' (read again) */
  readonly roleIdsOnList: 'unknown' | 'get_agent';
}

const DefaultIdsSchema = z
  .array(UdeskIdTextSchema, { error: 'must be a non-empty array of Udesk ids' })
  .min(1, 'must be a non-empty array of Udesk ids')
  .max(UDESK_MAX_IDS, `must hold at most ${UDESK_MAX_IDS} ids`);

const OptionsSchema = z
  .looseObject({
    email: z.string({ error: 'must be the administrator email address' }).refine((email) => EmailSchema.safeParse(email).success, 'must be the administrator email address'),
    apiToken: z.string().optional(),
    password: z.string().optional(),
    defaultImAbilityValue: z.number({ error: 'must be an integer' }).int('must be an integer').optional(),
    defaults: z
      .object(Object.fromEntries(UDESK_REQUIRED_ID_FIELDS.map((field) => [field, DefaultIdsSchema.optional()])))
      .catchall(z.never({ error: `unknown default (allowed: ${UDESK_REQUIRED_ID_FIELDS.join(', ')})` }))
      .optional(),
    roleIdsOnList: z.enum(['unknown', 'get_agent'], { error: "must be 'unknown' or 'get_agent'" }).optional(),
  })
  .superRefine(
    (options, issues) => {
      if (!options?.apiToken && !options?.password) issues.addIssue({ code: 'custom', path: ['apiToken'], message: 'give apiToken or password' });
    },
    { when: () => true },
  );

/** Checks the client options (nothing is sent with bad ones) and builds the context. */
export function createResourceContext(options: UdeskClientOptions): ResourceContext {
  // zod's messages here are fixed strings: no option value (a token, a password) reaches them
  parseInput(OptionsSchema, options, { vendor: udeskAdapter.vendor });
  return {
    ...createAdapterContext(udeskAdapter, options),
    exposeSipCredentials: options.exposeSipCredentials === true,
    defaultImAbilityValue: options.defaultImAbilityValue ?? DEFAULT_IM_ABILITY_VALUE,
    defaults: { ...options.defaults },
    roleIdsOnList: options.roleIdsOnList ?? 'unknown',
  };
}

/** A Udesk id as the caller names it (a numeric string) → the number the wire takes; ValidationError naming `id` otherwise. */
export function checkId(ctx: AdapterContext, id: string): number {
  return Number(ctx.validate(UdeskIdTextSchema, id, 'id'));
}

/** Udesk's own totals (`meta.count` in older replies): they decide the walk, a short page does not end it. */
export function totalsOf(meta: UdeskMeta | null | undefined): PageTotals {
  return { pages: meta?.total_pages ?? undefined, items: meta?.total_count ?? meta?.count ?? undefined };
}

interface ListReply {
  meta?: UdeskMeta | null | undefined;
}


/** A Udesk list: `page` + `per_page`, `meta` totals deciding the end (core's page-number paging). */
export function listUdesk<R extends ListReply, W, T>(ctx: ResourceContext, spec: ListCall<R, W, T>): PagedIterable<T> {
  const { operation, path, query = {}, pageSize, schema, signal } = spec;
  return listPages({
    vendor: ctx.vendor,
    operation,
    style: 'page-number',
    pageSize,
    fetch: async ({ page }) => {
      const reply = await ctx.call(operation, { method: 'GET', path, query: { ...query, page, per_page: pageSize }, schema, signal });
      return { items: spec.itemsOf(reply), total: totalsOf(reply.meta) };
    },
    map: spec.map,
  });
}
