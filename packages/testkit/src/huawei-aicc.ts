import { createHash } from 'node:crypto';
import {
  SimServer,
  isRecord,
  type CommonSimulatorOptions,
  type FaultController,
  type RateLimitOptions,
  type RouteDef,
  type SimReply,
  type SimRequest,
  type SimulatorStats,
} from './server';
import { Table } from './table';
import {
  checkCreateAccount,
  checkDeleteAccount,
  checkPassword,
  checkSkillDescription,
  checkSkillName,
  checkSkillParam,
  checkUserName,
  isInteger,
  seedDescription,
  seedSkillParam,
  type HuaweiBodyForm,
  type HuaweiPasswordLength,
  type HuaweiTokenOrigin,
} from './huawei-aicc-rules';

export type { HuaweiBodyForm, HuaweiPasswordLength, HuaweiTokenOrigin } from './huawei-aicc-rules';
import type { SeedChannel, SeedTenant } from './tenant';
import type { SeedResult } from './types';

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

/** 4 audio, 11 video, 5 multimedia, 99 versatile. */
export type HuaweiAgentType = 4 | 11 | 5 | 99;
/** 2 agent, 3 inspector, 4 outbound-call agent. */
export type HuaweiCcRoleId = 2 | 3 | 4;

export interface HuaweiSkillBinding {
  skillId: number;
  agentWeight: number;
  skillWeight: number;
}

/** An agent as `agentAccount/query` returns it. */
export interface HuaweiAgentWire {
  userAccount: string;
  userName: string;
  phone: string | null;
  email: string;
  agentType: number;
  ccRoleId: number;
  sipAccount: string;
  skills: HuaweiSkillBinding[];
  workNo: number;
  transparentDisplayFlag: boolean;
}

/** A skill queue as `skill/querySkills` returns it. */
export interface HuaweiSkillWire {
  skillId: number;
  name: string;
  description: string;
  mediaTypeId: number;
  maxWaitTime: number;
  maxWaitNum: number;
  maxAgentWrapupTime: number;
  skillParam: Record<string, unknown>;
}

export interface HuaweiRoleWire {
  ccRoleId: HuaweiCcRoleId;
  name: string;
  description: string;
}

export interface HuaweiAgentInput {
  userAccount: string;
  userName: string;
  email: string;
  /** Default 'Aicc@2024pwd'. */
  password?: string;
  phone?: string | null;
  agentType?: number;
  ccRoleId?: number;
  skills?: HuaweiSkillBinding[];
  workNo?: number;
}

export interface HuaweiSkillInput {
  name: string;
  mediaTypeId?: number;
  description?: string;
  maxWaitTime?: number;
  maxWaitNum?: number;
  maxAgentWrapupTime?: number;
  skillParam?: Record<string, unknown>;
}

export interface HuaweiAiccCredentials {
  appKey: string;
  appSecret: string;
}

export interface HuaweiAiccSimulatorOptions extends CommonSimulatorOptions {
  tenant?: SeedTenant;
  credentials?: Partial<HuaweiAiccCredentials>;
  /** Password length rule: 'exactly-8' (default, "a string of eight characters" read literally) or '8-to-32'. */
  passwordLength?: HuaweiPasswordLength;
  /**
   * Body reading: 'flat' (default; every published sample) or 'wrapped' (the parameter tables:
   * `requestParam` for create/update/queryAgentInfoBySkillId, `requestParams` for query/delete).
   * Each accepts only its own form.
   */
  bodyForm?: HuaweiBodyForm;
  /** Serve at most this many items per page, whatever the page size asked (`total` still counts all). */
  pageCap?: number;
  /** 'separate': tokenByAkSk is served on its own origin (`tokenBaseUrl`) and 404 on the business one. */
  tokenOrigin?: HuaweiTokenOrigin;
}

export interface HuaweiAiccState {
  listAgents(): HuaweiAgentWire[];
  getAgent(userAccount: string): HuaweiAgentWire | undefined;
  findAgentByEmail(email: string): HuaweiAgentWire | undefined;
  /** Skill queues (Huawei's groups). */
  listGroups(): HuaweiSkillWire[];
  getGroup(skillId: number): HuaweiSkillWire | undefined;
  /** userAccounts bound to a skill, in binding order. */
  skillMembers(skillId: number): string[];
  /** The fixed ccRole table (2, 3, 4). */
  listRoles(): HuaweiRoleWire[];
  addAgent(input: HuaweiAgentInput): HuaweiAgentWire;
  addSkill(input: HuaweiSkillInput): HuaweiSkillWire;
  agentPassword(userAccount: string): string | undefined;
  counts(): { agents: number; skills: number };
  seed(tenant: SeedTenant): SeedResult<string, number>;
  reset(): void;
}

export interface HuaweiAiccSimulator {
  /** The origin, `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The origin of tokenByAkSk: baseUrl, or its own with `tokenOrigin: 'separate'`. */
  readonly tokenBaseUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly credentials: HuaweiAiccCredentials;
  readonly state: HuaweiAiccState;
  readonly faults: FaultController;
  /** Revoke every issued token (the next call gets 401 APIGW.0301). */
  expireTokens(): void;
  /** Tokens currently valid (by the `now` clock). */
  activeTokens(): number;
  setRateLimit(r: RateLimitOptions | false): void;
  stats(): SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

export const HUAWEI_API_PREFIX = '/apiaccess/rest/cc-management/v1';
export const HUAWEI_TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';

const DEFAULT_CREDENTIALS: HuaweiAiccCredentials = {
  appKey: '4f6e2a1c-93b7-4d58-a0e2-7c1b5d9f3e64',
  appSecret: 'hw-sim-secret-5b8e1f7a2c9d4e6b',
};
const AGENT_TYPES = [4, 11, 5, 99] as const;
const CC_ROLES = [2, 3, 4] as const;
const MEDIA_TYPES = [5, 53, 2, 18, 19] as const;
const ROLES: HuaweiRoleWire[] = [
  { ccRoleId: 2, name: 'agent', description: '话务员 (agent)' },
  { ccRoleId: 3, name: 'inspector', description: '质检员 (inspector)' },
  { ccRoleId: 4, name: 'outbound call agent', description: '外呼座席 (outbound call agent)' },
];

interface HAgent {
  userAccount: string;
  userName: string;
  password: string;
  email: string;
  phone: string | null;
  agentType: number;
  ccRoleId: number;
  sipAccount: string;
  workNo: number;
  skills: Map<number, { agentWeight: number; skillWeight: number }>;
}
interface HSkill {
  skillId: number;
  name: string;
  description: string;
  mediaTypeId: number;
  maxWaitTime: number;
  maxWaitNum: number;
  maxAgentWrapupTime: number;
  skillParam: Record<string, unknown>;
  members: Set<string>;
}

/** Whether a skill of `mediaTypeId` may be bound to an agent of `agentType`. */
export function huaweiMediaFits(agentType: number, mediaTypeId: number): boolean {
  if (agentType === 99) return true;
  if (agentType === 4 || agentType === 11) return mediaTypeId === 5;
  if (agentType === 5) return mediaTypeId === 53;
  return false;
}


function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Whether a password passes the default rule group under a length reading (default 'exactly-8'). */
export function huaweiCheckPassword(p: unknown, reading: HuaweiPasswordLength = 'exactly-8'): boolean {
  return checkPassword(p, reading) === null;
}
/** The documented email limits only (localPart ≤ 64, domainPart ≤ 255, each label ≤ 63): the doc's own example is masked ("t**@****.com"). */
function checkEmail(e: unknown): boolean {
  if (typeof e !== 'string' || /\s/.test(e)) return false;
  const at = e.lastIndexOf('@');
  if (at <= 0) return false;
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  if (local.length > 64 || domain.length === 0 || domain.length > 255) return false;
  return domain.split('.').every((l) => l.length >= 1 && l.length <= 63);
}

const agentOk = (resultMessage: string, extra?: Record<string, unknown>): SimReply => ({
  status: 200,
  body: { resultCode: '0', resultMessage, ...extra },
});
const agentFail = (resultMessage: string): SimReply => ({ status: 200, body: { resultCode: '1', resultMessage } });
const skillOk = (extra?: Record<string, unknown>): SimReply => ({
  status: 200,
  body: { returnCode: '0', description: 'success', ...extra },
});
const skillFail = (description: string): SimReply => ({ status: 200, body: { returnCode: '1', description } });
const gwError = (status: number, code: string, msg: string): SimReply => ({
  status,
  body: { error_code: code, error_msg: msg },
});

function agentTypeFromChannels(ch: readonly SeedChannel[]): HuaweiAgentType {
  const audio = ch.includes('voice') || ch.includes('outbound');
  const video = ch.includes('video');
  const multi = ch.includes('chat') || ch.includes('ticket');
  if (multi && (audio || video)) return 99;
  if (multi) return 5;
  if (audio && video) return 99;
  if (video) return 11;
  return 4;
}

class HuaweiStore {
  agents = new Table<string, HAgent>((a) => a.userAccount);
  byEmail = new Map<string, string>(); // lower email → userAccount (first holder)
  skills = new Table<number, HSkill>((s) => s.skillId);
  nextWorkNo = 101;
  nextSkillId = 1;

  reset(): void {
    this.agents.clear();
    this.byEmail.clear();
    this.skills.clear();
    this.nextWorkNo = 101;
    this.nextSkillId = 1;
  }

  agentWire(a: HAgent): HuaweiAgentWire {
    const skills: HuaweiSkillBinding[] = [];
    for (const [skillId, w] of a.skills) skills.push({ skillId, agentWeight: w.agentWeight, skillWeight: w.skillWeight });
    return {
      userAccount: a.userAccount,
      userName: a.userName,
      phone: a.phone,
      email: a.email,
      agentType: a.agentType,
      ccRoleId: a.ccRoleId,
      sipAccount: a.sipAccount,
      skills,
      workNo: a.workNo,
      transparentDisplayFlag: false,
    };
  }
  skillWire(s: HSkill): HuaweiSkillWire {
    return {
      skillId: s.skillId,
      name: s.name,
      description: s.description,
      mediaTypeId: s.mediaTypeId,
      maxWaitTime: s.maxWaitTime,
      maxWaitNum: s.maxWaitNum,
      maxAgentWrapupTime: s.maxAgentWrapupTime,
      skillParam: structuredClone(s.skillParam),
    };
  }

  insertAgent(input: HuaweiAgentInput): HAgent {
    if (this.agents.has(input.userAccount)) throw new Error(`userAccount ${input.userAccount} already exists`);
    const workNo = input.workNo ?? this.nextWorkNo;
    this.nextWorkNo = Math.max(this.nextWorkNo, workNo + 1);
    const a: HAgent = {
      userAccount: input.userAccount,
      userName: input.userName,
      password: input.password ?? 'Aicc@2024pwd',
      email: input.email,
      phone: input.phone ?? null,
      agentType: input.agentType ?? 5,
      ccRoleId: input.ccRoleId ?? 2,
      sipAccount: `88${String(workNo).padStart(6, '0')}`,
      workNo,
      skills: new Map(),
    };
    this.agents.insert(a);
    const ek = a.email.toLowerCase();
    if (!this.byEmail.has(ek)) this.byEmail.set(ek, a.userAccount);
    for (const b of input.skills ?? []) this.bind(a, b.skillId, b.agentWeight, b.skillWeight);
    return a;
  }
  bind(a: HAgent, skillId: number, agentWeight: number, skillWeight: number): void {
    const s = this.skills.get(skillId);
    if (!s) return;
    a.skills.set(skillId, { agentWeight, skillWeight });
    s.members.add(a.userAccount);
  }
  unbind(a: HAgent, skillId: number): void {
    a.skills.delete(skillId);
    this.skills.get(skillId)?.members.delete(a.userAccount);
  }
  replaceSkills(a: HAgent, skills: readonly HuaweiSkillBinding[]): void {
    for (const id of [...a.skills.keys()]) this.unbind(a, id);
    for (const b of skills) this.bind(a, b.skillId, b.agentWeight, b.skillWeight);
  }
  setEmail(a: HAgent, email: string): void {
    const old = a.email.toLowerCase();
    if (this.byEmail.get(old) === a.userAccount) this.byEmail.delete(old);
    a.email = email;
    const ek = email.toLowerCase();
    if (!this.byEmail.has(ek)) this.byEmail.set(ek, a.userAccount);
  }
  deleteAgent(a: HAgent): void {
    for (const id of a.skills.keys()) this.skills.get(id)?.members.delete(a.userAccount);
    this.agents.delete(a.userAccount);
    const ek = a.email.toLowerCase();
    if (this.byEmail.get(ek) === a.userAccount) this.byEmail.delete(ek);
  }
  insertSkill(input: HuaweiSkillInput): HSkill {
    const s: HSkill = {
      skillId: this.nextSkillId++,
      name: input.name,
      description: input.description ?? seedDescription(input.name),
      mediaTypeId: input.mediaTypeId ?? 53,
      maxWaitTime: input.maxWaitTime ?? 60,
      maxWaitNum: input.maxWaitNum ?? 100,
      maxAgentWrapupTime: input.maxAgentWrapupTime ?? 30,
      skillParam: input.skillParam ?? seedSkillParam(input.mediaTypeId ?? 53),
      members: new Set(),
    };
    this.skills.insert(s);
    return s;
  }
  deleteSkill(s: HSkill): void {
    for (const ua of s.members) this.agents.get(ua)?.skills.delete(s.skillId);
    this.skills.delete(s.skillId);
  }

  seed(tenant: SeedTenant): SeedResult<string, number> {
    const result: SeedResult<string, number> = { roles: {}, departments: {}, groups: {}, agents: {} };
    const roleKind = new Map(tenant.roles.map((r) => [r.key, r.kind]));
    for (const r of tenant.roles) result.roles[r.key] = r.kind === 'inspector' ? 3 : r.kind === 'outbound' ? 4 : 2;

    // agent types first, then each skill's media type from its members (promoting misfits to 99)
    const types = tenant.agents.map((s) => agentTypeFromChannels(s.channels) as number);
    const membersOf = new Map<string, number[]>();
    tenant.agents.forEach((s, i) => {
      for (const g of s.groupKeys) {
        let list = membersOf.get(g);
        if (!list) membersOf.set(g, (list = []));
        list.push(i);
      }
    });
    for (const g of tenant.groups) {
      const members = membersOf.get(g.key) ?? [];
      const hasMulti = members.some((i) => types[i] === 5);
      const hasVoice = members.some((i) => types[i] === 4 || types[i] === 11);
      const media = hasMulti || !hasVoice ? 53 : 5;
      for (const i of members) if (!huaweiMediaFits(types[i]!, media)) types[i] = 99;
      const name = Buffer.byteLength(g.name) > 100 ? g.name.slice(0, 30) : g.name;
      result.groups[g.key] = this.insertSkill({ name, mediaTypeId: media, description: seedDescription(g.name) }).skillId;
    }

    tenant.agents.forEach((s, i) => {
      let base = s.email.split('@')[0]!.replace(/[^A-Za-z0-9@._-]/g, '_');
      while (base.length < 6) base += '0';
      base = base.slice(0, 50);
      let account = base;
      for (let n = 2; this.agents.has(account); n++) {
        const suffix = `_${n}`;
        account = base.slice(0, 50 - suffix.length) + suffix;
      }
      const userName = [...s.name.replace(/["[\]'&()=;<>,]/g, '')].slice(0, 20).join('') || account.slice(0, 20);
      const kind = s.roleKeys.map((k) => roleKind.get(k)).find((k) => k !== undefined);
      const a = this.insertAgent({
        userAccount: account,
        userName,
        email: s.email,
        password: s.password,
        phone: s.phone,
        agentType: types[i]!,
        ccRoleId: kind === 'inspector' ? 3 : kind === 'outbound' ? 4 : 2,
        skills: s.groupKeys
          .map((k) => result.groups[k])
          .filter((v): v is number => v !== undefined)
          .map((skillId) => ({ skillId, agentWeight: 1, skillWeight: 1 })),
      });
      result.agents[s.key] = a.userAccount;
    });
    return result;
  }
}

export async function startHuaweiAiccSimulator(opts: HuaweiAiccSimulatorOptions = {}): Promise<HuaweiAiccSimulator> {
  const creds: HuaweiAiccCredentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  const store = new HuaweiStore();
  const tokens = new Map<string, number>(); // token → expiry ms
  let tokenSeq = 0;
  // eslint-disable-next-line prefer-const
  let server: SimServer;
  const now = () => server.now();

  const unauthorized = () => gwError(401, 'APIGW.0301', 'Incorrect token');

  function authenticate(req: SimRequest): SimReply | null {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer (\S+)$/.exec(auth);
    const appKey = req.headers['x-app-key'];
    if (!m || appKey !== creds.appKey) return unauthorized();
    const exp = tokens.get(m[1]!);
    if (exp === undefined) return unauthorized();
    if (exp <= now()) {
      tokens.delete(m[1]!);
      return unauthorized();
    }
    return null;
  }

  const bodyForm: HuaweiBodyForm = opts.bodyForm ?? 'flat';
  const passwordLength: HuaweiPasswordLength = opts.passwordLength ?? 'exactly-8';
  const pageCap = opts.pageCap ?? Infinity;
  /**
   * The parameters of a call: the body itself ('flat'), or the body's `wrapper` object ('wrapped', for
   * the calls whose table shows one). A body in the other form reads as empty, so its required fields fail.
   */
  const params = (req: SimRequest, wrapper?: 'requestParam' | 'requestParams'): Record<string, unknown> => {
    const b = req.body;
    if (!isRecord(b)) return {};
    if (bodyForm === 'flat' || wrapper === undefined) return b;
    const inner = b[wrapper];
    return isRecord(inner) ? inner : {};
  };

  /** Validates a skills array for `agentType`; returns the bindings or an error message. */
  function checkSkills(raw: unknown, agentType: number): HuaweiSkillBinding[] | string {
    if (!Array.isArray(raw)) return 'skills must be an array';
    const out: HuaweiSkillBinding[] = [];
    for (const item of raw) {
      if (!isRecord(item)) return 'skills must be an array of {skillId, agentWeight, skillWeight}';
      const { skillId, agentWeight, skillWeight } = item;
      // Integer in the table: a number, not a digit string
      if (!isInteger(skillId) || !isInteger(agentWeight) || !isInteger(skillWeight)) {
        return 'skillId, agentWeight and skillWeight are required integers for each skill';
      }
      if (agentWeight < 1 || skillWeight < 1) return 'agentWeight and skillWeight must be at least 1';
      const s = store.skills.get(skillId);
      if (!s) return `skill ${skillId} does not exist`;
      if (!huaweiMediaFits(agentType, s.mediaTypeId)) {
        return `the media type ${s.mediaTypeId} of skill ${skillId} does not match agentType ${agentType}`;
      }
      out.push({ skillId, agentWeight, skillWeight });
    }
    return out;
  }

  /** Checks the agent fields present in `p`; returns an error message or null. */
  function checkAgentFields(p: Record<string, unknown>, on: 'create' | 'update'): string | null {
    if (p.userName !== undefined) {
      const bad = checkUserName(p.userName, on);
      if (bad) return bad;
    }
    if (on === 'create') {
      const bad = checkPassword(p.password, passwordLength);
      if (bad) return bad;
    }
    if (p.email !== undefined && !checkEmail(p.email)) {
      return 'email is invalid: local part at most 64 characters, domain at most 255, each label at most 63';
    }
    if (p.phone !== undefined && p.phone !== null && (typeof p.phone !== 'string' || p.phone.length > 25)) {
      return 'phone must be a string of at most 25 characters';
    }
    if (p.agentType !== undefined && !(isInteger(p.agentType) && (AGENT_TYPES as readonly number[]).includes(p.agentType))) {
      return 'agentType must be one of 4, 11, 5, 99';
    }
    if (p.ccRoleId !== undefined && !(isInteger(p.ccRoleId) && (CC_ROLES as readonly number[]).includes(p.ccRoleId))) {
      return 'ccRoleId must be one of 2, 3, 4';
    }
    return null;
  }

  /** pageNum is mandatory (zh page) and 0-based; pageSize at most 100 (documented on queryAgentInfoBySkillId). */
  function checkPage(p: Record<string, unknown>): { pageNum: number; pageSize: number; serve: number } | string {
    if (p.pageNum === undefined || p.pageNum === null) return 'pageNum is required';
    const pageSize = p.pageSize === undefined ? 10 : p.pageSize;
    if (!isInteger(p.pageNum) || p.pageNum < 0) return 'pageNum must be an integer from 0';
    if (!isInteger(pageSize) || pageSize < 1 || pageSize > 100) return 'pageSize must be an integer from 1 to 100';
    // pageCap: the server pages by its own, smaller size (pages shorter than asked; `total` counts everything)
    const size = Math.min(pageSize, pageCap);
    return { pageNum: p.pageNum, pageSize: size, serve: size };
  }

  function checkSkillFields(p: Record<string, unknown>, create: boolean, mediaTypeId = p.mediaTypeId as number): string | null {
    const need = (f: string) => create || p[f] !== undefined;
    if (create) {
      for (const f of ['name', 'description', 'mediaTypeId', 'maxWaitTime', 'maxWaitNum', 'maxAgentWrapupTime', 'skillParam']) {
        if (p[f] === undefined || p[f] === null) return `${f} is required`;
      }
    }
    if (need('name')) {
      const bad = checkSkillName(p.name);
      if (bad) return bad;
    }
    if (need('description')) {
      const bad = checkSkillDescription(p.description);
      if (bad) return bad;
    }
    if (need('mediaTypeId') && !(isInteger(p.mediaTypeId) && (MEDIA_TYPES as readonly number[]).includes(p.mediaTypeId))) {
      return 'mediaTypeId must be one of 5, 53, 2, 18, 19';
    }
    const ranges: Array<[string, number]> = [
      ['maxWaitTime', 60000],
      ['maxWaitNum', 10000],
      ['maxAgentWrapupTime', 3600],
    ];
    for (const [f, max] of ranges) {
      if (!need(f)) continue;
      const v = p[f];
      if (!isInteger(v) || v < 0 || v > max) return `${f} must be an integer from 0 to ${max}`;
    }
    if (need('skillParam')) return checkSkillParam(p.skillParam, mediaTypeId);
    return null;
  }

  const api = (name: string) => new RegExp(`^${HUAWEI_API_PREFIX.toLowerCase()}/${name.toLowerCase()}$`);
  /** every business call is a POST under the API prefix, counted in stats by its path */
  const post = (name: string, handler: RouteDef['handler']): RouteDef => ({ method: 'POST', pattern: api(name), key: `POST ${name}`, handler });
  const skillOf = (id: unknown) => {
    const skillId = toInt(id);
    return skillId === undefined ? undefined : store.skills.get(skillId);
  };
  const accountsOf = (v: unknown): string[] | null =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;

  const tokenRoute: RouteDef = {
    method: 'POST',
    pattern: new RegExp(`^${HUAWEI_TOKEN_PATH.toLowerCase()}$`),
    key: 'POST /tokenByAkSk',
    auth: false,
    authEndpoint: true,
    handler: (req) => {
      server.extra.tokenRequests = (server.extra.tokenRequests ?? 0) + 1;
      const hdr = req.headers['x-token-expire'];
      let expire = 600;
      if (hdr !== undefined) {
        const v = toInt(Array.isArray(hdr) ? hdr[0] : hdr);
        if (v === undefined || v < 1 || v > 3600) {
          return gwError(400, 'APIGW.0400', 'X-Token-Expire must be an integer from 1 to 3600');
        }
        expire = v;
      }
      const b = isRecord(req.body) ? req.body : {};
      if (b.app_key !== creds.appKey || b.app_secret !== creds.appSecret) {
        return gwError(401, 'APIGW.0101', 'invalid app_key or app_secret');
      }
      const t = now();
      if (tokens.size > 1000) for (const [k, exp] of tokens) if (exp <= t) tokens.delete(k);
      tokenSeq++;
      const token = createHash('sha256').update(`${creds.appKey}:${tokenSeq}:${t}`).digest('hex').slice(0, 32);
      tokens.set(token, t + expire * 1000);
      return {
        status: 200,
        body: {
          AccessToken: token,
          ApplyType: 'Bearer',
          CreateTime: String(Math.floor(t / 1000)),
          Expires: String(expire),
          Scope: 'default',
          AppKey: creds.appKey,
          UserID: 'Anonymous',
        },
      };
    },
  };
  const separateToken = opts.tokenOrigin === 'separate';
  const routes: RouteDef[] = [
    ...(separateToken ? [] : [tokenRoute]),
    post('agentAccount/create', (req) => {
        const p = params(req, 'requestParam');
        for (const f of ['userAccount', 'userName', 'password', 'email', 'agentType', 'ccRoleId']) {
          if (p[f] === undefined || p[f] === null || p[f] === '') return agentFail(`${f} is required`);
        }
        const badAccount = checkCreateAccount(p.userAccount);
        if (badAccount) return agentFail(badAccount);
        const bad = checkAgentFields(p, 'create');
        if (bad) return agentFail(bad);
        const agentType = p.agentType as number;
        let skills: HuaweiSkillBinding[] = [];
        if (p.skills !== undefined && p.skills !== null) {
          const r = checkSkills(p.skills, agentType);
          if (typeof r === 'string') return agentFail(r);
          skills = r;
        }
        const userAccount = p.userAccount as string;
        if (store.agents.has(userAccount)) return agentFail('userAccount already exists');
        const a = store.insertAgent({
          userAccount,
          userName: p.userName as string,
          password: p.password as string,
          email: p.email as string,
          phone: (p.phone as string | null | undefined) ?? null,
          agentType,
          ccRoleId: p.ccRoleId as number,
          skills,
        });
        return agentOk('create agent account success', { workNo: a.workNo });
      }),
    post('agentAccount/update', (req) => {
        const p = params(req, 'requestParam');
        if (typeof p.userAccount !== 'string' || p.userAccount === '') return agentFail('userAccount is required');
        const a = store.agents.get(p.userAccount);
        if (!a) return agentFail('userAccount does not exist');
        const bad = checkAgentFields(p, 'update');
        if (bad) return agentFail(bad);
        const agentType = p.agentType !== undefined ? (p.agentType as number) : a.agentType;
        let skills: HuaweiSkillBinding[] | null = null;
        if (p.skills !== undefined && p.skills !== null) {
          const r = checkSkills(p.skills, agentType);
          if (typeof r === 'string') return agentFail(r);
          skills = r;
        } else if (agentType !== a.agentType) {
          for (const id of a.skills.keys()) {
            const s = store.skills.get(id);
            if (s && !huaweiMediaFits(agentType, s.mediaTypeId)) {
              return agentFail(`the media type ${s.mediaTypeId} of skill ${id} does not match agentType ${agentType}`);
            }
          }
        }
        if (p.oldPassWord !== undefined || p.newPassWord !== undefined) {
          if (typeof p.oldPassWord !== 'string' || typeof p.newPassWord !== 'string') {
            return agentFail('oldPassWord and newPassWord are both required to change the password');
          }
          if (p.oldPassWord !== a.password) return agentFail('oldPassWord is incorrect');
          const badPassword = checkPassword(p.newPassWord, passwordLength, 'newPassWord');
          if (badPassword) return agentFail(badPassword);
          a.password = p.newPassWord;
        }
        if (p.userName !== undefined) a.userName = p.userName as string;
        if (p.email !== undefined) store.setEmail(a, p.email as string);
        if (p.phone !== undefined) a.phone = (p.phone as string | null) ?? null;
        if (p.ccRoleId !== undefined) a.ccRoleId = p.ccRoleId as number;
        if (agentType !== a.agentType) {
          a.agentType = agentType;
          store.agents.touch();
        }
        if (skills) store.replaceSkills(a, skills);
        return agentOk('edit success');
      }),
    post('agentAccount/delete', (req) => {
        const p = params(req, 'requestParams');
        if (typeof p.userAccount !== 'string' || p.userAccount === '') return agentFail('userAccount is required');
        // delete documents its own pattern: no "@" or "." (which create allows)
        const badAccount = checkDeleteAccount(p.userAccount);
        if (badAccount) return agentFail(badAccount);
        const a = store.agents.get(p.userAccount);
        if (!a) return agentFail('userAccount does not exist');
        store.deleteAgent(a);
        return agentOk('delete AgentAccount success');
      }),
    post('agentAccount/query', (req) => {
        const p = params(req, 'requestParams');
        const msg = 'get agent account info success';
        // pageNum is mandatory (zh page) for a page; next to userAccount the sample sends none, and
        // paging fields that are sent are still checked
        const byAccount = typeof p.userAccount === 'string' && p.userAccount !== '';
        const pg = checkPage(byAccount ? { pageNum: 0, ...p } : p);
        if (typeof pg === 'string') return agentFail(pg);
        if (byAccount) {
          const a = store.agents.get(p.userAccount as string);
          return agentOk(msg, { data: a ? [store.agentWire(a)] : [], total: a ? 1 : 0 });
        }
        let list = store.agents.values();
        if (p.agentType !== undefined && p.agentType !== null) {
          if (!Array.isArray(p.agentType) || !p.agentType.every(isInteger)) return agentFail('agentType must be an array of integers');
          const wanted = p.agentType as number[];
          const key = [...new Set(wanted)].sort((x, y) => x - y);
          if (key.length) list = store.agents.view(`type:${key.join(',')}`, (a) => key.includes(a.agentType));
        }
        const start = pg.pageNum * pg.pageSize;
        return agentOk(msg, {
          data: list.slice(start, start + pg.serve).map((a) => store.agentWire(a)),
          total: list.length,
        });
      }),
    post('agentAccount/addSkillsToAgent', (req) => {
        const p = params(req);
        const accounts = accountsOf(p.userAccounts);
        if (!accounts || accounts.length === 0 || accounts.length > 50) {
          return agentFail('userAccounts must contain 1 to 50 accounts');
        }
        const s = skillOf(p.skillId);
        if (!s) return agentFail(`skill ${String(p.skillId)} does not exist`);
        const { agentWeight, skillWeight } = p;
        if (!isInteger(agentWeight) || !isInteger(skillWeight) || agentWeight < 1 || skillWeight < 1) {
          return agentFail('agentWeight and skillWeight must be integers of at least 1');
        }
        const agents: HAgent[] = [];
        for (const ua of accounts) {
          const a = store.agents.get(ua);
          if (!a) return agentFail(`userAccount ${ua} does not exist`);
          if (!huaweiMediaFits(a.agentType, s.mediaTypeId)) {
            return agentFail(`the media type ${s.mediaTypeId} of skill ${s.skillId} does not match agentType ${a.agentType} of ${ua}`);
          }
          agents.push(a);
        }
        for (const a of agents) store.bind(a, s.skillId, agentWeight, skillWeight);
        return agentOk('success');
      }),
    post('agentAccount/releaseAgentBySkillId', (req) => {
        const p = params(req);
        const s = skillOf(p.skillId);
        if (!s) return agentFail(`skill ${String(p.skillId)} does not exist`);
        const accounts = p.userAccounts === undefined || p.userAccounts === null ? [] : accountsOf(p.userAccounts);
        if (!accounts) return agentFail('userAccounts must be an array of strings');
        const targets = accounts.length === 0 ? [...s.members] : accounts;
        for (const ua of targets) {
          const a = store.agents.get(ua);
          if (a) store.unbind(a, s.skillId);
        }
        return agentOk('success');
      }),
    post('agentAccount/queryAgentInfoBySkillId', (req) => {
        const p = params(req, 'requestParam');
        const s = skillOf(p.skillId);
        if (!s) return agentFail(`skill ${String(p.skillId)} does not exist`);
        const pg = checkPage(p);
        if (typeof pg === 'string') return agentFail(pg);
        const members = [...s.members];
        const start = pg.pageNum * pg.pageSize;
        const data = members.slice(start, start + pg.serve).map((ua) => {
          const a = store.agents.get(ua)!;
          return { userAccount: a.userAccount, userName: a.userName, workNo: a.workNo, agentType: a.agentType };
        });
        return agentOk('success', { data, total: members.length });
      }),
    post('skill/querySkills', (req) => {
        const p = params(req);
        // limit: string in the table and the sample; offset: string in the table, a number in the sample
        if (p.limit !== undefined && typeof p.limit !== 'string') return skillFail('limit must be a string');
        if (p.offset !== undefined && typeof p.offset !== 'string' && typeof p.offset !== 'number') return skillFail('offset must be a string');
        if (p.mediaTypeId !== undefined && typeof p.mediaTypeId !== 'string') return skillFail('mediaTypeId must be a string');
        if (p.name !== undefined) {
          const badName = checkSkillName(p.name);
          if (badName) return skillFail(badName);
        }
        if (p.skillIds !== undefined && !(Array.isArray(p.skillIds) && p.skillIds.every((x) => typeof x === 'string'))) {
          return skillFail('skillIds must be an array of strings');
        }
        const limit = p.limit === undefined ? 100 : toInt(p.limit);
        const offset = p.offset === undefined ? 0 : toInt(p.offset);
        if (limit === undefined || limit < 1 || limit > 100) return skillFail('limit must be a positive integer of at most 100');
        if (offset === undefined || offset < 0) return skillFail('offset must be an integer from 0');
        let list: readonly HSkill[] = store.skills.values();
        if (typeof p.name === 'string' && p.name !== '') list = list.filter((s) => s.name === p.name);
        if (p.mediaTypeId !== undefined && p.mediaTypeId !== null && p.mediaTypeId !== '') {
          const m = toInt(p.mediaTypeId);
          list = list.filter((s) => s.mediaTypeId === m);
        }
        if (Array.isArray(p.skillIds) && p.skillIds.length > 0) {
          const wanted = new Set(p.skillIds.map((x) => toInt(x)));
          list = list.filter((s) => wanted.has(s.skillId));
        }
        return skillOk({ total: list.length, data: list.slice(offset, offset + Math.min(limit, pageCap)).map((s) => store.skillWire(s)) });
      }),
    post('skill/createSkill', (req) => {
        const p = params(req);
        const bad = checkSkillFields(p, true);
        if (bad) return skillFail(bad);
        const s = store.insertSkill({
          name: p.name as string,
          description: p.description as string,
          mediaTypeId: p.mediaTypeId as number,
          maxWaitTime: p.maxWaitTime as number,
          maxWaitNum: p.maxWaitNum as number,
          maxAgentWrapupTime: p.maxAgentWrapupTime as number,
          skillParam: structuredClone(p.skillParam as Record<string, unknown>),
        });
        return skillOk({ skillId: s.skillId });
      }),
    post('skill/modifySkill', (req) => {
        const p = params(req);
        const s = skillOf(p.skillId);
        if (!s) return skillFail(`skill ${String(p.skillId)} does not exist`);
        const bad = checkSkillFields(p, false, p.mediaTypeId === undefined ? s.mediaTypeId : (p.mediaTypeId as number));
        if (bad) return skillFail(bad);
        if (p.mediaTypeId !== undefined) {
          const m = p.mediaTypeId as number;
          for (const ua of s.members) {
            const a = store.agents.get(ua);
            if (a && !huaweiMediaFits(a.agentType, m)) {
              return skillFail(`mediaTypeId ${m} does not match agentType ${a.agentType} of bound agent ${ua}`);
            }
          }
          s.mediaTypeId = m;
        }
        if (p.name !== undefined) s.name = p.name as string;
        if (p.description !== undefined) s.description = p.description as string;
        if (p.maxWaitTime !== undefined) s.maxWaitTime = p.maxWaitTime as number;
        if (p.maxWaitNum !== undefined) s.maxWaitNum = p.maxWaitNum as number;
        if (p.maxAgentWrapupTime !== undefined) s.maxAgentWrapupTime = p.maxAgentWrapupTime as number;
        if (p.skillParam !== undefined) s.skillParam = structuredClone(p.skillParam as Record<string, unknown>);
        return skillOk();
      }),
    post('skill/deleteSkill', (req) => {
        const p = params(req);
        const raw = Array.isArray(p.skillIds) ? p.skillIds.join(',') : p.skillIds;
        if (typeof raw !== 'string' && typeof raw !== 'number') return skillFail('skillIds is required');
        const parts = String(raw)
          .split(/[,;-]/)
          .map((x) => x.trim())
          .filter(Boolean);
        if (parts.length === 0) return skillFail('skillIds is required');
        if (parts.length > 10) return skillFail('skillIds can contain at most 10 ids');
        const skills: HSkill[] = [];
        for (const part of parts) {
          const id = toInt(part);
          const s = id === undefined ? undefined : store.skills.get(id);
          if (!s) return skillFail(`skill ${part} does not exist`);
          skills.push(s);
        }
        for (const s of skills) store.deleteSkill(s);
        return skillOk();
      }),
  ];

  const profile = (serverRoutes: RouteDef[]) => ({
    apiPrefix: HUAWEI_API_PREFIX,
    caseInsensitivePaths: true,
    routes: serverRoutes,
    authenticate,
    notFound: () => gwError(404, 'APIGW.0404', 'The API does not exist or has not been published'),
    badRequest: (message: string) => gwError(400, 'APIGW.0400', message),
    tooManyRequests: () => gwError(429, 'APIGW.0308', 'The throttling threshold has been reached'),
    serverError: (status: number) => gwError(status, 'APIGW.0500', 'Internal server error'),
    malformedBody: '{"resultCode":"0","resultMessage":"get agent account info success","data":[{"userAccount":"',
  });
  server = new SimServer(profile(routes), opts);
  server.extra.tokenRequests = 0;
  if (opts.tenant) store.seed(opts.tenant);
  await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  // the auth module on its own origin (AICC's :28070): faults and rate limits stay on the business one
  let tokenServer: SimServer | undefined;
  if (separateToken) {
    tokenServer = new SimServer(profile([tokenRoute]), { now: opts.now });
    await tokenServer.listen(opts.host ?? '127.0.0.1', 0);
  }

  const state: HuaweiAiccState = {
    listAgents: () => store.agents.values().map((a) => store.agentWire(a)),
    getAgent: (ua) => {
      const a = store.agents.get(ua);
      return a && store.agentWire(a);
    },
    findAgentByEmail: (email) => {
      const ua = store.byEmail.get(email.toLowerCase());
      const a = ua === undefined ? undefined : store.agents.get(ua);
      return a && store.agentWire(a);
    },
    listGroups: () => store.skills.values().map((s) => store.skillWire(s)),
    getGroup: (id) => {
      const s = store.skills.get(id);
      return s && store.skillWire(s);
    },
    skillMembers: (id) => [...(store.skills.get(id)?.members ?? [])],
    listRoles: () => ROLES.map((r) => ({ ...r })),
    addAgent: (input) => store.agentWire(store.insertAgent(input)),
    addSkill: (input) => store.skillWire(store.insertSkill(input)),
    agentPassword: (ua) => store.agents.get(ua)?.password,
    counts: () => ({ agents: store.agents.size, skills: store.skills.size }),
    seed: (tenant) => store.seed(tenant),
    reset: () => store.reset(),
  };

  return {
    baseUrl: server.origin,
    tokenBaseUrl: (tokenServer ?? server).origin,
    origin: server.origin,
    port: server.port,
    get credentials() {
      return { ...creds };
    },
    state,
    faults: server.faults,
    expireTokens: () => tokens.clear(),
    activeTokens: () => {
      const t = now();
      let n = 0;
      for (const exp of tokens.values()) if (exp > t) n++;
      return n;
    },
    setRateLimit: (r) => server.setRateLimit(r),
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    close: async () => {
      await Promise.all([server.close(), tokenServer?.close()]);
    },
  };
}
