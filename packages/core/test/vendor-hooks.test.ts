import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, InvalidResponseError, isSecretKey, redact, type PreparedRequest } from '@contactkit/core';
import { BASE, ORIGIN, makeTransport } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('what adapters tell the transport', () => {
  it('classify returning null accepts a reply whatever its HTTP status (Udesk code 1000)', async () => {
    nock(ORIGIN).get('/v1/x').reply(500, { code: 1000, ok: true });
    const t = makeTransport({ classify: (r) => ((r.body as { code?: number })?.code === 1000 ? null : undefined) });
    await expect(t.request({ method: 'GET', path: 'x' })).resolves.toMatchObject({ status: 500, data: { code: 1000 } });
  });

  it('retries a create when the vendor says it did not act on it (notProcessed), and not otherwise', async () => {
    nock(ORIGIN).post('/v1/agents').reply(200, { code: 20623 }).post('/v1/agents').reply(200, { code: 1000, id: 7 });
    const classify = (r: { body: unknown }) => {
      const code = (r.body as { code?: number }).code;
      return code === 20623 ? new AuthenticationError('nonce reused', { retryable: true, notProcessed: true }) : null;
    };
    const t = makeTransport({ classify });
    await expect(t.request({ method: 'POST', path: 'agents', body: {} })).resolves.toMatchObject({ data: { id: 7 } });

    nock(ORIGIN).post('/v1/agents').reply(200, { code: 2059 });
    const plain = makeTransport({ classify: () => new AuthenticationError('bad sign', { retryable: true }) });
    await expect(plain.request({ method: 'POST', path: 'agents', body: {} })).rejects.toBeInstanceOf(AuthenticationError);
    expect(nock.isDone()).toBe(true);
  });

  it('a declined refresh does not use up the one replay; refresh sees the failed request', async () => {
    const seen: PreparedRequest[] = [];
    const refresh = vi.fn(async (_e: unknown, ctx: { request: PreparedRequest }) => {
      seen.push(ctx.request);
      return refresh.mock.calls.length > 1; // declines the first time, refreshes the second
    });
    let n = 0;
    const t = makeTransport({
      auth: { authenticate: (r) => { r.headers.Authorization = `Bearer t${n++}`; }, refresh },
      classify: (r) => (r.status === 401 ? new AuthenticationError('rejected', { retryable: true }) : undefined),
    });
    nock(ORIGIN).get('/v1/x').times(2).reply(401).get('/v1/x').reply(200, { ok: 1 });
    await expect(t.request({ method: 'GET', path: 'x' })).resolves.toMatchObject({ data: { ok: 1 } });
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(seen[0]!.headers.Authorization).toBe('Bearer t0');
    expect(seen[1]!.headers.Authorization).toBe('Bearer t1');
  });

  it('refuses to send credentials to an absolute URL on another origin', async () => {
    const authenticate = vi.fn();
    const t = makeTransport({ auth: { authenticate } });
    await expect(t.request({ method: 'GET', path: 'https://evil.test/apiv2/users.json?page=2' })).rejects.toBeInstanceOf(InvalidResponseError);
    expect(authenticate).not.toHaveBeenCalled();
    nock(ORIGIN).get('/v1/users.json').query({ page: '2' }).reply(200, { users: [] });
    await expect(t.request({ method: 'GET', path: `${BASE}/users.json?page=2` })).resolves.toMatchObject({ status: 200 });
  });

  it('an agent signature (KF5 reply text) is not a secret; sign is', () => {
    expect(isSecretKey('signature')).toBe(false);
    expect(isSecretKey('sign')).toBe(true);
    expect(redact({ signature: 'Best regards', sign: 'abc123' })).toEqual({ signature: 'Best regards', sign: '[REDACTED]' });
  });
});
