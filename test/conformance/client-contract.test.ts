/**
 * The client contract (docs/DESIGN.md, "The client contract" and "Errors") that every adapter keeps,
 * run against each vendor's simulator under each reading that changes what the contract sees.
 * Every outcome is checked at the simulator (its wire state and its request counters), not only in
 * what the client returns. Vendor-specific behaviour stays in packages/<vendor>/test/e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ConflictError, NotFoundError, type Agent, type ContactCenterClient } from '@contactkit/core';
import { rejected } from '../support/validation';
import { VENDORS, type Harness } from './vendors';

/** Requests the simulator received besides its auth endpoints (Udesk log_in, Huawei tokenByAkSk). */
function apiRequests(h: Harness): number {
  const s = h.sim.stats();
  return s.requests - (s.tokenRequests ?? 0) - (s.logins ?? 0);
}

function writeRequests(h: Harness): number {
  return Object.entries(h.sim.stats().byRoute)
    .filter(([route]) => h.isWrite(route))
    .reduce((n, [, count]) => n + count, 0);
}

/** `f`'s result and the API requests the simulator received while it ran. */
async function counted<T>(h: Harness, f: () => Promise<T>): Promise<{ value: T; requests: number }> {
  const before = apiRequests(h);
  const value = await f();
  return { value, requests: apiRequests(h) - before };
}

describe.each(VENDORS)('client contract: $vendor', (fixture) => {
  describe.each(fixture.readings)('reading: $name', (reading) => {
    let h: Harness;
    let c: ContactCenterClient;
    let next = 0;
    /** a fresh agent on the simulator, through the client */
    const newAgent = () => c.agents.create(h.agentInput(++next));

    beforeAll(async () => {
      h = await reading.start();
      c = h.client();
    });
    afterAll(async () => {
      await h?.sim.close();
    });

    it('agents: create → get → findByEmail → update → delete, each seen on the wire; then NotFoundError', async () => {
      const input = h.agentInput(++next);
      const created = await c.agents.create(input);
      expect(c.vendor).toBe(fixture.vendor);
      expect(created).toMatchObject({ vendor: fixture.vendor, email: input.email, name: input.name });
      expect(typeof created.id).toBe('string');
      expect(h.wire.agent(created.id)).toEqual({ email: input.email, name: input.name });

      expect(await c.agents.get(created.id)).toEqual(created);
      expect((await c.agents.findByEmail(input.email))?.id).toBe(created.id);
      expect((await c.agents.findByEmail(input.email.toUpperCase()))?.id).toBe(created.id);
      expect(await c.agents.findByEmail(`nobody.${next}@example.com`)).toBeNull();

      const updated = await c.agents.update(created.id, { name: `Renamed ${next}` });
      expect(updated).toMatchObject({ id: created.id, email: input.email, name: `Renamed ${next}` });
      expect(h.wire.agent(created.id)?.name).toBe(`Renamed ${next}`);

      await c.agents.delete(created.id, h.deleteOptions);
      expect(h.wire.agent(created.id)).toBeUndefined();
      await expect(c.agents.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(c.agents.get(fixture.unknownAgentId)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('agents.list walks every page lazily: one request per page, none past what is consumed', async () => {
      for (let i = 0; i < 5; i++) await newAgent();
      const onWire = h.wire.agentIds();
      expect(onWire.length).toBeGreaterThanOrEqual(5);
      const served = Math.min(2, reading.pageCap ?? 2);

      const walk = await counted(h, async () => {
        const pages: Agent[][] = [];
        for await (const page of c.agents.list({ pageSize: 2 }).pages()) pages.push(page);
        return pages;
      });
      expect(walk.value.flat().map((a) => a.id).sort()).toEqual([...onWire].sort());
      expect(walk.value.every((p) => p.length >= 1 && p.length <= served)).toBe(true);
      expect(walk.requests).toBe(walk.value.length);
      expect(walk.value.length).toBe(Math.ceil(onWire.length / served));

      const limited = await counted(h, () => c.agents.list({ pageSize: 2 }).toArray({ limit: 3 }));
      expect(limited.value).toHaveLength(3);
      expect(limited.requests).toBe(Math.ceil(3 / served));

      const firstOnly = await counted(h, async () => {
        for await (const agent of c.agents.list({ pageSize: 2 })) return agent;
        return undefined;
      });
      expect(firstOnly.value?.id).toBe(walk.value[0]![0]!.id);
      expect(firstOnly.requests).toBe(1);
    });

    it('a duplicate email (in any case) → ConflictError, and one agent on the simulator', async () => {
      const input = h.agentInput(++next);
      const first = await c.agents.create(input);
      const before = h.wire.agentIds().length;
      const err = await c.agents.create({ ...input, email: input.email.toUpperCase() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err).toMatchObject(fixture.conflict);
      expect(h.wire.agentIds()).toHaveLength(before);
      expect(h.wire.agentIds().filter((id) => h.wire.agent(id)?.email.toLowerCase() === input.email.toLowerCase())).toEqual([first.id]);
    });

    it('bad input → ValidationError naming the field, and no request reaches the simulator', async () => {
      const before = h.sim.stats().requests;
      const badEmail = await rejected(c.agents.create({ ...h.agentInput(++next), email: 'not-an-email' }));
      expect(badEmail.issues.map((i) => i.path)).toContain('email');
      const noName = await rejected(c.groups.create({ name: '' }));
      expect(noName.issues.map((i) => i.path)).toContain('name');
      // list() may refuse at once or on the first page: either way before any request
      const badPage = await rejected(Promise.resolve().then(() => c.agents.list({ pageSize: 0 }).toArray()));
      expect(badPage.issues.map((i) => i.path)).toContain('pageSize');
      expect(h.sim.stats().requests).toBe(before);
    });

    it('wrong credentials → AuthenticationError, with no secret in its message or JSON', async () => {
      const { client, secrets } = h.wrongCredentials();
      // a read that reaches the vendor everywhere (Huawei's roles are a static list)
      const err = await client.agents.list().toArray({ limit: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      const text = `${(err as Error).message}\n${JSON.stringify(err)}\n${(err as Error).stack ?? ''}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/[0-9a-f]{64}/i); // nor a signature made from one (Udesk's sha256 sign)
    });

    it('groups: create with memberIds → get shows them → list → update → delete, each seen on the wire', async () => {
      const [a, b] = [await newAgent(), await newAgent()];
      const name = `Team_${next}`;
      const g = await c.groups.create({ name, memberIds: [a.id, b.id] });
      expect(g).toMatchObject({ vendor: fixture.vendor, name });
      expect(h.wire.group(g.id)?.name).toBe(name);
      expect(h.wire.group(g.id)?.memberIds.sort()).toEqual([a.id, b.id].sort());
      const got = await c.groups.get(g.id);
      expect(got).toMatchObject({ id: g.id, name });
      expect(got.memberIds?.slice().sort()).toEqual([a.id, b.id].sort());
      expect((await c.agents.get(a.id)).groupIds).toContain(g.id);

      // more groups than fit on one page of one
      for (const n of [1, 2]) await c.groups.create({ name: `${name}_extra${n}` });
      const pages: string[][] = [];
      for await (const page of c.groups.list({ pageSize: 1 }).pages()) pages.push(page.map((x) => x.id));
      expect(pages.flat().sort()).toEqual(h.wire.groupIds().sort());
      expect(pages.every((p) => p.length === 1)).toBe(true);

      const renamed = await c.groups.update(g.id, { name: `${name}_b`, memberIds: [b.id] });
      expect(renamed).toMatchObject({ id: g.id, name: `${name}_b`, memberIds: [b.id] });
      expect(h.wire.group(g.id)).toEqual({ name: `${name}_b`, memberIds: [b.id] });
      expect((await c.agents.get(a.id)).groupIds).not.toContain(g.id);

      await c.groups.delete(g.id);
      expect(h.wire.group(g.id)).toBeUndefined();
      await expect(c.groups.get(g.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(c.groups.get(fixture.unknownGroupId)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('roles.list: the vendor’s roles, non-empty, with string ids', async () => {
      const roles = await c.roles.list();
      expect(roles.length).toBeGreaterThan(0);
      expect(roles.every((r) => typeof r.id === 'string' && r.id !== '' && r.vendor === fixture.vendor)).toBe(true);
      expect(roles.map((r) => r.id).sort()).toEqual(h.wire.roleIds().sort());
    });

    it('request(): a raw call with the adapter’s auth, answered with the vendor’s own reply', async () => {
      const agent = await newAgent();
      const raw = await counted(h, () => c.request(h.rawGetAgent(agent.id)));
      expect(h.emailOfRawAgent(raw.value)).toBe(agent.email);
      expect(raw.requests).toBe(1);
    });

    it('an aborted signal: every call rejects with its reason and sends nothing', async () => {
      const agent = await newAgent();
      const group = await c.groups.create({ name: `Abort_${next}` });
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      controller.abort(reason);
      const signal = controller.signal;
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['agents.list', () => c.agents.list({ signal }).toArray()],
        ['agents.get', () => c.agents.get(agent.id, { signal })],
        ['agents.findByEmail', () => c.agents.findByEmail(agent.email, { signal })],
        ['agents.create', () => c.agents.create(h.agentInput(++next), { signal })],
        ['agents.update', () => c.agents.update(agent.id, { name: 'Never' }, { signal })],
        ['agents.delete', () => c.agents.delete(agent.id, { ...h.deleteOptions, signal })],
        ['groups.list', () => c.groups.list({ signal }).toArray()],
        ['groups.get', () => c.groups.get(group.id, { signal })],
        ['groups.create', () => c.groups.create({ name: `Never_${next}` }, { signal })],
        ['groups.update', () => c.groups.update(group.id, { name: 'Never' }, { signal })],
        ['groups.delete', () => c.groups.delete(group.id, { signal })],
        ['roles.list', () => c.roles.list({ signal })],
        ['request', () => c.request({ ...h.rawGetAgent(agent.id), signal })],
      ];
      const before = h.sim.stats().requests;
      for (const [name, call] of calls) {
        const outcome = await call().then(
          () => 'resolved',
          (e: unknown) => e,
        );
        expect(outcome, name).toBe(reason);
      }
      expect(h.sim.stats().requests).toBe(before);
      expect(h.wire.agent(agent.id)?.name).toBe(agent.name);
      expect(h.wire.group(group.id)?.name).toBe(group.name);
    });

    it('a signal aborted during a list walk: the next page is not requested', async () => {
      for (let i = 0; i < 3; i++) await newAgent();
      const controller = new AbortController();
      const reason = new Error('enough');
      const pages: number[] = [];
      const walk = await counted(h, async () => {
        try {
          for await (const page of c.agents.list({ pageSize: 1, signal: controller.signal }).pages()) {
            pages.push(page.length);
            controller.abort(reason);
          }
          return 'finished';
        } catch (e) {
          return e;
        }
      });
      expect(walk.value).toBe(reason);
      expect(pages).toEqual([1]);
      expect(walk.requests).toBe(1);
    });

    it('a 503 injected on a read is retried, and the read succeeds', async () => {
      const agent = await newAgent();
      const injected = h.sim.stats().faultsInjected['503'] ?? 0;
      const retried = h.client({ hooks: { onRetry: () => h.sim.faults.clear() } });
      h.sim.faults.set({ rate: 1, kinds: ['503'], match: h.agentRead });
      try {
        expect(await retried.agents.get(agent.id)).toMatchObject({ id: agent.id, email: agent.email });
      } finally {
        h.sim.faults.clear();
      }
      expect(retried.stats().retries).toBe(1);
      expect((h.sim.stats().faultsInjected['503'] ?? 0) - injected).toBe(1);
    });

    it('create with readBack: false returns the vendor’s id for exactly one write request', async () => {
      const input = h.agentInput(++next);
      const writesBefore = writeRequests(h);
      const made = await counted(h, () => c.agents.create(input, { readBack: false }));
      expect(made.value).toMatchObject({ vendor: fixture.vendor, email: input.email, name: input.name });
      expect(h.wire.agent(made.value.id)).toEqual({ email: input.email, name: input.name });
      expect(writeRequests(h) - writesBefore).toBe(1);
      expect(made.requests).toBe(1);
    });
  });
});
