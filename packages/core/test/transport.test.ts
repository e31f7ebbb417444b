import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AuthenticationError,
  type ContactKitError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  TimeoutError,
  VendorError,
  acceptedInPlace,
  createError,
  inPlace,
  type HttpMethod,
  type PreparedRequest,
} from '@contactkit/core';
import { BASE, ORIGIN, makeTransport, networkError } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(() => nock.enableNetConnect());

type Cls = abstract new (...args: never[]) => ContactKitError;

describe('retry matrix', () => {
  const retried: Array<[HttpMethod, number | 'ECONNRESET', Cls]> = [];
  for (const method of ['GET', 'PUT', 'DELETE'] as const) {
    retried.push([method, 'ECONNRESET', NetworkError]);
    for (const [status, cls] of [[408, TimeoutError], [429, RateLimitError], [500, VendorError], [502, VendorError], [503, VendorError], [504, VendorError]] as const) {
      retried.push([method, status, cls]);
    }
  }
  it.each(retried)('%s on %s: retried exactly `retries` times, then the right class', async (method, failure, cls) => {
    const scope = nock(ORIGIN).intercept('/v1/r', method).times(3);
    if (failure === 'ECONNRESET') scope.replyWithError(networkError('ECONNRESET'));
    else scope.reply(failure, { message: 'nope' });
    const retries: number[] = [];
    const t = makeTransport({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 }, hooks: { onRetry: (i) => void retries.push(i.nextAttempt) } });
    const error = await t.request({ method, path: 'r', body: method === 'GET' ? undefined : { a: 1 } }).catch((e) => e);
    expect(error).toBeInstanceOf(cls);
    expect(error.retryable).toBe(true);
    expect(t.stats.attempts).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(nock.isDone()).toBe(true);
  });

  it.each([
    [400, VendorError],
    [401, AuthenticationError],
    [403, PermissionError],
    [404, NotFoundError],
    [422, VendorError],
  ] as const)('GET on %i is not retried', async (status, cls) => {
    nock(ORIGIN).get('/v1/r').reply(status, { message: 'bad' });
    const t = makeTransport();
    const error = await t.request({ method: 'GET', path: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(cls);
    expect(error).toMatchObject({ status, retryable: false, vendor: 'kf5' });
    expect(error.message).toContain('bad');
    expect(t.stats.attempts).toBe(1);
  });

  it.each([
    ['500', () => nock(ORIGIN).post('/v1/r').reply(500), VendorError],
    ['ECONNRESET', () => nock(ORIGIN).post('/v1/r').replyWithError(networkError('ECONNRESET')), NetworkError],
    ['a timeout', () => nock(ORIGIN).post('/v1/r').delay(1500).reply(200, {}), TimeoutError],
  ] as const)('POST is not retried on %s (it may have reached the server)', async (_name, setup, cls) => {
    setup();
    // the deadline covers the whole exchange: room enough for a loaded machine to answer the others
    const t = makeTransport({ timeoutMs: 300 });
    const error = await t.request({ method: 'POST', path: 'r', body: { a: 1 } }).catch((e) => e);
    expect(error).toBeInstanceOf(cls);
    expect(t.stats.attempts).toBe(1);
    expect(t.stats.retries).toBe(0);
  });

  it('PATCH is not idempotent by default', async () => {
    nock(ORIGIN).patch('/v1/r').reply(503);
    const t = makeTransport();
    await expect(t.request({ method: 'PATCH', path: 'r', body: {} })).rejects.toBeInstanceOf(VendorError);
    expect(t.stats.attempts).toBe(1);
  });

  it('POST is retried on 429 (refused, not acted on)', async () => {
    nock(ORIGIN).post('/v1/r').reply(429).post('/v1/r').reply(201, { id: 7 });
    const t = makeTransport();
    const res = await t.request({ method: 'POST', path: 'r', body: {} });
    expect(res).toMatchObject({ status: 201, data: { id: 7 } });
    expect(t.stats.attempts).toBe(2);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND'])('POST is retried on %s (never reached the server)', async (code) => {
    nock(ORIGIN).post('/v1/r').replyWithError(networkError(code)).post('/v1/r').reply(200, { ok: true });
    const t = makeTransport();
    expect((await t.request({ method: 'POST', path: 'r', body: {} })).data).toEqual({ ok: true });
    expect(t.stats.attempts).toBe(2);
  });

  it('POST is retried on 500 when idempotent: true', async () => {
    nock(ORIGIN).post('/v1/search').times(2).reply(500).post('/v1/search').reply(200, []);
    const t = makeTransport();
    expect((await t.request({ method: 'POST', path: 'search', body: {}, idempotent: true })).data).toEqual([]);
    expect(t.stats.attempts).toBe(3);
  });

  it('a GET marked idempotent: false is not retried', async () => {
    nock(ORIGIN).get('/v1/r').reply(503);
    const t = makeTransport();
    await expect(t.request({ method: 'GET', path: 'r', idempotent: false })).rejects.toBeInstanceOf(VendorError);
    expect(t.stats.attempts).toBe(1);
  });

  it('a vendor throttle code from classify is retried, even for a POST', async () => {
    nock(ORIGIN).post('/v1/r').reply(200, { code: 'THROTTLED' }).post('/v1/r').reply(200, { code: 0, id: 1 });
    const t = makeTransport({
      classify: (res) =>
        (res.body as { code: unknown }).code === 'THROTTLED'
          ? createError('RATE_LIMITED', 'throttled', { ...t.errorOptions(res), vendorCode: 'THROTTLED', retryable: true })
          : undefined,
    });
    expect((await t.request({ method: 'POST', path: 'r', body: {} })).data).toEqual({ code: 0, id: 1 });
    expect(t.stats.retries).toBe(1);
  });

  it('retry: false means one attempt', async () => {
    nock(ORIGIN).get('/v1/r').reply(503);
    const t = makeTransport({ retry: false });
    await expect(t.request({ method: 'GET', path: 'r' })).rejects.toBeInstanceOf(VendorError);
    expect(t.stats.attempts).toBe(1);
  });

  it('retries: 0 means one attempt', async () => {
    nock(ORIGIN).get('/v1/r').replyWithError(networkError('ECONNRESET'));
    const t = makeTransport({ retry: { retries: 0 } });
    await expect(t.request({ method: 'GET', path: 'r' })).rejects.toBeInstanceOf(NetworkError);
    expect(t.stats.attempts).toBe(1);
  });

  it('backoff delays grow exponentially (random stubbed) and reach onRetry and the logger', async () => {
    nock(ORIGIN).get('/v1/r').times(4).reply(502);
    const delays: number[] = [];
    const warn = vi.fn();
    const t = makeTransport({
      retry: { retries: 3, minDelayMs: 4, maxDelayMs: 1000, factor: 2 },
      random: () => 0.5,
      hooks: { onRetry: (i) => void delays.push(i.delayMs) },
      logger: { debug() {}, info() {}, warn, error() {} },
    });
    await expect(t.request({ method: 'GET', path: 'r' })).rejects.toBeInstanceOf(VendorError);
    expect(delays).toEqual([2, 4, 8]);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(t.stats).toMatchObject({ requests: 1, attempts: 4, retries: 3, errors: 1 });
  });
});

describe('Retry-After', () => {
  // nock answers through real I/O, so timers are faked only once the response is in (from onRetry):
  // the backoff sleep is then under the test's control
  const fakeSleep = () => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  // (vi.waitFor would advance the fake clock itself)
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
    expect(cond()).toBe(true);
  };

  it('in seconds wins over backoff', async () => {
    nock(ORIGIN).get('/v1/r').reply(429, {}, { 'Retry-After': '3' }).get('/v1/r').reply(200, { ok: 1 });
    const delays: number[] = [];
    // the client-wide pause on Retry-After reads the real clock (adaptive.test.ts): off here, where only setTimeout is faked
    const t = makeTransport({ concurrency: false, hooks: { onRetry: (i) => void (delays.push(i.delayMs), fakeSleep()) } });
    let settled = false;
    const p = t.request({ method: 'GET', path: 'r' }).finally(() => (settled = true));
    await until(() => delays.length === 1);
    expect(delays).toEqual([3000]);
    await vi.advanceTimersByTimeAsync(2999);
    expect(settled).toBe(false);
    expect(t.stats.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    expect((await p).data).toEqual({ ok: 1 });
    expect(t.stats.retryAfterWaitMs).toBe(3000);
  });

  it('as an HTTP date', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    vi.spyOn(Date, 'now').mockReturnValue(now);
    const when = new Date(now + 5000).toUTCString();
    nock(ORIGIN).get('/v1/r').reply(503, {}, { 'Retry-After': when }).get('/v1/r').reply(200, { ok: 2 });
    const delays: number[] = [];
    const t = makeTransport({ hooks: { onRetry: (i) => void (delays.push(i.delayMs), fakeSleep()) } });
    const p = t.request({ method: 'GET', path: 'r' });
    await until(() => delays.length === 1);
    expect(delays).toEqual([5000]);
    await vi.advanceTimersByTimeAsync(5000);
    vi.useRealTimers();
    vi.restoreAllMocks();
    expect((await p).data).toEqual({ ok: 2 });
  });

  it('above retry.maxRetryAfterMs → RateLimitError with retryAfterMs, no sleep, no retry', async () => {
    nock(ORIGIN).get('/v1/r').reply(503, {}, { 'Retry-After': '120' });
    const onRetry = vi.fn();
    const onError = vi.fn();
    const t = makeTransport({ retry: { maxRetryAfterMs: 10_000 }, hooks: { onRetry, onError } });
    const started = Date.now();
    const error = await t.request({ method: 'GET', path: 'r' }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 120_000, status: 503, retryable: true });
    expect(onRetry).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(t.stats.attempts).toBe(1);
  });

  it('a 429 after the last retry keeps retryAfterMs', async () => {
    nock(ORIGIN).get('/v1/r').times(2).reply(429, {}, { 'Retry-After': '0.001' });
    const t = makeTransport({ retry: { retries: 1 } });
    const error = await t.request({ method: 'GET', path: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(1);
  });
});

describe('auth per attempt', () => {
  it('authenticates every attempt anew, and each decoration is on the wire', async () => {
    const seen: PreparedRequest[] = [];
    for (const n of [0, 1]) {
      nock(ORIGIN).get('/v1/agents').query({ page: '2', sig: `s${n}` }).matchHeader('x-sig', `h${n}`).reply(503);
    }
    nock(ORIGIN).get('/v1/agents').query({ page: '2', sig: 's2' }).matchHeader('x-sig', 'h2').reply(200, { ok: true });
    const t = makeTransport({
      auth: {
        authenticate(req) {
          seen.push({ ...req, query: { ...req.query }, headers: { ...req.headers } });
          req.query.sig = `s${req.attempt}`;
          req.headers['x-sig'] = `h${req.attempt}`;
        },
      },
    });
    expect((await t.request({ method: 'GET', path: '/agents', query: { page: 2 } })).data).toEqual({ ok: true });
    expect(seen.map((r) => r.attempt)).toEqual([0, 1, 2]);
    // the auth step sees the absolute URL (for signatures over the path) and the query apart
    expect(seen[0]).toMatchObject({ url: `${BASE}/agents`, query: { page: '2' }, method: 'GET' });
    expect(nock.isDone()).toBe(true);
  });

  it('on AUTHENTICATION refreshes once and replays once', async () => {
    nock(ORIGIN).get('/v1/me').matchHeader('authorization', 'Bearer old-token').reply(401);
    nock(ORIGIN).get('/v1/me').matchHeader('authorization', 'Bearer new-token').reply(200, { id: 1 });
    let token = 'old-token';
    const refresh = vi.fn(async (_error: ContactKitError) => {
      token = 'new-token';
      return true;
    });
    const t = makeTransport({ auth: { authenticate: (r) => void (r.headers.authorization = `Bearer ${token}`), refresh } });
    expect((await t.request({ method: 'GET', path: 'me' })).data).toEqual({ id: 1 });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh.mock.calls[0]![0]).toBeInstanceOf(AuthenticationError);
  });

  it('a second rejection after the replay is final: not a second refresh, not a third request', async () => {
    nock(ORIGIN).get('/v1/me').times(2).reply(401);
    const refresh = vi.fn(async () => true);
    const t = makeTransport({ auth: { authenticate() {}, refresh } });
    await expect(t.request({ method: 'GET', path: 'me' })).rejects.toBeInstanceOf(AuthenticationError);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(t.stats.attempts).toBe(2);
  });

  it('refresh returning false does not replay', async () => {
    nock(ORIGIN).post('/v1/me').reply(401);
    const t = makeTransport({ auth: { authenticate() {}, refresh: async () => false } });
    await expect(t.request({ method: 'POST', path: 'me', body: {} })).rejects.toBeInstanceOf(AuthenticationError);
    expect(t.stats.attempts).toBe(1);
  });

  it('a failing refresh surfaces as a ContactKitError through onError', async () => {
    nock(ORIGIN).get('/v1/me').reply(401);
    const onError = vi.fn();
    const t = makeTransport({
      hooks: { onError },
      auth: {
        authenticate() {},
        refresh: async () => {
          throw networkError('ECONNRESET', 'token endpoint down');
        },
      },
    });
    const error = await t.request({ method: 'GET', path: 'me' }).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain('token endpoint down');
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

describe('abort', () => {
  it('an abort during a backoff sleep rejects promptly with the reason; no further attempt', async () => {
    nock(ORIGIN).get('/v1/r').reply(503);
    const second = nock(ORIGIN).get('/v1/r').reply(200, {});
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const t = makeTransport({
      retry: { minDelayMs: 10_000, maxDelayMs: 10_000 },
      hooks: { onRetry: () => void setTimeout(() => controller.abort(reason), 5) },
    });
    const started = Date.now();
    const error = await t.request({ method: 'GET', path: 'r', signal: controller.signal }).catch((e) => e);
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(second.isDone()).toBe(false);
    expect(t.stats.attempts).toBe(1);
  });

  it('an already-aborted signal sends nothing, not even the auth step', async () => {
    const scope = nock(ORIGIN).get('/v1/r').reply(200, {});
    const authenticate = vi.fn();
    const beforeRequest = vi.fn();
    const t = makeTransport({ auth: { authenticate }, hooks: { beforeRequest } });
    const reason = new Error('already');
    await expect(t.request({ method: 'GET', path: 'r', signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(scope.isDone()).toBe(false);
    expect(authenticate).not.toHaveBeenCalled();
    expect(beforeRequest).not.toHaveBeenCalled();
    expect(t.stats.attempts).toBe(0);
  });

  it('an abort while the request is in flight rejects with the reason', async () => {
    nock(ORIGIN).get('/v1/r').delay(500).reply(200, {});
    const controller = new AbortController();
    const t = makeTransport();
    setTimeout(() => controller.abort('stop'), 10);
    await expect(t.request({ method: 'GET', path: 'r', signal: controller.signal })).rejects.toBe('stop');
  });
});

describe('timeout', () => {
  it('timeoutMs → TimeoutError, retried for a GET', async () => {
    nock(ORIGIN).get('/v1/slow').delay(1500).reply(200, {}).get('/v1/slow').reply(200, { fast: true });
    const t = makeTransport({ timeoutMs: 300 });
    expect((await t.request({ method: 'GET', path: 'slow' })).data).toEqual({ fast: true });
    expect(t.stats.attempts).toBe(2);
  });

  it('every attempt timing out → TimeoutError (retryable, code TIMEOUT)', async () => {
    nock(ORIGIN).get('/v1/slow').times(2).delay(1500).reply(200, {});
    const t = makeTransport({ timeoutMs: 150, retry: { retries: 1, minDelayMs: 1 } });
    const error = await t.request({ method: 'GET', path: 'slow' }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, request: { method: 'GET', url: `${BASE}/slow` } });
    expect(error.message).toContain('150 ms');
  });
});

describe('responses', () => {
  it('a malformed JSON 200 is an InvalidResponseError, retried for a GET', async () => {
    nock(ORIGIN).get('/v1/r').reply(200, '{"items": [1, 2', { 'Content-Type': 'application/json' }).get('/v1/r').reply(200, { items: [1, 2] });
    const t = makeTransport();
    expect((await t.request({ method: 'GET', path: 'r' })).data).toEqual({ items: [1, 2] });
    expect(t.stats.retries).toBe(1);
  });

  it('a malformed JSON 200 on every attempt → InvalidResponseError', async () => {
    nock(ORIGIN).get('/v1/r').times(2).reply(200, '<html>proxy</html>');
    const t = makeTransport({ retry: { retries: 1, minDelayMs: 1 } });
    const error = await t.request({ method: 'GET', path: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, retryable: true });
  });

  it('a malformed JSON 200 to a POST is final', async () => {
    nock(ORIGIN).post('/v1/r').reply(200, 'not json');
    const t = makeTransport();
    const error = await t.request({ method: 'POST', path: 'r', body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.retryable).toBe(false);
    expect(t.stats.attempts).toBe(1);
  });

  it('a non-JSON error body is passed to classify as text and quoted in the message', async () => {
    nock(ORIGIN).get('/v1/r').reply(404, 'no such thing');
    const bodies: unknown[] = [];
    const t = makeTransport({ classify: (r) => void bodies.push(r.body) });
    const error = await t.request({ method: 'GET', path: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('no such thing');
    expect(bodies).toEqual(['no such thing']);
  });

  it('an empty body is null', async () => {
    nock(ORIGIN).delete('/v1/r/1').reply(204);
    const t = makeTransport();
    expect((await t.request({ method: 'DELETE', path: 'r/1' })).data).toBeNull();
  });

  it('a schema mismatch names the path, is not retried, and shows no values', async () => {
    nock(ORIGIN).get('/v1/r').reply(200, { items: [{ id: 'secret-looking-value' }] }, { 'X-Request-Id': 'req-9' });
    const t = makeTransport();
    const error = await t
      .request({ method: 'GET', path: 'r', operation: 'agents.list', schema: z.object({ items: z.array(z.object({ id: z.number() })) }) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('items.0.id');
    expect(error.message).toContain('agents.list');
    expect(error.message).not.toContain('secret-looking-value');
    expect(error).toMatchObject({ retryable: false, requestId: 'req-9' });
    expect(t.stats.attempts).toBe(1);
  });

  it('a schema is applied to the data', async () => {
    nock(ORIGIN).get('/v1/r').reply(200, { n: '5' });
    const t = makeTransport();
    const res = await t.request({ method: 'GET', path: 'r', schema: z.object({ n: z.coerce.number() }) });
    expect(res.data).toEqual({ n: 5 });
  });

  it('sends JSON bodies, query arrays and default headers; absolute paths are used as is', async () => {
    nock(ORIGIN, { reqheaders: { accept: 'application/json', 'content-type': 'application/json' } })
      .post('/v1/x', { a: [1, 'b'] })
      .query({ ids: '1,2', flag: 'true' })
      .reply(200, { ok: 1 });
    nock(ORIGIN, { reqheaders: { accept: 'application/json' }, badheaders: ['content-type'] })
      .get('/v1/next')
      .query({ page: '3' })
      .reply(200, { ok: 2 });
    const t = makeTransport({ defaultHeaders: { Accept: 'application/json' } });
    expect((await t.request({ method: 'POST', path: 'x', query: { ids: [1, 2, null], flag: true, gone: undefined }, body: { a: [1, 'b'] } })).data).toEqual({ ok: 1 });
    expect((await t.request({ method: 'GET', path: `${BASE}/next?page=3` })).data).toEqual({ ok: 2 });
  });

  it('hooks see each attempt and response; requestId comes from the headers', async () => {
    nock(ORIGIN).get('/v1/r').reply(200, {}, { 'x-request-id': 'abc' });
    const after = vi.fn();
    const t = makeTransport({ hooks: { afterResponse: after } });
    await t.request({ method: 'GET', path: 'r', operation: 'op' });
    expect(after).toHaveBeenCalledWith(expect.objectContaining({ status: 200, requestId: 'abc', operation: 'op', attempt: 0, vendor: 'kf5' }));
  });

  it('a throwing hook rejects with its own error and is not retried as a network error', async () => {
    const scope = nock(ORIGIN).get('/v1/r').reply(200, {});
    const boom = new Error('hook says no');
    const t = makeTransport({ hooks: { beforeRequest: () => { throw boom; } } });
    await expect(t.request({ method: 'GET', path: 'r' })).rejects.toBe(boom);
    expect(scope.isDone()).toBe(false);
    expect(t.stats.retries).toBe(0);
  });

  it('errorOptions() gives adapters the common fields, URL redacted', async () => {
    nock(ORIGIN).get('/v1/r').query(true).reply(200, { code: 2005 }, { 'x-request-id': 'rid' });
    const t = makeTransport({
      classify: (res) => createError('NOT_FOUND', 'no agent', { ...t.errorOptions(res), vendorCode: 2005 }),
    });
    const error = await t.request({ method: 'GET', path: 'r', query: { sign: 'abcdef123' } }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ vendor: 'kf5', status: 200, vendorCode: '2005', requestId: 'rid', request: { method: 'GET' } });
    expect(error.request.url).toBe(`${BASE}/r?sign=[REDACTED]`);
  });

  it("classify's errorOptions() works the fields out once, and only when an error is built", async () => {
    nock(ORIGIN).get('/v1/r').query(true).times(2).reply(200, { code: 1 }, { 'x-request-id': 'rid' });
    let fail = false;
    const t = makeTransport({
      classify: (_res, errorOptions) => (fail ? createError('VENDOR', 'no', { ...errorOptions(), ...errorOptions(), vendorCode: 7 }) : undefined),
    });
    const built = vi.spyOn(t, 'errorOptions');
    await t.request({ method: 'GET', path: 'r', query: { sign: 'abcdef123' } });
    expect(built).not.toHaveBeenCalled();
    fail = true;
    const error = await t.request({ method: 'GET', path: 'r', query: { sign: 'abcdef123' } }).catch((e) => e);
    expect(built).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ code: 'VENDOR', status: 200, requestId: 'rid', vendorCode: '7' });
    expect(error.request.url).toBe(`${BASE}/r?sign=[REDACTED]`);
  });

  it('a reply an inPlace schema accepts is handed over as it is; one it declines is judged by zod', async () => {
    const Reply = inPlace(z.looseObject({ users: z.array(z.looseObject({ id: z.number().int() })) }));
    const body = { users: [{ id: 1, extra: { deep: true } }] };
    nock(ORIGIN).get('/v1/ok').reply(200, body);
    nock(ORIGIN).get('/v1/bad').reply(200, { users: [{ id: 1 }, { id: 'x' }] });
    const t = makeTransport();
    const zodParse = vi.spyOn(Reply, 'safeParse');
    const { data } = await t.request({ method: 'GET', path: 'ok', schema: Reply });
    expect(data).toEqual(body);
    expect(zodParse).not.toHaveBeenCalled();
    expect(acceptedInPlace(Reply, data)).toBe(true);
    expect(acceptedInPlace(z.looseObject({ users: z.array(z.unknown()) }), data)).toBe(false); // not an inPlace schema
    const error = await t.request({ method: 'GET', path: 'bad', schema: Reply }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('users.1.id');
    expect(zodParse).toHaveBeenCalledTimes(1);
  });
});

describe('rate limiting in the transport', () => {
  it('stats.rateLimitWaitMs accumulates each request’s own wait', async () => {
    nock(ORIGIN).get('/v1/r').times(3).reply(200, {});
    const t = makeTransport({ rateLimit: { requestsPerMinute: 3000 } }); // one per 20 ms
    const methods: HttpMethod[] = ['GET', 'GET', 'GET'];
    await Promise.all(methods.map((method) => t.request({ method, path: 'r' })));
    // the 2nd waits ~20 ms, the 3rd ~40 ms
    expect(t.stats.rateLimitWaitMs).toBeGreaterThanOrEqual(55);
    expect(t.stats.rateLimitWaitMs).toBeLessThan(200);
  });

  it('no limiter without rateLimit', async () => {
    nock(ORIGIN).get('/v1/r').times(3).reply(200, {});
    const t = makeTransport();
    await Promise.all([0, 1, 2].map(() => t.request({ method: 'GET', path: 'r' })));
    expect(t.stats.rateLimitWaitMs).toBe(0);
  });
});
