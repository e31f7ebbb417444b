import nock from 'nock';
import { z } from 'zod';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  REDACTED,
  ValidationError,
  VendorError,
  bindContext,
  clientMembers,
  createAdapterContext,
  defineAdapter,
  isSecretKey,
  redact,
  type CommonClientOptions,
  type HttpTransport,
} from '@contactkit/core';
import { recordingLogger } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const ORIGIN = 'https://demo.example.test';

interface DemoOptions extends CommonClientOptions {
  subdomain?: string;
  user: string;
  ticket: string;
}

/** A made-up vendor: a ticket header, errors as `{ ok: false, why }`, a `zz_ticket_secret` field. */
const demoAdapter = defineAdapter<DemoOptions>({
  vendor: 'kf5',
  baseUrlFromSubdomain: (s) => `https://${s}.example.test/api`,
  defaultHeaders: { Accept: 'application/json' },
  account: (o) => o.user,
  auth: (o) => ({
    // created with the transport it decorates: the strategy may call through it
    strategy: (transport: HttpTransport) => ({
      authenticate(request) {
        request.headers['x-ticket'] = `${o.ticket}@${new URL(transport.baseUrl).host}`;
      },
    }),
    secrets: [o.ticket],
  }),
  classify: (response, errorOptions) => {
    const body = response.body as { ok?: boolean; why?: string } | null;
    if (body?.ok === false) return new VendorError(`demo says no: ${body.why}`, errorOptions());
    return undefined;
  },
  secretFields: ['zz_ticket_secret'],
  messageFields: ['why'],
  passwordRules: { minLength: 6, maxLength: 20, requiredClasses: [], specials: '' },
  maxPageSize: 50,
  capabilities: {
    agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true },
    groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
    roles: { list: true, create: false },
  },
});

describe('defineAdapter', () => {
  it('registers the vendor secret fields with redaction', () => {
    expect(isSecretKey('zz_ticket_secret')).toBe(true);
    expect(redact({ zzTicketSecret: 'abcd' })).toEqual({ zzTicketSecret: REDACTED });
  });

  it('freezes the definition', () => {
    expect(Object.isFrozen(demoAdapter)).toBe(true);
  });
});

describe('createAdapterContext', () => {
  const ctx = () => createAdapterContext(demoAdapter, { subdomain: 'demo', user: 'me@x.test', ticket: 'tkt-secret-1', retry: false });

  it('builds the transport from the definition: base URL, auth created with the transport, classify with error options', async () => {
    const scope = nock(ORIGIN, { reqheaders: { 'x-ticket': 'tkt-secret-1@demo.example.test' } })
      .get('/api/things')
      .reply(200, { things: [1] })
      .get('/api/broken')
      .reply(200, { ok: false, why: 'tkt-secret-1 is not allowed here' });
    const c = ctx();
    expect(c.transport.baseUrl).toBe('https://demo.example.test/api');
    expect(await c.call('things.list', { method: 'GET', path: 'things', schema: z.object({ things: z.array(z.number()) }) })).toEqual({ things: [1] });
    const error = await c.call('things.broken', { method: 'GET', path: 'broken', schema: z.unknown() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).status).toBe(200);
    expect((error as VendorError).message).not.toContain('tkt-secret-1');
    scope.done();
  });

  it("an unclassified error names the vendor's message field", async () => {
    nock(ORIGIN).get('/api/x').reply(418, { why: 'teapot reasons' });
    const error = await ctx().call('x', { method: 'GET', path: 'x', schema: z.unknown() }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('teapot reasons');
  });

  it('pageSize: the vendor maximum by default, capped at it, ValidationError for a bad one', () => {
    const c = ctx();
    expect(c.pageSize()).toBe(50);
    expect(c.pageSize({ pageSize: 10 })).toBe(10);
    expect(c.pageSize({ pageSize: 500 })).toBe(50);
    for (const pageSize of [0, -1, 1.5]) expect(() => c.pageSize({ pageSize })).toThrow(ValidationError);
  });

  it('validate and validateWire name the model field; nothing is sent', () => {
    const c = ctx();
    const model = z.object({ email: z.string().email() });
    expect(() => c.validate(model, { email: 'no' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'email' })] }));
    const wire = z.object({ user: z.object({ mail_addr: z.string().max(5) }) });
    const fieldOf = (path: PropertyKey[]) => (path.join('.') === 'user.mail_addr' ? 'email' : path.join('.'));
    expect(() => c.validateWire(wire, { user: { mail_addr: 'too-long' } }, fieldOf)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'email' })] }),
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('warn and note log redacted mapping warnings at warn and debug', () => {
    const logger = recordingLogger();
    const c = createAdapterContext(demoAdapter, { subdomain: 'demo', user: 'u', ticket: 'tkt-secret-1', logger });
    c.warn('agents.create', [{ field: 'phone', message: 'dropped', value: 'tkt-secret-1' }]);
    c.note('agents.list', [{ field: 'locale', message: 'unknown' }]);
    c.warn('agents.create', []);
    expect(logger.calls.map((l) => l.level)).toEqual(['warn', 'debug']);
    expect(JSON.stringify(logger.calls)).not.toContain('tkt-secret-1');
  });

  it('clientMembers: vendor, capabilities, password rules, raw request and stats from the definition', async () => {
    nock(ORIGIN).post('/api/raw', { a: 1 }).reply(200, { done: true });
    const members = clientMembers(ctx());
    expect(members.vendor).toBe('kf5');
    expect(members.capabilities).toBe(demoAdapter.capabilities);
    expect(members.passwordRules.minLength).toBe(6);
    expect(await members.request({ method: 'POST', path: 'raw', body: { a: 1 } })).toEqual({ done: true });
    expect(members.stats().requests).toBe(1);
  });
});

describe('bindContext', () => {
  it('declares a resource from module-level functions, each called with the context first', async () => {
    const ctx = { prefix: 'ctx' };
    const listThings = async (c: typeof ctx, options?: { limit?: number }) => `${c.prefix}:list:${options?.limit ?? 'all'}`;
    const getThing = (c: typeof ctx, id: string) => `${c.prefix}:get:${id}`;
    const things = bindContext(ctx, { list: listThings, get: getThing });
    expect(await things.list({ limit: 2 })).toBe('ctx:list:2');
    expect(await things.list()).toBe('ctx:list:all');
    expect(things.get('7')).toBe('ctx:get:7');
  });
});
