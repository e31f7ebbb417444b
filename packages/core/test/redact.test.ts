import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError, REDACTED, Redactor, VendorError, collectSecrets, isSecretKey, redact, registerSecretKeys } from '@contactkit/core';
import { ORIGIN, makeTransport, networkError, recordingLogger, renderAll } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('redact()', () => {
  it('secret query params in URLs', () => {
    const url = 'https://demo.udesk.cn/open_api_v1/agents?email=a%40b.co&timestamp=1&sign=abc123&nonce=n1&page=2';
    expect(redact(url)).toBe(`https://demo.udesk.cn/open_api_v1/agents?email=a%40b.co&timestamp=1&sign=${REDACTED}&nonce=n1&page=2`);
    expect(redact('https://x.test/a?token=t0k3n&api_token=ooo&password=pw&Password=PW&keep=1')).toBe(
      `https://x.test/a?token=${REDACTED}&api_token=${REDACTED}&password=${REDACTED}&Password=${REDACTED}&keep=1`,
    );
    expect(redact(new URL('https://x.test/?access_token=zzz'))).toBe(`https://x.test/?access_token=${REDACTED}`);
    expect(redact('plain text, nothing to hide')).toBe('plain text, nothing to hide');
  });

  it('form-style strings and free text', () => {
    expect(redact('password=hunter22&user=bob')).toBe(`password=${REDACTED}&user=bob`);
    expect(redact('failed with Authorization: Bearer eyJhbGciOi.abc.def-_ and more')).toBe(`failed with Authorization: Bearer ${REDACTED} and more`);
    expect(redact('basic dXNlcjpwYXNz')).toBe(`basic ${REDACTED}`);
  });

  it('headers: Authorization (Basic/Bearer), Cookie, tokens; others kept', () => {
    expect(
      redact({
        Authorization: 'Basic dXNlcjpwYXNz',
        authorization: 'Bearer abc.def',
        Cookie: 'sid=1',
        'Set-Cookie': ['a=1'],
        'X-Auth-Token': 'tok',
        'Content-Type': 'application/json',
      }),
    ).toEqual({
      Authorization: REDACTED,
      authorization: REDACTED,
      Cookie: REDACTED,
      'Set-Cookie': REDACTED,
      'X-Auth-Token': REDACTED,
      'Content-Type': 'application/json',
    });
  });

  it('nested bodies: password, app_secret, AccessToken, newPassWord, SIP password', () => {
    const body = {
      agent: { email: 'a@b.co', password: 'p1', sip: { number: '8001', password: 'sip-pw' }, sip_password: 'x', sipPassword: 'y' },
      app_key: 'key',
      app_secret: 's',
      AccessToken: 't',
      list: [{ newPassWord: 'n', oldPassword: 'o', loginPassword: 'l', agentLoginPassword: 'al' }],
      empty: { password: '' },
    };
    expect(redact(body)).toEqual({
      agent: { email: 'a@b.co', password: REDACTED, sip: { number: '8001', password: REDACTED }, sip_password: REDACTED, sipPassword: REDACTED },
      app_key: 'key',
      app_secret: REDACTED,
      AccessToken: REDACTED,
      list: [{ newPassWord: REDACTED, oldPassword: REDACTED, loginPassword: REDACTED, agentLoginPassword: REDACTED }],
      empty: { password: '' },
    });
    expect(body.agent.password).toBe('p1'); // a copy, never in place
  });

  it('registered literal secrets inside arbitrary strings, longest first', () => {
    const r = new Redactor(['s3cr3t-token', undefined, null, 'abc']); // < 4 chars ignored
    r.add('s3cr3t-token-longer');
    expect(r.values()).toEqual(['s3cr3t-token', 's3cr3t-token-longer']);
    expect(r.redact({ msg: 'got s3cr3t-token-longer and s3cr3t-token; abc' })).toEqual({ msg: `got ${REDACTED} and ${REDACTED}; abc` });
    expect(redact(['x-s3cr3t'], { secrets: ['s3cr3t'] })).toEqual([`x-${REDACTED}`]);
  });

  it('cycles, dates, errors and primitives', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const out = redact(a) as Record<string, unknown>;
    expect(out.self).toBe(out);
    const d = new Date(0);
    expect(redact({ d }).d).toBe(d);
    expect(redact(new Error('token=abc'))).toEqual({ name: 'Error', message: `token=${REDACTED}` });
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
  });

  it('isSecretKey', () => {
    for (const k of ['password', 'PASSWORD', 'sip_password', 'sipPassword', 'app_secret', 'appSecret', 'AccessToken', 'access_token', 'x-auth-token', 'sign', 'Authorization', 'cookie']) {
      expect(isSecretKey(k)).toBe(true);
    }
    for (const k of ['email', 'app_key', 'signal', 'nonce', 'timestamp', 'sign_version', 'name', 'page']) expect(isSecretKey(k)).toBe(false);
  });

  it('a vendor secret field is a secret once its adapter registers it, in every spelling', () => {
    expect(isSecretKey('zz_vendor_ticket')).toBe(false);
    expect(redact({ zz_vendor_ticket: 'abc' })).toEqual({ zz_vendor_ticket: 'abc' });
    registerSecretKeys(['zz_vendor_ticket']);
    for (const k of ['zz_vendor_ticket', 'zzVendorTicket', 'ZZ-VENDOR-TICKET']) expect(isSecretKey(k)).toBe(true);
    expect(redact({ zz_vendor_ticket: 'abc' })).toEqual({ zz_vendor_ticket: REDACTED });
  });

  it('collectSecrets finds the values a request carries', () => {
    const basic = Buffer.from('me@x.co/token:kf5-api-token').toString('base64');
    const withPassword = Buffer.from('me@x.co:pass-word-1').toString('base64');
    expect(collectSecrets({ sign: 'sig-value', page: '1' }, { Authorization: `Bearer tok-123` }, { agent: { password: 'pw-1234' } })).toEqual(
      expect.arrayContaining(['sig-value', 'Bearer tok-123', 'tok-123', 'pw-1234']),
    );
    expect(collectSecrets({}, { authorization: `Basic ${basic}` })).toContain(basic);
    expect(collectSecrets({}, { authorization: `Basic ${withPassword}` })).toContain('pass-word-1');
    expect(collectSecrets({ page: '1' }, {}, { name: 'x' })).toEqual([]);
  });
});

describe('redaction end to end through the transport', () => {
  const S1 = 'SECRET1-sign-value';
  const S2 = 'SECRET2-bearer-token';
  const S3 = 'SECRET3-password';
  const echo = { message: `rejected token ${S2} (sign ${S1}, password ${S3})`, detail: { Authorization: `Bearer ${S2}` } };

  function setup() {
    const logger = recordingLogger();
    const payloads: unknown[] = [];
    const t = makeTransport({
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      logger,
      // the sign is added by the auth step, on each attempt, as Udesk does
      auth: { authenticate: (r) => void (r.query.sign = S1) },
      hooks: {
        beforeRequest: (i) => void payloads.push(i),
        afterResponse: (i) => void payloads.push(i),
        onRetry: (i) => void payloads.push(i),
        onError: (i) => void payloads.push(i),
      },
    });
    return { t, logger, payloads };
  }

  function assertClean(error: unknown, logger: ReturnType<typeof recordingLogger>, payloads: unknown[]) {
    const e = error as Error & { request?: unknown; cause?: unknown };
    const places: Record<string, string> = {
      message: e.message,
      stack: e.stack ?? '',
      json: JSON.stringify(e),
      request: JSON.stringify(e.request),
      cause: String(e.cause) + '\n' + renderAll(e.cause) + '\n' + ((e.cause as Error | undefined)?.stack ?? ''),
      inspect: renderAll(e),
      hooks: payloads.map(renderAll).join('\n'),
      logger: logger.calls.map(renderAll).join('\n'),
    };
    for (const [where, text] of Object.entries(places)) {
      for (const secret of [S1, S2, S3]) expect(text, `${secret} in ${where}`).not.toContain(secret);
    }
  }

  it('a failing request (500 echoing the token) shows no secret anywhere', async () => {
    nock(ORIGIN).put('/v1/agents/1').query(true).times(2).reply(500, echo);
    const { t, logger, payloads } = setup();
    const error = await t
      .request({ method: 'PUT', path: 'agents/1', query: { page: 1 }, headers: { Authorization: `Bearer ${S2}` }, body: { name: 'A', password: S3 } })
      .catch((err) => err);
    expect(error).toBeInstanceOf(VendorError);
    expect(error.message).toContain('rejected token');
    expect(payloads.length).toBe(2 + 2 + 1 + 1); // 2 before, 2 after, 1 retry, 1 error
    expect(logger.calls.length).toBeGreaterThan(0);
    assertClean(error, logger, payloads);
    expect(error.request.url).toContain(`sign=${REDACTED}`);
    expect(t.redactor.values()).toEqual([]); // per-request secrets are not kept on the client
  });

  it('a network error whose message carries the secrets shows none of them, cause included', async () => {
    nock(ORIGIN).put('/v1/agents/1').query(true).times(2).replyWithError(networkError('ECONNRESET', `socket hang up while sending ${S2} ${S3} ${S1}`));
    const { t, logger, payloads } = setup();
    const error = await t
      .request({ method: 'PUT', path: 'agents/1', headers: { Authorization: `Bearer ${S2}` }, body: { password: S3 } })
      .catch((err) => err);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.cause).toBeInstanceOf(Error);
    expect(String(error.cause)).toContain('socket hang up');
    assertClean(error, logger, payloads);
  });

  it('a schema mismatch and a vendor classify error carry no secret either', async () => {
    nock(ORIGIN).post('/v1/agents').query(true).reply(200, { code: 1001, message: `bad sign ${S1}` });
    const { t, logger, payloads } = setup();
    const error = await t
      .request({ method: 'POST', path: 'agents', headers: { authorization: `Bearer ${S2}` }, body: { agent: { password: S3 } }, schema: (await import('zod')).z.object({ id: (await import('zod')).z.number() }) })
      .catch((err) => err);
    expect(error.code).toBe('INVALID_RESPONSE');
    assertClean(error, logger, payloads);
  });
});

describe('URL userinfo never reaches a hook, a log line or an error', () => {
  const PW = 'SECRET4-userinfo-pass';

  it('redact() drops the whole userinfo of any URL in a string (and keeps emails in queries)', () => {
    expect(redact(`GET https://admin:${PW}@api.test/v1/r failed`)).toBe(`GET https://${REDACTED}@api.test/v1/r failed`);
    expect(redact('http://only-user@127.0.0.1:8/x')).toBe(`http://${REDACTED}@127.0.0.1:8/x`);
    expect(redact(`https://a@b:${PW}@api.test/`)).toBe(`https://${REDACTED}@api.test/`);
    expect(redact(new URL(`https://u:${PW}@api.test/p?q=1`))).toBe(`https://${REDACTED}@api.test/p?q=1`);
    expect(redact('https://api.test/v1/agents?email=ann@example.com and bob@example.com')).toBe('https://api.test/v1/agents?email=ann@example.com and bob@example.com');
  });

  it('an absolute path with userinfo on our own origin is refused before anything is sent', async () => {
    const scope = nock(ORIGIN).get('/v1/next').reply(200, {});
    const t = makeTransport();
    const error = await t.request({ method: 'GET', path: `https://admin:${PW}@api.test/v1/next` }).catch((e) => e);
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(renderAll(error)).not.toContain(PW);
    expect(scope.isDone()).toBe(false);
    expect(t.stats.attempts).toBe(0);
  });

  it('a URL given userinfo by an auth step: hooks, logger and error show none of it', async () => {
    nock(ORIGIN).get('/v1/r').times(2).reply(503, { message: 'busy' });
    const logger = recordingLogger();
    const payloads: unknown[] = [];
    const t = makeTransport({
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      logger,
      auth: { authenticate: (r) => void (r.url = r.url.replace('https://', `https://admin:${PW}@`)) },
      hooks: {
        beforeRequest: (i) => void payloads.push(i),
        afterResponse: (i) => void payloads.push(i),
        onRetry: (i) => void payloads.push(i),
        onError: (i) => void payloads.push(i),
      },
    });
    const error = await t.request({ method: 'GET', path: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(payloads).toHaveLength(6);
    expect((payloads[0] as { url: string }).url).toBe(`https://${REDACTED}@api.test/v1/r`);
    expect(error.request.url).toBe(`https://${REDACTED}@api.test/v1/r`);
    const shown = [renderAll(error), String(error.stack), ...payloads.map(renderAll), ...logger.calls.map(renderAll)].join('\n');
    expect(shown).not.toContain(PW);
    expect(shown).not.toContain('admin:');
  });
});
