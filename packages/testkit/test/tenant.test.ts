import { describe, expect, it } from 'vitest';
import {
  generateTenant,
  startAllSimulators,
  startHuaweiAiccSimulator,
  startKf5Simulator,
  startUdeskSimulator,
} from '../src/index';
import { basic, json, udeskUrl } from './helpers';

describe('generateTenant', () => {
  it('is deterministic: same seed → byte-identical, different seed → different', () => {
    const a = JSON.stringify(generateTenant({ seed: 7, agents: 200 }));
    const b = JSON.stringify(generateTenant({ seed: 7, agents: 200 }));
    const c = JSON.stringify(generateTenant({ seed: 8, agents: 200 }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('produces realistic, unique, consistent data', () => {
    const t = generateTenant({ seed: 3, agents: 2000, groups: 8, roles: 5, departments: 10, disabledShare: 0.2 });
    expect(t.roles).toHaveLength(5);
    expect(t.groups).toHaveLength(8);
    expect(t.departments).toHaveLength(10);
    expect(t.departments.filter((d) => d.parentKey === null)).toHaveLength(1);
    const deptKeys = new Set(t.departments.map((d) => d.key));
    for (const d of t.departments) if (d.parentKey) expect(deptKeys.has(d.parentKey)).toBe(true);

    expect(new Set(t.agents.map((a) => a.email)).size).toBe(2000);
    expect(new Set(t.agents.map((a) => a.key)).size).toBe(2000);
    const phones = t.agents.map((a) => a.phone).filter((p): p is string => p !== null);
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of phones) expect(p).toMatch(/^1[3-9]\d{9}$/);
    for (const a of t.agents) {
      expect(a.email).toMatch(/^[a-z0-9.]+@example\.(cn|com)$/);
      expect(a.channels.length).toBeGreaterThan(0);
      expect(['zh-CN', 'en-US']).toContain(a.locale);
      expect(a.password).toMatch(/[A-Z]/);
      expect(a.password).toMatch(/[a-z]/);
      expect(a.password).toMatch(/\d/);
      expect(a.password.length).toBeGreaterThanOrEqual(8);
      for (const k of a.groupKeys) expect(t.groups.some((g) => g.key === k)).toBe(true);
      for (const k of a.departmentKeys) expect(deptKeys.has(k)).toBe(true);
      expect(a.roleKeys).toHaveLength(1);
    }
    expect(t.agents.some((a) => /^[\u4e00-\u9fa5]{2,3}$/.test(a.name))).toBe(true);
    expect(t.agents.some((a) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(a.name))).toBe(true);
    const disabled = t.agents.filter((a) => a.status === 'disabled').length / t.agents.length;
    expect(disabled).toBeGreaterThan(0.15);
    expect(disabled).toBeLessThan(0.25);
    expect(new Set(t.agents.map((a) => a.employeeNo)).size).toBe(2000);
  });

  it('honours disabledShare 0 and counts of zero groups', () => {
    const t = generateTenant({ seed: 1, agents: 50, groups: 0, disabledShare: 0 });
    expect(t.agents.every((a) => a.status === 'active' && a.groupKeys.length === 0)).toBe(true);
  });
});

describe('seeding 10,000 agents', () => {
  it('generates and seeds all three simulators fast', async () => {
    const [udesk, kf5, hw] = await Promise.all([startUdeskSimulator(), startKf5Simulator(), startHuaweiAiccSimulator()]);
    try {
      const t0 = performance.now();
      const tenant = generateTenant({ seed: 42, agents: 10_000, groups: 20 });
      const t1 = performance.now();
      udesk.state.seed(tenant);
      const t2 = performance.now();
      kf5.state.seed(tenant);
      const t3 = performance.now();
      hw.state.seed(tenant);
      const t4 = performance.now();
      console.log(
        `10,000 agents: generate ${(t1 - t0).toFixed(0)} ms, seed udesk ${(t2 - t1).toFixed(0)} ms, kf5 ${(t3 - t2).toFixed(0)} ms, huawei ${(t4 - t3).toFixed(0)} ms`,
      );
      expect(udesk.state.counts().agents).toBe(10_000);
      expect(kf5.state.counts().agents).toBe(10_000);
      expect(hw.state.counts().agents).toBe(10_000);

      // and the servers page through them without trouble
      const enabled = tenant.agents.filter((a) => a.status === 'active').length;
      const r = await json(await fetch(udeskUrl(udesk.baseUrl, '/agents', udesk.credentials, { page: '100', per_page: '100' })));
      expect(r.meta.total_count).toBe(enabled);
      expect(r.meta.total_pages).toBe(Math.ceil(enabled / 100));
      const k = await json(
        await fetch(`${kf5.baseUrl}/users.json?role=agent,admin&page=100`, {
          headers: { authorization: basic(kf5.credentials.email, kf5.credentials.password) },
        }),
      );
      expect(k.count).toBe(10_000);
      expect(k.users).toHaveLength(100);
      expect(k.next_page).toBeNull();
    } finally {
      await Promise.all([udesk.close(), kf5.close(), hw.close()]);
    }
  });
});

describe('seed mapping per vendor', () => {
  it('maps one tenant onto each wire format consistently', async () => {
    const tenant = generateTenant({ seed: 5, agents: 40, groups: 3, roles: 5 });
    const all = await startAllSimulators({ tenant });
    try {
      const ua = tenant.agents.find((a) => a.groupKeys.length > 0 && a.phone !== null)!;
      const u = all.udesk.state.findAgentByEmail(ua.email)!;
      expect(u.nick_name).toBe(ua.name);
      expect(u.cellphone).toBe(ua.phone);
      expect(u.work_id).toBe(ua.employeeNo);
      expect(u.im_ability_value).toBe(ua.maxChats);
      expect(u.disable_status).toBe(ua.status === 'active' ? 'enable' : 'disable');
      expect(u.lang).toBe(ua.locale === 'zh-CN' ? 'zh-cn' : 'en-us');
      expect(u.user_groups.map((g) => g.name).sort()).toEqual(
        ua.groupKeys.map((k) => tenant.groups.find((g) => g.key === k)!.name).sort(),
      );
      for (const g of u.user_groups) expect(all.udesk.state.getGroup(g.id)!.agents.map((x) => x.id)).toContain(u.id);

      const k = all.kf5.state.findUserByEmail(ua.email)!;
      expect(k.name).toBe(ua.name);
      expect(k.phone).toBe(ua.phone);
      expect(['agent', 'admin']).toContain(k.role);
      expect(k.status).toBe(ua.status === 'active' ? 'active' : 'suspended');
      expect(k.groups_info.map((g) => g.name).sort()).toEqual(u.user_groups.map((g) => g.name).sort());

      const h = all.huaweiAicc.state.findAgentByEmail(ua.email)!;
      expect(h.userName).toBe(ua.name);
      expect(h.phone).toBe(ua.phone);
      expect(h.skills).toHaveLength(ua.groupKeys.length);
      for (const s of h.skills) expect(all.huaweiAicc.state.skillMembers(s.skillId)).toContain(h.userAccount);

      expect(all.udesk.state.counts()).toEqual({ agents: 40, groups: 3, roles: 5, departments: 6 });
      expect(all.huaweiAicc.state.listRoles().map((r) => r.ccRoleId)).toEqual([2, 3, 4]);
      // seeding twice with the same emails is refused, all or nothing
      expect(() => all.udesk.state.seed(tenant)).toThrow(/already taken/);
      expect(all.udesk.state.counts().agents).toBe(40);
    } finally {
      await all.close();
    }
  });
});
