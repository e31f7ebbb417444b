import { describe, expect, it } from 'vitest';
import { MAX_FILTER_TERMS, ScimError, applyPatch, matches, parseFilter, parsePatchBody, type PatchOperation } from '../src';

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  externalId: 'Ext-1',
  userName: 'Ann.Lee@example.com',
  name: { formatted: 'Ann Lee', givenName: 'Ann' },
  displayName: 'Ann Lee',
  active: true,
  emails: [{ value: 'ann.lee@example.com', type: 'work', primary: true }],
  groups: [{ value: 'g1' }],
  meta: { lastModified: '2026-03-01T10:00:00.000Z' },
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: '7', employeeNumber: 'E1' },
};

const scimTypeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ScimError ? `${error.status} ${error.scimType}` : String(error);
  }
  return 'no error';
};

describe('filter', () => {
  it.each([
    ['userName eq "ann.lee@EXAMPLE.com"', true],
    ['USERNAME EQ "ann.lee@example.com"', true],
    ['externalId eq "ext-1"', false],
    ['externalId eq "Ext-1"', true],
    ['displayName co "lee" and active eq true', true],
    ['displayName co "lee" and not (active eq true)', false],
    ['displayName sw "x" or (userName ew ".com" and emails[type eq "work"])', true],
    ['emails.value sw "ann"', true],
    ['emails eq "ann.lee@example.com"', true],
    ['nickName pr', false],
    ['nickName ne "x"', true],
    ['meta.lastModified gt "2026-02-28T00:00:00Z"', true],
    ['meta.lastModified lt "2026-03-01T10:00:00+01:00"', false],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "7"', true],
    ['groups[value eq "g1"]', true],
    ['groups[value eq "G1"]', false],
    ['active eq "true"', false],
    ['a eq 1 or b eq 2 and c eq 3', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(user, parseFilter(filter))).toBe(expected);
  });

  it('and binds tighter than or', () => {
    expect(parseFilter('a pr or b pr and c pr')).toMatchObject({ op: 'or', right: { op: 'and' } });
  });

  it('rejects bad syntax as invalidFilter and oversized filters as tooMany', () => {
    for (const bad of ['', 'userName', 'userName eq', '(a pr', 'a pr)', 'a pr and', 'a eq "x', 'a eq x', 'a[b eq 1', 'not a pr']) {
      expect(scimTypeOf(() => parseFilter(bad)), bad).toBe('400 invalidFilter');
    }
    const big = Array.from({ length: MAX_FILTER_TERMS + 1 }, () => 'a pr').join(' or ');
    expect(scimTypeOf(() => parseFilter(big))).toBe('400 tooMany');
    expect(scimTypeOf(() => parseFilter(Array.from({ length: MAX_FILTER_TERMS }, () => 'a pr').join(' or ')))).toBe('no error');
  });
});

describe('patch', () => {
  const RO = new Set(['id', 'meta', 'groups']);
  const run = (...ops: PatchOperation[]) => applyPatch(user, ops, RO);
  const op = (o: string, path: string | undefined, value?: unknown): PatchOperation => ({ op: o as PatchOperation['op'], path, value });

  it('parses op names case-insensitively and checks the PatchOp schema', () => {
    const ops = parsePatchBody({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: false }, { OP: 'ADD', Path: 'x', Value: 1 }] });
    expect(ops).toEqual([op('replace', 'active', false), op('add', 'x', 1)]);
    expect(scimTypeOf(() => parsePatchBody({ Operations: [] }))).toBe('400 invalidSyntax');
    expect(scimTypeOf(() => parsePatchBody({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'copy' }] }))).toBe('400 invalidSyntax');
  });

  it('replace and add with and without paths; the input is not changed', () => {
    const out = run(op('replace', 'displayName', 'Ann L'), op('replace', undefined, { nickName: 'Annie', 'name.familyName': 'Lee' }), op('add', 'name', { middleName: 'J' }));
    expect(out).toMatchObject({ displayName: 'Ann L', nickName: 'Annie', name: { formatted: 'Ann Lee', givenName: 'Ann', familyName: 'Lee', middleName: 'J' } });
    expect(user.displayName).toBe('Ann Lee');
  });

  it('value filters: replace a sub-attribute, create the entry an equality filter describes, remove matches', () => {
    expect(run(op('replace', 'emails[type eq "work"].value', 'new@example.com')).emails).toEqual([{ value: 'new@example.com', type: 'work', primary: true }]);
    expect(run(op('add', 'phoneNumbers[type eq "mobile"].value', '138')).phoneNumbers).toEqual([{ type: 'mobile', value: '138' }]);
    expect(run(op('remove', 'emails[type eq "work"]')).emails).toEqual([]);
    expect(run(op('remove', 'emails[type eq "home"]')).emails).toHaveLength(1);
    expect(scimTypeOf(() => run(op('replace', 'emails[value co "zzz"].value', 'x')))).toBe('400 noTarget');
  });

  it('multi-valued add appends without duplicates; remove with a value list removes those', () => {
    const g = { schemas: [], members: [{ value: 'a' }, { value: 'b' }] };
    const added = applyPatch(g, [op('add', 'members', [{ value: 'b' }, { value: 'c' }])], new Set());
    expect(added.members).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const removed = applyPatch(added, [op('remove', 'members', [{ value: 'a' }, { value: 'c' }])], new Set());
    expect(removed.members).toEqual([{ value: 'b' }]);
    expect(applyPatch(added, [op('remove', 'members', undefined)], new Set()).members).toBeUndefined();
    expect(applyPatch(added, [op('replace', 'members', [{ value: 'z' }])], new Set()).members).toEqual([{ value: 'z' }]);
  });

  it('extension attributes by URN path or URN-keyed value', () => {
    const ext = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    expect(run(op('replace', `${ext}:department`, '9'))[ext]).toEqual({ department: '9', employeeNumber: 'E1' });
    expect(run(op('replace', undefined, { [ext]: { employeeNumber: 'E2' } }))[ext]).toEqual({ department: '7', employeeNumber: 'E2' });
    expect(run(op('replace', undefined, { [`${ext}:employeeNumber`]: 'E3' }))[ext]).toEqual({ department: '7', employeeNumber: 'E3' });
    expect(run(op('remove', `${ext}:department`))[ext]).toEqual({ employeeNumber: 'E1' });
  });

  it('read-only attributes are mutability errors, unless the same value is repeated (Okta sends the id)', () => {
    expect(scimTypeOf(() => run(op('replace', 'id', 'u2')))).toBe('400 mutability');
    expect(scimTypeOf(() => run(op('add', 'groups', [{ value: 'g2' }])))).toBe('400 mutability');
    expect(scimTypeOf(() => run(op('replace', undefined, { id: 'u1', displayName: 'X' })))).toBe('no error');
  });

  it('remove without a path is noTarget; bad paths are invalidPath', () => {
    expect(scimTypeOf(() => run(op('remove', undefined)))).toBe('400 noTarget');
    for (const path of ['a.b.c', 'emails[type eq "work"', 'urn:x:y:z', 'emails[type eq "work"]x']) {
      expect(scimTypeOf(() => run(op('replace', path, 'x'))), path).toMatch(/^400 (invalidPath|invalidFilter)$/);
    }
  });
});
