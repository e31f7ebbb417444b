import fc from 'fast-check';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpTransport,
  ValidationError,
  assertPlainBaseUrl,
  assertSecureBaseUrl,
  buildUrl,
  createAdapterTransport,
  type AdapterTransportConfig,
} from '@contactkit/core';
import { renderAll } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

function validationPath(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected ValidationError');
}

describe('assertSecureBaseUrl', () => {
  it('https is fine, and plain http only on loopback', () => {
    expect(assertSecureBaseUrl('https://demo.udesk.cn/open_api_v1').hostname).toBe('demo.udesk.cn');
    for (const ok of ['http://127.0.0.1:8080/api', 'http://localhost:3000', 'http://[::1]:9000/x', 'http://LOCALHOST/']) {
      expect(() => assertSecureBaseUrl(ok)).not.toThrow();
    }
  });
  it('http elsewhere, other schemes and garbage are a ValidationError on baseUrl', () => {
    for (const bad of ['http://example.com', 'http://127.0.0.1.evil.test/', 'http://localhost.evil.test', 'ftp://example.com', 'not a url']) {
      expect(validationPath(() => assertSecureBaseUrl(bad))).toEqual(['baseUrl']);
    }
    expect(validationPath(() => assertSecureBaseUrl('http://x.test', 'options.baseUrl'))).toEqual(['options.baseUrl']);
  });
});

describe('baseUrl is an origin and a path: no userinfo, query or fragment', () => {
  const adapterConfig = (baseUrl: string): AdapterTransportConfig => ({
    vendor: 'kf5',
    options: { baseUrl },
    auth: { authenticate() {} },
    secrets: [],
  });
  /** the ValidationError a call throws, rendered every way it may be shown */
  const failure = (fn: () => unknown): { error: ValidationError; shown: string } => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return { error: e as ValidationError, shown: renderAll(e) + (e as Error).stack };
    }
    throw new Error('expected ValidationError');
  };

  it.each([
    ['userinfo', 'https://admin:Hunter2-pass@demo.kf5.com/apiv2', 'user name or password'],
    ['a user name alone', 'https://admin@demo.kf5.com/apiv2', 'user name or password'],
    ['userinfo on loopback', 'http://u:loop-pass-99@127.0.0.1:4000/api', 'user name or password'],
    ['an empty userinfo', 'https://@demo.kf5.com/apiv2', 'user name or password'],
    ['a query string', 'https://demo.kf5.com/apiv2?lang=en', 'query string or a fragment'],
    ['a lone ?', 'https://demo.kf5.com/apiv2?', 'query string or a fragment'],
    ['a fragment', 'https://demo.kf5.com/apiv2#top', 'query string or a fragment'],
    ['a lone #', 'https://demo.kf5.com/apiv2#', 'query string or a fragment'],
  ])('%s → ValidationError naming baseUrl, from createAdapterTransport, assertSecureBaseUrl and new HttpTransport', (_name, baseUrl, why) => {
    for (const fn of [
      () => createAdapterTransport(adapterConfig(baseUrl)),
      () => assertSecureBaseUrl(baseUrl),
      () => assertPlainBaseUrl(baseUrl),
      () => new HttpTransport({ vendor: 'kf5', baseUrl }),
    ]) {
      const { error, shown } = failure(fn);
      expect(error.issues).toEqual([{ path: 'baseUrl', message: expect.stringContaining(why) }]);
      expect(shown).not.toContain('Hunter2-pass');
      expect(shown).not.toContain('loop-pass-99');
    }
  });

  it('property: any userinfo password is refused and never appears in the error', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=%-]{4,24}$/);
    fc.assert(
      fc.property(part, part, fc.constantFrom('https://demo.kf5.com/apiv2', 'http://127.0.0.1:9/api', 'https://x.test'), (user, password, root) => {
        // prefixed, so a short generated value cannot match some unrelated text of the stack by chance
        const baseUrl = root.replace('//', () => `//usr-${user}:pw-${password}@`);
        const { error, shown } = failure(() => createAdapterTransport(adapterConfig(baseUrl)));
        expect(error.issues.map((i) => i.path)).toEqual(['baseUrl']);
        expect(shown).not.toContain(`pw-${password}`);
        expect(shown).not.toContain(`usr-${user}`);
      }),
      { numRuns: 200 },
    );
  });

  it('a plain API root still passes, a trailing slash included', () => {
    expect(createAdapterTransport(adapterConfig('https://demo.kf5.com/apiv2/')).baseUrl).toBe('https://demo.kf5.com/apiv2');
    expect(assertPlainBaseUrl('http://127.0.0.1:4000').port).toBe('4000');
  });
});

describe('buildUrl', () => {
  it('joins base and path with one slash, and sets the query', () => {
    expect(buildUrl('https://a.test/v1/', '/x/y', { a: '1', b: 'two words' })).toBe('https://a.test/v1/x/y?a=1&b=two+words');
    expect(buildUrl('https://a.test/v1', 'x', {})).toBe('https://a.test/v1/x');
    expect(buildUrl('https://a.test/v1', 'https://b.test/next?page=2', { c: '3' })).toBe('https://b.test/next?page=2&c=3');
  });
});

describe('createAdapterTransport', () => {
  const config = (options: AdapterTransportConfig['options'], extra: Partial<AdapterTransportConfig> = {}): AdapterTransportConfig => ({
    vendor: 'udesk',
    options,
    baseUrlFromSubdomain: (s) => `https://${s}.udesk.cn/open_api_v1`,
    defaultRateLimit: { requestsPerMinute: 60 },
    auth: { authenticate() {} },
    secrets: ['the-api-token', undefined],
    ...extra,
  });
  const limiterOf = (t: HttpTransport) => (t as unknown as { limiter: unknown }).limiter;

  it('resolves the subdomain to the API root', () => {
    const t = createAdapterTransport(config({ subdomain: 'demo' }));
    expect(t).toBeInstanceOf(HttpTransport);
    expect(t.baseUrl).toBe('https://demo.udesk.cn/open_api_v1');
    expect(t.vendor).toBe('udesk');
  });

  it('baseUrl overrides the subdomain (trailing slash dropped)', () => {
    expect(createAdapterTransport(config({ subdomain: 'demo', baseUrl: 'http://127.0.0.1:4000/open_api_v1/' })).baseUrl).toBe('http://127.0.0.1:4000/open_api_v1');
  });

  it('neither, a bad subdomain, or an insecure baseUrl → ValidationError naming the option', () => {
    expect(validationPath(() => createAdapterTransport(config({})))).toEqual(['subdomain']);
    expect(validationPath(() => createAdapterTransport(config({ subdomain: 'evil.com/x' })))).toEqual(['subdomain']);
    expect(validationPath(() => createAdapterTransport(config({ subdomain: '-x' })))).toEqual(['subdomain']);
    expect(validationPath(() => createAdapterTransport(config({ baseUrl: 'http://demo.udesk.cn' })))).toEqual(['baseUrl']);
    expect(validationPath(() => createAdapterTransport(config({ subdomain: 'demo' }, { baseUrlFromSubdomain: undefined })))).toEqual(['subdomain']);
  });

  it('the vendor default rate limit applies unless the caller passes one; false turns it off', () => {
    expect(limiterOf(createAdapterTransport(config({ subdomain: 'demo' })))).toBeDefined();
    expect(limiterOf(createAdapterTransport(config({ subdomain: 'demo', rateLimit: false })))).toBeUndefined();
    expect(limiterOf(createAdapterTransport(config({ subdomain: 'demo' }, { defaultRateLimit: undefined })))).toBeUndefined();
    expect(limiterOf(createAdapterTransport(config({ subdomain: 'demo', rateLimit: { maxConcurrent: 2 } }, { defaultRateLimit: undefined })))).toBeDefined();
  });

  it('the default limit spaces requests (60/min)', async () => {
    nock('https://demo.udesk.cn').get('/open_api_v1/a').times(2).reply(200, {});
    const t = createAdapterTransport(config({ subdomain: 'demo' }, { defaultRateLimit: { requestsPerMinute: 6000 } }));
    const started = Date.now();
    await Promise.all([t.request({ method: 'GET', path: 'a' }), t.request({ method: 'GET', path: 'a' })]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9);
    expect(t.stats.rateLimitWaitMs).toBeGreaterThan(0);
  });

  it('registers the credentials with the redactor', () => {
    const t = createAdapterTransport(config({ subdomain: 'demo' }));
    expect(t.redactor.values()).toEqual(['the-api-token']);
    expect(t.redactor.redact('token=x the-api-token')).toBe('token=[REDACTED] [REDACTED]');
  });
});

