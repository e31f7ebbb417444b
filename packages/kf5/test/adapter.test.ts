/**
 * The KF5 adapter definition (src/adapter.ts) as core reads it: transport settings, KF5's secret
 * field names registered with core's redaction, the vendor's message fields, auth and classify.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, REDACTED, isSecretKey, redact, type RequestInfo } from '@contactkit/core';
import { KF5_CAPABILITIES, KF5_MAX_PAGE_SIZE, KF5_PASSWORD_RULES, MESSAGE_FIELDS, kf5Adapter } from '@contactkit/kf5';
import { EMAIL, ORIGIN, PASSWORD, TOKEN, TOKEN_AUTH, client, user } from './fixtures';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('kf5Adapter', () => {
  it('declares the vendor, its API root per subdomain, JSON headers, the constants and a frozen definition', () => {
    expect(Object.isFrozen(kf5Adapter)).toBe(true);
    expect(kf5Adapter.vendor).toBe('kf5');
    expect(kf5Adapter.baseUrlFromSubdomain?.('acme')).toBe('https://acme.kf5.com/apiv2');
    expect(kf5Adapter.defaultHeaders).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json' });
    expect(kf5Adapter.capabilities).toBe(KF5_CAPABILITIES);
    expect(kf5Adapter.passwordRules).toBe(KF5_PASSWORD_RULES);
    expect(kf5Adapter.maxPageSize).toBe(KF5_MAX_PAGE_SIZE);
    expect(kf5Adapter.messageFields).toBe(MESSAGE_FIELDS);
    // the account (part of the coordinator's tenant key) is the email, never a credential
    expect(kf5Adapter.account({ email: EMAIL, apiToken: TOKEN })).toBe(EMAIL);
  });

  it('auth: the Basic strategy and every credential form to scrub', () => {
    const { secrets } = kf5Adapter.auth({ email: EMAIL, apiToken: TOKEN, password: PASSWORD });
    expect(secrets).toEqual(expect.arrayContaining([TOKEN, PASSWORD, TOKEN_AUTH, TOKEN_AUTH.slice('Basic '.length)]));
  });

  it("KF5's credential fields are secrets for core's redaction wherever they appear", () => {
    for (const field of kf5Adapter.secretFields) expect(isSecretKey(field), field).toBe(true);
    expect(redact({ user: { password_confirmation: 'Pw-confirm-123', signature: 'Regards' } })).toEqual({
      user: { password_confirmation: REDACTED, signature: 'Regards' },
    });
  });

  it('a raw request carrying password_confirmation: hook payloads show it redacted', async () => {
    nock(ORIGIN).put('/apiv2/users/886.json').reply(200, { user: user() });
    const seen: RequestInfo[] = [];
    const c = client({ hooks: { beforeRequest: (info) => void seen.push(info) } });
    await c.request({ method: 'PUT', path: 'users/886.json', body: { user: { password: 'Pw-new-123456', password_confirmation: 'Pw-new-123456' } } });
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toContain('Pw-new-123456');
    expect(seen[0]!.body).toEqual({ user: { password: REDACTED, password_confirmation: REDACTED } });
  });

  it('classify: a 2xx is left alone, a duplicate-email 422 is a ConflictError carrying the error options', () => {
    const request = { method: 'POST' as const, url: `${ORIGIN}/apiv2/users.json`, query: {}, headers: {}, body: undefined, attempt: 0, operation: 'agents.create' };
    const options = { vendor: 'kf5' as const, status: 422, requestId: 'r-1', request: { method: 'POST' as const, url: request.url }, secrets: [] };
    expect(kf5Adapter.classify({ status: 201, headers: {}, body: {}, request }, () => ({ ...options, status: 201 }))).toBeUndefined();
    const error = kf5Adapter.classify({ status: 422, headers: {}, body: { errors: { email: ['has already been taken'] } }, request }, () => options);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 422, requestId: 'r-1', vendor: 'kf5' });
  });
});
