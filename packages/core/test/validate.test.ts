import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AgentInputSchema,
  AgentPatchSchema,
  AgentSchema,
  GroupInputSchema,
  IssueCollector,
  ValidationError,
  checkWire,
  parseInput,
  toValidationIssues,
} from '@contactkit/core';

function issuesOf(fn: () => unknown): { error: ValidationError; paths: string[] } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    return { error: e, paths: e.issues.map((i) => i.path) };
  }
  throw new Error('expected a ValidationError');
}

describe('parseInput', () => {
  it('returns the parsed value (trimmed name) for good input', () => {
    expect(parseInput(AgentInputSchema, { email: 'a@b.co', name: '  Ann ', locale: 'zh-CN', groupIds: ['1'] })).toEqual({
      email: 'a@b.co',
      name: 'Ann',
      locale: 'zh-CN',
      groupIds: ['1'],
    });
  });

  it('names each bad agent field in issues and in the message', () => {
    const { error, paths } = issuesOf(() =>
      parseInput(AgentInputSchema, { email: 'not-an-email', name: '   ', locale: 'English!', groupIds: ['1', ''], channels: ['chat', 'fax'], password: '' }, { vendor: 'udesk' }),
    );
    expect(paths.sort()).toEqual(['channels.1', 'email', 'groupIds.1', 'locale', 'name', 'password']);
    for (const p of paths) expect(error.message).toContain(p);
    expect(error.message).toContain('must be a valid email address');
    expect(error.message).toContain('BCP 47');
    expect(error).toMatchObject({ code: 'VALIDATION', vendor: 'udesk', retryable: false });
  });

  it('names missing required fields', () => {
    const { paths } = issuesOf(() => parseInput(AgentInputSchema, {}));
    expect(paths.sort()).toEqual(['email', 'name']);
    expect(issuesOf(() => parseInput(AgentInputSchema, null)).paths).toEqual(['']);
  });

  it('names bad group fields, with array indexes', () => {
    const { error, paths } = issuesOf(() => parseInput(GroupInputSchema, { name: '', memberIds: ['7', ''] }));
    expect(paths.sort()).toEqual(['memberIds.1', 'name']);
    expect(error.message).toMatch(/memberIds\.1: must not be empty/);
  });

  it('a prefix goes in front of each path', () => {
    const { paths } = issuesOf(() => parseInput(GroupInputSchema, { name: 1 }, { prefix: 'groups.3' }));
    expect(paths).toEqual(['groups.3.name']);
  });

  it('patches accept any subset but still check what is given', () => {
    expect(parseInput(AgentPatchSchema, { phone: null })).toEqual({ phone: null });
    expect(issuesOf(() => parseInput(AgentPatchSchema, { email: 'x' })).paths).toEqual(['email']);
  });

  it('a password never appears in the message', () => {
    const { error } = issuesOf(() => parseInput(AgentInputSchema, { email: 'bad', name: 'A', password: 'hunter2-secret' }));
    expect(error.message).not.toContain('hunter2');
  });

  it('AgentSchema is the model shape', () => {
    const agent = { id: '1', vendor: 'kf5', email: 'a@b.co', loginName: null, name: 'A', nickname: null, phone: null, status: 'active', channels: [], roleIds: [], groupIds: [], departmentIds: [], employeeNo: null, locale: null };
    expect(AgentSchema.parse(agent)).toEqual(agent);
    expect(AgentSchema.safeParse({ ...agent, id: 1 }).success).toBe(false);
  });

  it('toValidationIssues maps a ZodError', () => {
    const r = GroupInputSchema.safeParse({});
    expect(r.success).toBe(false);
    if (!r.success) expect(toValidationIssues(r.error, 'x')).toEqual([{ path: 'x.name', message: expect.any(String) }]);
  });
});

describe('IssueCollector', () => {
  it('collects vendor rules and throws them together', () => {
    const c = new IssueCollector().check(true, 'name', 'fine').check(false, 'phone', 'must be digits').add('groupIds.3', 'unknown group');
    expect(c.issues).toEqual([
      { path: 'phone', message: 'must be digits' },
      { path: 'groupIds.3', message: 'unknown group' },
    ]);
    const { error, paths } = issuesOf(() => c.throwIfAny('kf5'));
    expect(paths).toEqual(['phone', 'groupIds.3']);
    expect(error.vendor).toBe('kf5');
    expect(error.message).toBe('Invalid input: phone: must be digits; groupIds.3: unknown group');
  });

  it('does nothing without issues', () => {
    expect(() => new IssueCollector().check(true, 'a', 'b').throwIfAny()).not.toThrow();
  });
});

describe('unknown keys of a strict object', () => {
  it('are named one by one, beside the other bad fields', () => {
    const schema = z.object({ vendorFields: z.strictObject({ colour: z.string() }), name: z.string() });
    const error = (() => {
      try {
        parseInput(schema, { vendorFields: { colour: 1, size: 2, shape: 3 }, name: 4 });
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error('expected a ValidationError');
    })();
    expect(error.issues.map((i) => i.path).sort()).toEqual(['name', 'vendorFields.colour', 'vendorFields.shape', 'vendorFields.size']);
    expect(() => checkWire(schema, { vendorFields: { colour: 'x', odd: 1 }, name: 'n' }, (p) => `model.${p.join('.')}`)).toThrow(
      expect.objectContaining({ issues: [{ path: 'model.vendorFields.odd', message: 'not a field this call takes' }] }),
    );
  });
});
