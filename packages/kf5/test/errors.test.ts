import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  ConflictError,
  InvalidResponseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  VendorError,
  type RequestInfo,
} from '@contactkit/core';
import { classify, parseKf5ErrorBody } from '@contactkit/kf5';
import { EMAIL, ORIGIN, PASSWORD, PASSWORD_AUTH, TOKEN, TOKEN_AUTH, client, group, page, user } from './fixtures';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

const B64_TOKEN = TOKEN_AUTH.slice('Basic '.length);
const B64_PASSWORD = PASSWORD_AUTH.slice('Basic '.length);

describe('status → error class', () => {
  it.each([
    [401, { error: 'Unauthorized', message: 'Couldn\'t authenticate you' }, AuthenticationError, 'AUTHENTICATION'],
    [403, { error: 'Forbidden', message: 'You do not have access' }, PermissionError, 'PERMISSION'],
    [404, { error: 'NotFound', message: 'Not found' }, NotFoundError, 'NOT_FOUND'],
    [409, 'Conflict', ConflictError, 'CONFLICT'],
    [400, 'Bad Request', VendorError, 'VENDOR'],
  ] as const)('%i → %s', async (status, body, cls, code) => {
    const scope = nock(ORIGIN).get('/apiv2/groups/1.json').reply(status, body as never);
    const err = await client().groups.get('1').catch((e) => e);
    expect(err).toBeInstanceOf(cls);
    expect(err).toMatchObject({ code, status, vendor: 'kf5', retryable: false });
    expect(scope.isDone()).toBe(true);
  });

  it('422 with field errors → VendorError naming the fields and their messages, not the values', async () => {
    nock(ORIGIN)
      .post('/apiv2/users.json')
      .reply(422, { error: 'RecordInvalid', message: 'Record validation errors', errors: { name: ['is too long'], phone: ['is invalid'] } });
    const err = await client().agents.create({ email: 'x@example.com', name: 'Xavier-Long-Name', phone: '+86 secret-ish 555' }).catch((e) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect(err).toMatchObject({ status: 422, vendorCode: 'RecordInvalid', retryable: false });
    expect(err.message).toContain('name: is too long');
    expect(err.message).toContain('phone: is invalid');
    expect(err.message).not.toContain('Xavier-Long-Name');
    expect(err.message).not.toContain('555');
  });

  it('422 duplicate email → ConflictError', async () => {
    nock(ORIGIN).post('/apiv2/users.json').reply(422, { error: 'RecordInvalid', message: 'Record validation errors', errors: { email: ['has already been taken'] } });
    const err = await client().agents.create({ email: 'ann@example.com', name: 'Ann' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toContain('email: has already been taken');
  });

  it('422 for a non-agent group member → VendorError', async () => {
    nock(ORIGIN).post('/apiv2/groups.json').reply(422, { error: 'RecordInvalid', message: 'Record validation errors', errors: { agents: ['5 is not an agent'] } });
    await expect(client().groups.create({ name: 'G', memberIds: ['5'] })).rejects.toBeInstanceOf(VendorError);
  });

  it('reads Zendesk-like and text bodies defensively', () => {
    expect(parseKf5ErrorBody({ error: 'RecordInvalid', description: 'Invalid', details: { email: [{ description: 'Email: is taken', error: 'DuplicateValue' }] } })).toEqual({
      kind: 'RecordInvalid',
      message: 'Invalid',
      fieldErrors: { email: ['Email: is taken'] },
    });
    expect(parseKf5ErrorBody('<html>Bad gateway</html>')).toEqual({ kind: undefined, message: '<html>Bad gateway</html>', fieldErrors: {} });
    expect(parseKf5ErrorBody(null)).toEqual({ kind: undefined, message: undefined, fieldErrors: {} });
    expect(parseKf5ErrorBody({ error: { title: 'Forbidden', message: 'no' } })).toMatchObject({ kind: 'Forbidden', message: 'no' });
    expect(parseKf5ErrorBody({ errors: ['a', 'b'] }).fieldErrors).toEqual({ base: ['a', 'b'] });
    const req = { method: 'GET' as const, url: '', query: {}, headers: {}, body: undefined, attempt: 0, operation: undefined };
    expect(classify({ status: 200, headers: {}, body: {}, request: req }, () => ({}) as never)).toBeUndefined();
    expect(classify({ status: 422, headers: {}, body: { details: { email: [{ description: 'already exists' }] } }, request: req }, () => ({}) as never)).toBeInstanceOf(ConflictError);
  });

  it('a text error body becomes the message', async () => {
    nock(ORIGIN).get('/apiv2/groups/1.json').reply(403, 'Forbidden: account is on trial', { 'Content-Type': 'text/plain' });
    await expect(client().groups.get('1')).rejects.toThrow(/HTTP 403: Forbidden: account is on trial/);
  });
});

describe('retries', () => {
  it('429 with Retry-After is waited out and retried', async () => {
    const onRetry = vi.fn();
    const scope = nock(ORIGIN)
      .get('/apiv2/groups/1.json')
      .reply(429, { error: 'TooManyRequests', message: 'Too many requests' }, { 'Retry-After': '1' })
      .get('/apiv2/groups/1.json')
      .reply(200, { group: group({ id: 1 }) });
    const c = client({ hooks: { onRetry } });
    const started = Date.now();
    expect((await c.groups.get('1')).id).toBe('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(onRetry.mock.calls[0]![0]).toMatchObject({ delayMs: 1000, error: { code: 'RATE_LIMITED', retryAfterMs: 1000 } });
    expect(c.stats()).toMatchObject({ retries: 1, retryAfterWaitMs: 1000 });
    expect(scope.isDone()).toBe(true);
  });

  it('429 on a create is retried too (the request was refused, never acted on)', async () => {
    nock(ORIGIN).post('/apiv2/groups.json').reply(429, {}, { 'Retry-After': '0' }).post('/apiv2/groups.json').reply(201, { group: group({ id: 7 }) });
    expect((await client().groups.create({ name: 'G' })).id).toBe('7');
  });

  it('429 after the retries are spent → RateLimitError with retryAfterMs; a long Retry-After is not slept', async () => {
    nock(ORIGIN).get('/apiv2/groups/1.json').times(4).reply(429, {}, { 'Retry-After': '0' });
    await expect(client().groups.get('1')).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 0 });
    nock(ORIGIN).get('/apiv2/groups/1.json').reply(429, {}, { 'Retry-After': '3600' });
    const started = Date.now();
    const err = await client().groups.get('1').catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([500, 502, 503, 504])('%i on a read is retried', async (status) => {
    nock(ORIGIN).get('/apiv2/users.json').query(true).reply(status, 'oops').get('/apiv2/users.json').query(true).reply(200, page('users', [user()], null));
    expect(await client().agents.list().toArray()).toHaveLength(1);
  });

  it('500 on a create is not retried (it may have been acted on)', async () => {
    const scope = nock(ORIGIN).post('/apiv2/groups.json').reply(500, { error: 'InternalError' });
    const again = nock(ORIGIN).post('/apiv2/groups.json').reply(201, { group: group() });
    await expect(client().groups.create({ name: 'G' })).rejects.toMatchObject({ code: 'VENDOR', status: 500, retryable: true });
    expect(scope.isDone()).toBe(true);
    expect(again.isDone()).toBe(false);
  });

  it('a PUT and a DELETE are retried on 503', async () => {
    nock(ORIGIN).put('/apiv2/groups/1.json').reply(503).put('/apiv2/groups/1.json').reply(200, { group: group({ id: 1 }) });
    expect((await client().groups.update('1', { name: 'x' })).id).toBe('1');
    nock(ORIGIN).delete('/apiv2/groups/1.json').reply(503).delete('/apiv2/groups/1.json').reply(204);
    await client().groups.delete('1');
  });
});

describe('malformed replies → InvalidResponseError', () => {
  it.each([
    ['not JSON', 'this is not json'],
    ['missing wrapper', { id: 1, name: 'x' }],
    ['wrong id type', { group: { id: { nested: true }, name: 'x' } }],
    ['agents not an array', { group: { id: 1, name: 'x', agents: 'everyone' } }],
    ['name missing', { group: { id: 1 } }],
  ])('%s', async (_label, body) => {
    nock(ORIGIN).get('/apiv2/groups/1.json').times(4).reply(200, body as never);
    const err = await client().groups.get('1').catch((e) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.vendor).toBe('kf5');
  });

  it('a list whose users is not an array', async () => {
    nock(ORIGIN).get('/apiv2/users.json').query(true).reply(200, { users: 'none', next_page: null });
    await expect(client().agents.list().toArray()).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('redaction', () => {
  it('no password, token or Authorization in error messages, JSON, hook payloads or logger calls', async () => {
    const payloads: RequestInfo[] = [];
    const hookCalls: unknown[] = [];
    const logs: unknown[] = [];
    const logger = {
      debug: (...a: unknown[]) => logs.push(a),
      info: (...a: unknown[]) => logs.push(a),
      warn: (...a: unknown[]) => logs.push(a),
      error: (...a: unknown[]) => logs.push(a),
    };
    const hooks = {
      beforeRequest: (i: RequestInfo) => { payloads.push(i); },
      afterResponse: (i: unknown) => { hookCalls.push(i); },
      onRetry: (i: unknown) => { hookCalls.push(i); },
      onError: (i: unknown) => { hookCalls.push(i); },
    };
    for (const [creds, header, encoded, secret] of [
      [{ apiToken: TOKEN }, TOKEN_AUTH, B64_TOKEN, TOKEN],
      [{ apiToken: undefined, password: PASSWORD }, PASSWORD_AUTH, B64_PASSWORD, PASSWORD],
    ] as const) {
      payloads.length = 0;
      hookCalls.length = 0;
      logs.length = 0;
      const c = client({ ...creds, hooks, logger });
      // a server that echoes the credentials back in its error (and in a retried 503). The agent
      // password is scrubbed from the error of the request that carried it; it is not registered
      // for later requests (that would grow the redactor by one secret per created agent).
      const echo = `bad credentials for ${EMAIL}: ${header} / ${secret} / ${encoded}`;
      nock(ORIGIN)
        .post('/apiv2/users.json')
        .reply(503, { error: 'Unavailable', message: `${echo} / agent-pw-777` })
        .get(`/apiv2/users/1.json`)
        .reply(401, { error: 'Unauthorized', message: echo });
      const e1 = await c.agents.create({ email: 'new@example.com', name: 'New', password: 'agent-pw-777', channels: ['chat'] }).catch((e) => e);
      const e2 = await c.agents.get('1').catch((e) => e);
      expect(e2).toBeInstanceOf(AuthenticationError);
      const everything = [e1.message, e2.message, JSON.stringify(e1), JSON.stringify(e2), String(e1.stack), JSON.stringify(payloads), JSON.stringify(hookCalls), JSON.stringify(logs)].join('\n');
      for (const value of [secret, encoded, header, 'agent-pw-777']) expect(everything).not.toContain(value);
      expect(everything).toContain(EMAIL);
      expect(payloads[0]!.headers.Authorization).toBe('[REDACTED]');
      expect((payloads[0]!.body as { user: { password: string } }).user.password).toBe('[REDACTED]');
      expect(logs.length).toBeGreaterThan(0);
      expect(hookCalls.length).toBeGreaterThan(0);
    }
  });

  it('the 422 field message of a create never carries the password', async () => {
    nock(ORIGIN).post('/apiv2/users.json').reply(422, { error: 'RecordInvalid', errors: { password: ['pw-short1 is too weak'] } });
    const err = await client().agents.create({ email: 'n@example.com', name: 'N', password: 'pw-short1' }).catch((e) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect(err.message).toContain('password:');
    expect(err.message).not.toContain('pw-short1');
  });
});
