import {
  ConflictError,
  NetworkError,
  NotFoundError,
  paginate,
  parseInput,
  AgentInputSchema,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type ContactCenterClient,
  type Group,
  type GroupInput,
  type GroupPatch,
  type Role,
  type TransportStats,
  type VendorId,
} from '@contactkit/core';

/**
 * An in-memory ContactCenterClient for engine tests: behaves like a vendor (unique emails, ids it
 * assigns) and can lose replies on demand. The vendor-specific end-to-end runs use the testkit.
 */
export class FakeClient implements ContactCenterClient {
  readonly capabilities = {
    agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true },
    groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
    roles: { list: true, create: false },
  };
  readonly passwordRules = { minLength: 8, maxLength: 20, requiredClasses: ['lower', 'upper', 'digit'] as Array<'lower' | 'upper' | 'digit'>, specials: '!' };
  agentsById = new Map<string, Agent>();
  groupsById = new Map<string, Group>();
  rolesList: Role[];
  passwords = new Map<string, string>();
  private nextId = 1;
  creates = 0;
  /** make the Nth create (1-based, counting all creates) land but lose its reply */
  loseReplyOnCreate = new Set<number>();
  /** make the Nth create fail before landing */
  failCreate = new Set<number>();
  onCreate?: (n: number) => void;

  constructor(readonly vendor: VendorId, roles: Array<[string, string]> = [['1', 'agent'], ['2', 'admin']]) {
    this.rolesList = roles.map(([id, name]) => ({ id, vendor, name, description: null }));
  }

  seedAgent(partial: Partial<Agent> & { email: string; name: string }): Agent {
    const id = String(this.nextId++);
    const agent: Agent = { id, vendor: this.vendor, loginName: null, nickname: null, phone: null, status: 'active', channels: ['chat'], roleIds: [], groupIds: [], departmentIds: [], employeeNo: null, locale: null, ...partial };
    this.agentsById.set(id, agent);
    return agent;
  }
  seedGroup(name: string, memberIds: string[] = []): Group {
    const id = String(this.nextId++);
    const g: Group = { id, vendor: this.vendor, name, memberIds };
    this.groupsById.set(id, g);
    for (const m of memberIds) this.agentsById.get(m)?.groupIds.push(id);
    return g;
  }

  private beforeCreate(): { lose: boolean } {
    const n = ++this.creates;
    this.onCreate?.(n);
    if (this.failCreate.has(n)) throw new NetworkError('connection reset', { vendor: this.vendor, retryable: true });
    return { lose: this.loseReplyOnCreate.has(n) };
  }

  readonly agents = {
    list: (opts: { includeDisabled?: boolean } = {}) =>
      paginate(0, async (offset: number) => {
        const all = [...this.agentsById.values()].filter((a) => opts.includeDisabled || a.status === 'active');
        const items = all.slice(offset, offset + 50).map((a) => structuredClone(a));
        return { items, next: offset + 50 < all.length ? offset + 50 : undefined };
      }),
    get: async (id: string) => {
      const a = this.agentsById.get(id);
      if (!a) throw new NotFoundError(`no agent ${id}`, { vendor: this.vendor });
      return structuredClone(a);
    },
    findByEmail: async (email: string) => {
      const a = [...this.agentsById.values()].find((x) => x.email.toLowerCase() === email.toLowerCase());
      return a ? structuredClone(a) : null;
    },
    create: async (input: AgentInput) => {
      const parsed = parseInput(AgentInputSchema, input, { vendor: this.vendor });
      const { lose } = this.beforeCreate();
      if ([...this.agentsById.values()].some((a) => a.email.toLowerCase() === parsed.email.toLowerCase())) {
        throw new ConflictError('The email has been occupied', { vendor: this.vendor, vendorCode: '2000' });
      }
      const { password, vendorFields: _v, ...rest } = parsed;
      const agent = this.seedAgent({ ...rest, nickname: rest.nickname ?? null, phone: rest.phone ?? null, employeeNo: rest.employeeNo ?? null, locale: rest.locale ?? null, loginName: rest.loginName ?? null, groupIds: [] });
      if (password) this.passwords.set(agent.email, password);
      if (lose) throw new NetworkError('socket hang up', { vendor: this.vendor, retryable: true });
      return structuredClone(agent);
    },
    update: async (id: string, patch: AgentPatch) => {
      const a = this.agentsById.get(id);
      if (!a) throw new NotFoundError(`no agent ${id}`, { vendor: this.vendor });
      const { password: _p, vendorFields: _v, ...rest } = patch;
      Object.assign(a, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
      return structuredClone(a);
    },
    delete: async (id: string) => {
      this.agentsById.delete(id);
    },
    preview: (input: AgentInput) => {
      parseInput(AgentInputSchema, input, { vendor: this.vendor });
      return { body: { ...input, password: input.password ? '[REDACTED]' : undefined }, warnings: input.channels?.includes('video') ? [{ field: 'channels', message: 'no video here' }] : [] };
    },
  };

  readonly groups = {
    list: () => paginate(0, async () => ({ items: [...this.groupsById.values()].map((g) => ({ ...g, memberIds: null })), next: undefined })),
    get: async (id: string) => {
      const g = this.groupsById.get(id);
      if (!g) throw new NotFoundError(`no group ${id}`, { vendor: this.vendor });
      return structuredClone(g);
    },
    create: async (input: GroupInput) => {
      const { lose } = this.beforeCreate();
      const g = this.seedGroup(input.name, input.memberIds ?? []);
      if (lose) throw new NetworkError('socket hang up', { vendor: this.vendor, retryable: true });
      return structuredClone(g);
    },
    update: async (id: string, patch: GroupPatch) => {
      const g = this.groupsById.get(id);
      if (!g) throw new NotFoundError(`no group ${id}`, { vendor: this.vendor });
      if (patch.name) g.name = patch.name;
      if (patch.memberIds) {
        g.memberIds = [...patch.memberIds];
        for (const a of this.agentsById.values()) {
          const inGroup = patch.memberIds.includes(a.id);
          a.groupIds = a.groupIds.filter((x) => x !== id).concat(inGroup ? [id] : []);
        }
      }
      return structuredClone(g);
    },
    delete: async (id: string) => {
      this.groupsById.delete(id);
    },
    preview: (input: GroupInput) => ({ body: input, warnings: [] }),
  };

  readonly roles = {
    list: async () => structuredClone(this.rolesList),
    /** the fake vendor's least-privileged role is the one named "agent" */
    leastPrivileged: (roles: Role[]) => roles.find((r) => r.name === 'agent'),
  };
  async request<T>(): Promise<T> {
    throw new Error('not in the fake');
  }
  stats(): TransportStats {
    return { requests: 0, attempts: 0, retries: 0, rateLimitWaitMs: 0, retryAfterWaitMs: 0, errors: 0 };
  }
}
