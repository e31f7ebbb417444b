import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '@contactkit/core';
import { ORIGIN, client } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

/** a scope that answers anything: it must never be called */
let calls = 0;
beforeEach(() => {
  calls = 0;
  const scope = nock(ORIGIN).persist();
  for (const m of ['get', 'post', 'put', 'delete'] as const) {
    scope[m](/.*/).query(true).reply(() => {
      calls++;
      return [500, 'must not be called'];
    });
  }
});

async function issues(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).issues.map((i) => i.path);
}

const base = { email: 'a@x.com', name: 'A', password: 'secret-pass-1' };

describe('validation before sending (no request leaves)', () => {
  const c = client();

  it('create: required password, email format, 255-character strings', async () => {
    expect(await issues(c.agents.create({ email: 'a@x.com', name: 'A' }))).toEqual(['password']);
    expect(await issues(c.agents.create({ ...base, email: 'not-an-email' }))).toEqual(['email']);
    const long = 'x'.repeat(256);
    expect(await issues(c.agents.create({ ...base, name: long, nickname: long, phone: long, password: long, vendorFields: { duty: long } }))).toEqual(
      expect.arrayContaining(['name', 'nickname', 'phone', 'password', 'vendorFields.duty']),
    );
    expect(await issues(c.agents.create({ ...base, email: `${'a'.repeat(250)}@x.com` }))).toEqual(['email']);
  });

  it('password must differ from the email and follow the rules (min 6)', async () => {
    expect(await issues(c.agents.create({ ...base, password: 'A@x.com' }))).toEqual(['password']);
    expect(await issues(c.agents.create({ ...base, password: '12345' }))).toEqual(['password']);
    expect(await issues(c.agents.update('1', { email: 'b@x.com', password: 'b@x.com' }))).toEqual(['password']);
  });

  it('ids: numeric, at most 10, named by index', async () => {
    expect(await issues(c.agents.create({ ...base, groupIds: ['1', 'abc', '3'] }))).toEqual(['groupIds.1']);
    expect(await issues(c.agents.create({ ...base, roleIds: Array.from({ length: 11 }, (_, i) => String(i + 1)) }))).toEqual(['roleIds']);
    expect(await issues(c.agents.update('1', { departmentIds: ['x1'] }))).toEqual(['departmentIds.0']);
    expect(await issues(c.groups.create({ name: 'G', memberIds: ['1', 'u-2'] }))).toEqual(['memberIds.1']);
    expect(await issues(c.agents.get('abc'))).toEqual(['id']);
    expect(await issues(c.agents.update('1; DROP', { name: 'x' }))).toEqual(['id']);
    expect(await issues(c.agents.delete('../x'))).toEqual(['id']);
    expect(await issues(c.groups.get('g1'))).toEqual(['id']);
    expect(await issues(c.groups.delete(''))).toEqual(['id']);
  });

  it('vendorFields: allow-list and types', async () => {
    // one error names them all: the wire body's issues, then the key the body cannot carry
    expect(await issues(c.agents.create({ ...base, vendorFields: { role_name: 'x', im_ability_value: 'high', availability: 'yes' } }))).toEqual([
      'vendorFields.im_ability_value',
      'vendorFields.availability',
      'vendorFields.role_name',
    ]);
    expect(await issues(c.agents.delete('1', { vendorFields: { owner: 1, owner_group_id: 'g' } }))).toEqual(['vendorFields.owner_group_id', 'vendorFields.owner']);
    expect(await issues(c.groups.create({ name: 'G', vendorFields: { x: 1 } }))).toEqual(['vendorFields.x']);
    expect(await issues(c.groups.delete('1', { vendorFields: { x: 1 } }))).toEqual(['vendorFields.x']);
  });

  it('model rules: name, locale, channels, statuses', async () => {
    expect(await issues(c.agents.create({ ...base, name: '  ' }))).toEqual(['name']);
    expect(await issues(c.agents.create({ ...base, locale: 'not a locale' }))).toEqual(['locale']);
    expect(await issues(c.agents.create({ ...base, channels: ['fax' as never] }))).toEqual(['channels.0']);
    expect(await issues(c.agents.update('1', { status: 'gone' as never }))).toEqual(['status']);
    expect(await issues(c.agents.findByEmail('nope'))).toEqual(['email']);
    expect(await issues(c.groups.create({ name: '' }))).toEqual(['name']);
    expect(await issues(c.groups.update('1', { name: 'x'.repeat(256) }))).toEqual(['name']);
    expect(() => c.agents.list({ pageSize: 0 })).toThrow(ValidationError);
    expect(() => c.groups.list({ pageSize: 1.5 })).toThrow(ValidationError);
  });

  afterEach(() => {
    expect(calls).toBe(0);
    expect(c.stats().attempts).toBe(0);
  });
});

describe('the trap itself', () => {
  it('catches a request that does leave (control)', async () => {
    await client({ retry: false }).roles.list().catch(() => undefined);
    expect(calls).toBe(1);
  });
});
