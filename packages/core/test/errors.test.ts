import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as core from '@contactkit/core';
import {
  AuthenticationError,
  ConflictError,
  ContactKitError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  TimeoutError,
  UnsupportedOperationError,
  ValidationError,
  VendorError,
  createError,
  errorCodeForStatus,
  isContactKitError,
  type ErrorCode,
} from '@contactkit/core';

const TABLE = [
  ['AUTHENTICATION', AuthenticationError, 'AuthenticationError'],
  ['PERMISSION', PermissionError, 'PermissionError'],
  ['NOT_FOUND', NotFoundError, 'NotFoundError'],
  ['CONFLICT', ConflictError, 'ConflictError'],
  ['RATE_LIMITED', RateLimitError, 'RateLimitError'],
  ['TIMEOUT', TimeoutError, 'TimeoutError'],
  ['NETWORK', NetworkError, 'NetworkError'],
  ['VENDOR', VendorError, 'VendorError'],
  ['INVALID_RESPONSE', InvalidResponseError, 'InvalidResponseError'],
  ['UNSUPPORTED', UnsupportedOperationError, 'UnsupportedOperationError'],
] as const;

describe('error classes', () => {
  it.each(TABLE)('%s → %s', (code, Cls, name) => {
    const e = new Cls('boom', { vendor: 'udesk', status: 500, vendorCode: 2005, retryable: true, retryAfterMs: 10, requestId: 'r1', request: { method: 'GET', url: 'https://x.test/a?sign=s' } });
    expect(e).toBeInstanceOf(Cls);
    expect(e).toBeInstanceOf(ContactKitError);
    expect(e).toBeInstanceOf(Error);
    expect(isContactKitError(e)).toBe(true);
    expect(e).toMatchObject({ code, name, message: 'boom', vendor: 'udesk', status: 500, vendorCode: '2005', retryable: true, retryAfterMs: 10, requestId: 'r1' });
    expect(e.request).toEqual({ method: 'GET', url: 'https://x.test/a?sign=[REDACTED]' });
    expect(e.stack?.split('\n')[0]).toBe(`${name}: boom`);
    expect(String(e)).toBe(`${name}: boom`);
    expect(Cls.name).toBe(name);
    for (const [otherCode, Other] of TABLE) if (otherCode !== code) expect(e).not.toBeInstanceOf(Other);
    expect(e).not.toBeInstanceOf(ValidationError);
  });

  it('defaults: not retryable, nothing else set', () => {
    const e = new NotFoundError('x');
    expect(e).toMatchObject({ retryable: false, vendor: undefined, status: undefined, vendorCode: undefined });
    expect(e.cause).toBeUndefined();
  });

  it('ValidationError lists issues', () => {
    const e = new ValidationError([{ path: 'email', message: 'bad' }, { path: '', message: 'whole input' }], { vendor: 'kf5' });
    expect(e).toBeInstanceOf(ContactKitError);
    expect(e).toMatchObject({ code: 'VALIDATION', name: 'ValidationError', issues: [{ path: 'email', message: 'bad' }, { path: '', message: 'whole input' }] });
    expect(e.message).toBe('Invalid input: email: bad; (input): whole input');
    expect(e.toJSON()).toMatchObject({ code: 'VALIDATION', issues: e.issues });
  });

  it('a user subclass keeps working with instanceof', () => {
    class MyNotFound extends NotFoundError {}
    const e = new MyNotFound('x');
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e).toBeInstanceOf(ContactKitError);
    expect(e.name).toBe('MyNotFound');
  });

  it('foreign values are not ContactKitErrors', () => {
    for (const v of [new Error('x'), null, undefined, 'NOT_FOUND', { code: 'NOT_FOUND' }, Object.assign(new Error('x'), { code: 'NOT_FOUND' })]) {
      expect(isContactKitError(v)).toBe(false);
      expect(v instanceof NotFoundError).toBe(false);
    }
  });

  it('toJSON is plain data without the cause', () => {
    const e = new RateLimitError('slow down', { vendor: 'kf5', status: 429, retryable: true, retryAfterMs: 1000, cause: new Error('inner') });
    const json = JSON.parse(JSON.stringify(e));
    expect(json).toEqual({ name: 'RateLimitError', code: 'RATE_LIMITED', message: 'slow down', vendor: 'kf5', status: 429, retryable: true, retryAfterMs: 1000 });
  });

  it('the cause is kept but redacted, with its code and its own cause', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED token=abcdef'), { code: 'ECONNREFUSED' });
    const outer = Object.assign(new Error('Network Error with supersecret'), { code: 'ERR_NETWORK', cause: inner, config: { headers: { Authorization: 'Bearer supersecret' } } });
    const e = new NetworkError('failed', { cause: outer, secrets: ['supersecret'] });
    const cause = e.cause as Error & { code?: string; cause?: Error & { code?: string }; config?: unknown };
    expect(cause.message).toBe('Network Error with [REDACTED]');
    expect(cause.code).toBe('ERR_NETWORK');
    expect(cause.config).toBeUndefined();
    expect(cause.cause?.code).toBe('ECONNREFUSED');
    expect(cause.cause?.message).toBe('connect ECONNREFUSED token=[REDACTED]');
    const ck = new VendorError('x');
    expect(new NetworkError('y', { cause: ck }).cause).toBe(ck);
  });

  it('message, stack and request are redacted with the given secrets', () => {
    const e = new VendorError('failed for my-app-secret', { secrets: ['my-app-secret'], request: { method: 'POST', url: 'https://x.test/?a=my-app-secret' } });
    expect(e.message).toBe('failed for [REDACTED]');
    expect(e.stack).not.toContain('my-app-secret');
    expect(e.request?.url).toBe('https://x.test/?a=[REDACTED]');
  });
});

describe('createError and errorCodeForStatus', () => {
  it.each(TABLE)('createError(%s)', (code, Cls) => {
    const e = createError(code, 'm', { status: 418 });
    expect(e).toBeInstanceOf(Cls);
    expect(e.code).toBe(code);
    expect(e.status).toBe(418);
  });

  it('createError tolerates VALIDATION and unknown codes from plain JS', () => {
    expect(createError('VALIDATION' as never, 'bad')).toBeInstanceOf(ValidationError);
    expect(createError('NOPE' as never, 'odd')).toBeInstanceOf(VendorError);
  });

  it.each([
    [400, 'VENDOR'],
    [401, 'AUTHENTICATION'],
    [403, 'PERMISSION'],
    [404, 'NOT_FOUND'],
    [408, 'TIMEOUT'],
    [409, 'CONFLICT'],
    [422, 'VENDOR'],
    [429, 'RATE_LIMITED'],
    [500, 'VENDOR'],
    [503, 'VENDOR'],
    [418, 'VENDOR'],
  ] as Array<[number, ErrorCode]>)('%i → %s', (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });
});

describe('instanceof across the ESM and CJS builds in one process', () => {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
  const esmPath = join(pkg, 'dist/index.js');
  const cjsPath = join(pkg, 'dist/index.cjs');
  let esm: typeof core;
  let cjs: typeof core;
  let skipReason: string | undefined;

  beforeAll(async () => {
    const newest = (dir: string) => Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
    const stale = !existsSync(cjsPath) || !existsSync(esmPath) || newest(join(pkg, 'src')) > Math.min(statSync(cjsPath).mtimeMs, statSync(esmPath).mtimeMs);
    if (stale) {
      try {
        // dist is missing or older than src (the root `pnpm test` builds first; a bare vitest run may not)
        execFileSync('npx', ['tsup', '--silent'], { cwd: pkg, stdio: 'pipe', timeout: 90_000 });
      } catch (error) {
        skipReason = `could not build packages/core/dist: ${(error as Error).message}`;
        return;
      }
    }
    esm = (await import(pathToFileURL(esmPath).href)) as typeof core;
    cjs = createRequire(import.meta.url)(cjsPath) as typeof core;
  }, 120_000);

  it('loads two distinct copies', ({ skip }) => {
    if (skipReason) skip(skipReason);
    expect(esm.NotFoundError).not.toBe(cjs.NotFoundError);
    expect(esm.ContactKitError).not.toBe(cjs.ContactKitError);
  });

  it('an error from either copy is instanceof the other copy’s classes', ({ skip }) => {
    if (skipReason) skip(skipReason);
    const fromCjs = new cjs.NotFoundError('missing', { vendor: 'kf5' });
    const fromEsm = new esm.ConflictError('taken', { vendor: 'udesk' });
    expect(fromCjs).toBeInstanceOf(esm.NotFoundError);
    expect(fromCjs).toBeInstanceOf(esm.ContactKitError);
    expect(fromEsm).toBeInstanceOf(cjs.ConflictError);
    expect(fromEsm).toBeInstanceOf(cjs.ContactKitError);
    expect(esm.isContactKitError(fromCjs)).toBe(true);
    expect(cjs.isContactKitError(fromEsm)).toBe(true);
    expect(fromCjs).not.toBeInstanceOf(esm.ConflictError);
    expect(fromEsm).not.toBeInstanceOf(cjs.NotFoundError);
    // and the source copy (what the tests import) agrees with both
    expect(fromCjs).toBeInstanceOf(NotFoundError);
    expect(isContactKitError(fromEsm)).toBe(true);
    const v = new cjs.ValidationError([{ path: 'email', message: 'bad' }]);
    expect(v).toBeInstanceOf(esm.ValidationError);
    expect(v).not.toBeInstanceOf(esm.VendorError);
    expect(esm.createError('TIMEOUT', 't')).toBeInstanceOf(cjs.TimeoutError);
  });

  it('both builds export the same names', ({ skip }) => {
    if (skipReason) skip(skipReason);
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(Object.keys(esm).sort()).toEqual(Object.keys(core).sort());
  });
});
