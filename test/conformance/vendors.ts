/**
 * One fixture per vendor for the client-contract suite: how to start its simulator under a reading,
 * make a client on it, what valid input looks like in that vendor's terms, and how to read the
 * simulator's wire state back in the model's terms (ids as strings), so the suite can check what
 * actually reached the vendor rather than the client's echo of it.
 */
import type {
  AgentInput,
  CommonClientOptions,
  ContactCenterClient,
  ContactKitError,
  DeleteOptions,
  RawRequest,
  VendorId,
} from '@contactkit/core';
import { createHuaweiAiccClient, type HuaweiAiccClientOptions } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import {
  startHuaweiAiccSimulator,
  startKf5Simulator,
  startUdeskSimulator,
  type FaultController,
  type HuaweiAiccSimulator,
  type HuaweiAiccSimulatorOptions,
  type Kf5SimulatorOptions,
  type RequestMatch,
  type SimulatorStats,
  type UdeskReadings,
} from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';

/** What the suite needs of any simulator. */
export interface SimHandle {
  readonly faults: FaultController;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

/** The wire state of a simulator, read in the model's terms. */
export interface WireView {
  /** an agent as the simulator holds it; undefined when it has none with that id */
  agent(id: string): { email: string; name: string } | undefined;
  /** the ids of every (active) agent */
  agentIds(): string[];
  group(id: string): { name: string; memberIds: string[] } | undefined;
  groupIds(): string[];
  /** the ids roles.list must return */
  roleIds(): string[];
}

/** One running simulator with a client factory and the vendor's terms for the contract's inputs. */
export interface Harness {
  sim: SimHandle;
  wire: WireView;
  /** a client configured for the reading; `over` adds hooks and the like */
  client(over?: Partial<CommonClientOptions>): ContactCenterClient;
  /** a client whose credential is wrong, and every secret that must not appear in its errors */
  wrongCredentials(): { client: ContactCenterClient; secrets: string[] };
  /** a valid agent input, distinct for each `n` */
  agentInput(n: number): AgentInput;
  /** what agents.delete needs besides the id */
  deleteOptions: DeleteOptions;
  /** a raw call that reads one agent, and the email read from its reply */
  rawGetAgent(id: string): RawRequest;
  emailOfRawAgent(reply: unknown): string | undefined;
  /** the request agents.get sends: the read the fault case breaks */
  agentRead: RequestMatch;
  /** whether a simulator route key (`POST /agents`) is a write */
  isWrite(route: string): boolean;
}

export interface Reading {
  name: string;
  /** the most items the simulator serves on a page under this reading, whatever was asked */
  pageCap?: number | undefined;
  start(): Promise<Harness>;
}

export interface VendorFixture {
  vendor: VendorId;
  /** ids that no agent or group has, in a form the adapter accepts */
  unknownAgentId: string;
  unknownGroupId: string;
  /** what else a duplicate's ConflictError carries on this vendor */
  conflict: Partial<ContactKitError>;
  readings: Reading[];
}

const RETRY = { minDelayMs: 1, maxDelayMs: 10 };

const isHttpWrite = (route: string) => /^(POST|PUT|PATCH|DELETE) /.test(route);

// ---------------------------------------------------------------------------------------------
// Udesk
// ---------------------------------------------------------------------------------------------

async function startUdesk(readings: UdeskReadings): Promise<Harness> {
  const sim = await startUdeskSimulator(readings);
  const roleId = String(sim.state.addRole({ name: '客服', description: 'agent' }).id);
  sim.state.addRole({ name: '客服主管' });
  const groupId = String(sim.state.addGroup({ name: 'Existing' }).id);
  const deptId = String(sim.state.addDepartment({ name: 'HQ' }).id);
  const { email, apiToken } = sim.credentials;
  const base = {
    baseUrl: sim.baseUrl,
    email,
    rateLimit: false as const,
    retry: RETRY,
    // Udesk refuses a create without these three arrays, non-empty
    defaults: { roleIds: [roleId], groupIds: [groupId], departmentIds: [deptId] },
  };
  return {
    sim,
    wire: {
      agent(id) {
        const a = sim.state.getAgent(Number(id));
        return a && { email: a.email, name: a.nick_name ?? '' };
      },
      agentIds: () => sim.state.listAgents().filter((a) => a.disable_status === 'enable').map((a) => String(a.id)),
      group(id) {
        const g = sim.state.getGroup(Number(id));
        return g && { name: g.name, memberIds: g.agents.map((a) => String(a.id)) };
      },
      groupIds: () => sim.state.listGroups().map((g) => String(g.id)),
      roleIds: () => sim.state.listRoles().map((r) => String(r.id)),
    },
    client: (over = {}) => createUdeskClient({ ...base, apiToken, ...over }),
    wrongCredentials: () => ({ client: createUdeskClient({ ...base, apiToken: 'wrong-udesk-token-0000' }), secrets: ['wrong-udesk-token-0000', apiToken] }),
    agentInput: (n) => ({ email: `conf.agent${n}@example.cn`, name: `Agent ${n}`, password: `Pass-${n}-xyz` }),
    // the seed's table makes owner_group_id required on delete
    deleteOptions: { vendorFields: { owner_group_id: groupId } },
    rawGetAgent: (id) => ({ method: 'GET', path: '/agents/get_agent', query: { type: 'id', content: id } }),
    emailOfRawAgent: (reply) => (reply as { agent?: { email?: string } }).agent?.email,
    agentRead: { method: 'GET', path: '/agents/get_agent' },
    isWrite: isHttpWrite,
  };
}

const UDESK: VendorFixture = {
  vendor: 'udesk',
  unknownAgentId: '999999',
  unknownGroupId: '999999',
  conflict: { vendor: 'udesk', vendorCode: '2000' },
  // each reading changes a reply shape the client parses: pages, totals, departments, error text, members
  readings: (
    [
      ['strict (defaults)', {}],
      ['pageCap 1: pages shorter than per_page', { pageCap: 1 }],
      [
        'meta.count, departments as an object, code_message, pageCap 3, owner_group_id optional',
        { metaTotalField: 'count', departmentsForm: 'object', errorMessageField: 'code_message', pageCap: 3, deleteOwnerGroup: 'optional' },
      ],
      ['group members without meta', { groupMembersMeta: false }],
    ] as Array<[string, UdeskReadings]>
  ).map(([name, readings]) => ({ name, pageCap: readings.pageCap, start: () => startUdesk(readings) })),
};

// ---------------------------------------------------------------------------------------------
// KF5
// ---------------------------------------------------------------------------------------------

/** `auth`: the credentials a caller configures under the reading (an end-user token is no use: password alone). */
async function startKf5(options: Kf5SimulatorOptions, auth: 'both' | 'password'): Promise<Harness> {
  const sim = await startKf5Simulator(options);
  const { email, password, apiToken } = sim.credentials;
  const credentials = (pw: string, token: string) => (auth === 'both' ? { password: pw, apiToken: token } : { password: pw });
  const make = (over: Partial<CommonClientOptions>, pw: string, token: string) =>
    createKf5Client({ baseUrl: sim.baseUrl, email, ...credentials(pw, token), retry: RETRY, ...over });
  const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');
  return {
    sim,
    wire: {
      agent(id) {
        const u = sim.state.getAgent(Number(id));
        return u && { email: u.email, name: u.name };
      },
      agentIds: () => sim.state.listAgents().filter((u) => u.status === 'active').map((u) => String(u.id)),
      group(id) {
        const g = sim.state.getGroup(Number(id));
        return g && { name: g.name, memberIds: g.agents.map((a) => String(a.id)) };
      },
      groupIds: () => sim.state.listGroups().map((g) => String(g.id)),
      // the two fixed roles, then the tenant's custom roles
      roleIds: () => ['agent', 'admin', ...sim.state.listRoles().map((r) => `custom:${r.id}`)],
    },
    client: (over = {}) => make(over, password, apiToken),
    wrongCredentials: () => ({
      client: make({}, 'wrong-kf5-password', 'wrong-kf5-token-0000'),
      secrets: ['wrong-kf5-password', 'wrong-kf5-token-0000', password, apiToken, basic(email, 'wrong-kf5-password'), basic(`${email}/token`, 'wrong-kf5-token-0000')],
    }),
    agentInput: (n) => ({ email: `conf.agent${n}@example.com`, name: `Agent ${n}`, password: `Pw-${n}-secret` }),
    deleteOptions: {},
    rawGetAgent: (id) => ({ method: 'GET', path: `/users/${id}.json` }),
    emailOfRawAgent: (reply) => (reply as { user?: { email?: string } }).user?.email,
    agentRead: { method: 'GET', path: /^\/users\/\d+\.json$/ },
    isWrite: isHttpWrite,
  };
}

const KF5: VendorFixture = {
  vendor: 'kf5',
  unknownAgentId: '999999',
  unknownGroupId: '999999',
  conflict: { vendor: 'kf5', status: 422 },
  // Not run here: tokenRole 'admin' and groupWriteFields 'lenient' change only which writes a token may
  // make and which undocumented keys are ignored; the contract's calls see the same (the e2e suite runs them).
  readings: [
    { name: 'defaults (token with agent rights, next_page on the same origin)', start: () => startKf5({}, 'both') },
    { name: "next_page printed as http://<host> without the port (nextPageOrigin 'http')", start: () => startKf5({ nextPageOrigin: 'http' }, 'both') },
    { name: 'pages shorter than per_page while count/next_page say more (pageCap 1)', pageCap: 1, start: () => startKf5({ pageCap: 1 }, 'both') },
    { name: "token with end-user rights only (tokenRole 'end_user'): password alone", start: () => startKf5({ tokenRole: 'end_user' }, 'password') },
  ],
};

// ---------------------------------------------------------------------------------------------
// Huawei AICC
// ---------------------------------------------------------------------------------------------

const HUAWEI_API = '/apiaccess/rest/cc-management/v1';
const HUAWEI_WRITES = /(agentAccount\/(create|update|delete|addSkillsToAgent|releaseAgentBySkillId)|skill\/(createSkill|modifySkill|deleteSkill))$/i;

async function startHuawei(options: HuaweiAiccSimulatorOptions, clientFor: (sim: HuaweiAiccSimulator) => Partial<HuaweiAiccClientOptions>): Promise<Harness> {
  const sim = await startHuaweiAiccSimulator(options);
  const { appKey, appSecret } = sim.credentials;
  const make = (over: Partial<CommonClientOptions>, secret: string) =>
    createHuaweiAiccClient({ baseUrl: sim.baseUrl, appKey, appSecret: secret, retry: RETRY, ...clientFor(sim), ...over });
  // a raw call sends the body as given: under the 'wrapped' reading the caller wraps it
  const queryBody = (userAccount: string) => (options.bodyForm === 'wrapped' ? { requestParams: { userAccount } } : { userAccount });
  return {
    sim,
    wire: {
      agent(id) {
        const a = sim.state.getAgent(id);
        return a && { email: a.email, name: a.userName };
      },
      agentIds: () => sim.state.listAgents().map((a) => a.userAccount),
      group(id) {
        const s = sim.state.getGroup(Number(id));
        return s && { name: s.name, memberIds: sim.state.skillMembers(s.skillId) };
      },
      groupIds: () => sim.state.listGroups().map((s) => String(s.skillId)),
      roleIds: () => sim.state.listRoles().map((r) => String(r.ccRoleId)),
    },
    client: (over = {}) => make(over, appSecret),
    wrongCredentials: () => ({ client: make({}, 'wrong-huawei-secret-0000'), secrets: ['wrong-huawei-secret-0000', appSecret] }),
    // userAccount is Huawei's unique key: naming it (loginName) makes the same input a duplicate;
    // chat makes a multimedia agent, which fits a skill queue of the default media type
    agentInput: (n) => ({ email: `conf.agent${n}@example.com`, name: `Agent ${n}`, password: 'Secret#1', loginName: `conf_agent${n}`, channels: ['chat'] }),
    deleteOptions: {},
    rawGetAgent: (id) => ({ method: 'POST', path: `${HUAWEI_API}/agentAccount/query`, body: queryBody(id) }),
    emailOfRawAgent: (reply) => (reply as { data?: Array<{ email?: string }> }).data?.[0]?.email,
    agentRead: { path: '/agentAccount/query' },
    isWrite: (route) => HUAWEI_WRITES.test(route),
  };
}

const HUAWEI: VendorFixture = {
  vendor: 'huawei-aicc',
  unknownAgentId: 'nobody01',
  unknownGroupId: '999999',
  conflict: { vendor: 'huawei-aicc' },
  // Not run here: passwordLength '8-to-32' changes only which passwords pass (the e2e suite runs it).
  readings: [
    { name: 'strict defaults: flat bodies, full pages, one origin', start: () => startHuawei({}, () => ({})) },
    { name: "bodyForm 'wrapped' (requestParam / requestParams)", start: () => startHuawei({ bodyForm: 'wrapped' }, () => ({ wrapRequestParams: true })) },
    { name: 'pageCap 1: short pages while total says more', pageCap: 1, start: () => startHuawei({ pageCap: 1 }, () => ({})) },
    { name: "tokenOrigin 'separate' (tokenBaseUrl)", start: () => startHuawei({ tokenOrigin: 'separate' }, (s) => ({ tokenBaseUrl: s.tokenBaseUrl })) },
  ],
};

export const VENDORS: VendorFixture[] = [UDESK, KF5, HUAWEI];
