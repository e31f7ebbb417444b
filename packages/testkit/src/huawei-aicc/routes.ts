import { isRecord, type RouteDef, type SimReply, type SimRequest } from '../server';
import { agentFail, agentOk, skillFail, skillOk } from './replies';
import {
  checkAgentFields,
  checkCreateAccount,
  checkDeleteAccount,
  checkPage,
  checkPassword,
  checkSkillFields,
  checkSkillName,
  checkSkills,
  huaweiMediaFits,
  isInteger,
  toInt,
} from './rules';
import type { HAgent, HSkill, HuaweiStore } from './store';
import type { HuaweiBodyForm, HuaweiPasswordLength, HuaweiSkillBinding } from './types';

export const HUAWEI_API_PREFIX = '/apiaccess/rest/cc-management/v1';

/** What the handlers need, all made before the server: the store and the option readings. */
export interface HuaweiRouteContext {
  store: HuaweiStore;
  bodyForm: HuaweiBodyForm;
  passwordLength: HuaweiPasswordLength;
  /** Largest page served (Infinity: as asked). */
  pageCap: number;
}

type Handler = (ctx: HuaweiRouteContext, req: SimRequest) => SimReply;

/**
 * The parameters of a call: the body itself ('flat'), or the body's `wrapper` object ('wrapped', for
 * the calls whose table shows one). A body in the other form reads as empty, so its required fields fail.
 */
function params(ctx: HuaweiRouteContext, req: SimRequest, wrapper?: 'requestParam' | 'requestParams'): Record<string, unknown> {
  const b = req.body;
  if (!isRecord(b)) return {};
  if (ctx.bodyForm === 'flat' || wrapper === undefined) return b;
  const inner = b[wrapper];
  return isRecord(inner) ? inner : {};
}

const accountsOf = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

const mediaTypeOf = (store: HuaweiStore) => (skillId: number) => store.skills.get(skillId)?.mediaTypeId;

/** The skills in a body (none when absent), checked against `agentType`; an error message when bad. */
function bodySkills(store: HuaweiStore, raw: unknown, agentType: number): HuaweiSkillBinding[] | null | string {
  if (raw === undefined || raw === null) return null;
  return checkSkills(raw, agentType, mediaTypeOf(store));
}

// ---------------------------------------------------------------------------------------------
// agentAccount/*
// ---------------------------------------------------------------------------------------------

const CREATE_REQUIRED = ['userAccount', 'userName', 'password', 'email', 'agentType', 'ccRoleId'];

const createAgent: Handler = (ctx, req) => {
  const p = params(ctx, req, 'requestParam');
  for (const f of CREATE_REQUIRED) if (p[f] === undefined || p[f] === null || p[f] === '') return agentFail(`${f} is required`);
  const bad = checkCreateAccount(p.userAccount) ?? checkAgentFields(p, 'create', ctx.passwordLength);
  if (bad) return agentFail(bad);
  const agentType = p.agentType as number;
  const skills = bodySkills(ctx.store, p.skills, agentType);
  if (typeof skills === 'string') return agentFail(skills);
  const userAccount = p.userAccount as string;
  if (ctx.store.agents.has(userAccount)) return agentFail('userAccount already exists');
  const a = ctx.store.insertAgent({
    userAccount,
    userName: p.userName as string,
    password: p.password as string,
    email: p.email as string,
    phone: (p.phone as string | null | undefined) ?? null,
    agentType,
    ccRoleId: p.ccRoleId as number,
    skills: skills ?? [],
  });
  return agentOk('create agent account success', { workNo: a.workNo });
};

/** A new agentType without new skills must still fit every skill the agent has. */
function misfitSkill(store: HuaweiStore, a: HAgent, agentType: number): string | null {
  for (const id of a.skills.keys()) {
    const s = store.skills.get(id);
    if (s && !huaweiMediaFits(agentType, s.mediaTypeId)) {
      return `the media type ${s.mediaTypeId} of skill ${id} does not match agentType ${agentType}`;
    }
  }
  return null;
}

/** oldPassWord + newPassWord change the password; an error message when they don't. */
function changePassword(ctx: HuaweiRouteContext, a: HAgent, p: Record<string, unknown>): string | null {
  if (p.oldPassWord === undefined && p.newPassWord === undefined) return null;
  if (typeof p.oldPassWord !== 'string' || typeof p.newPassWord !== 'string') {
    return 'oldPassWord and newPassWord are both required to change the password';
  }
  if (p.oldPassWord !== a.password) return 'oldPassWord is incorrect';
  const bad = checkPassword(p.newPassWord, ctx.passwordLength, 'newPassWord');
  if (bad) return bad;
  a.password = p.newPassWord;
  return null;
}

function applyAgentFields(store: HuaweiStore, a: HAgent, p: Record<string, unknown>, agentType: number): void {
  if (p.userName !== undefined) a.userName = p.userName as string;
  if (p.email !== undefined) store.setEmail(a, p.email as string);
  if (p.phone !== undefined) a.phone = (p.phone as string | null) ?? null;
  if (p.ccRoleId !== undefined) a.ccRoleId = p.ccRoleId as number;
  if (agentType !== a.agentType) {
    a.agentType = agentType;
    store.agents.touch();
  }
}

const updateAgent: Handler = (ctx, req) => {
  const { store } = ctx;
  const p = params(ctx, req, 'requestParam');
  if (typeof p.userAccount !== 'string' || p.userAccount === '') return agentFail('userAccount is required');
  const a = store.agents.get(p.userAccount);
  if (!a) return agentFail('userAccount does not exist');
  const bad = checkAgentFields(p, 'update', ctx.passwordLength);
  if (bad) return agentFail(bad);
  const agentType = p.agentType !== undefined ? (p.agentType as number) : a.agentType;
  const skills = bodySkills(store, p.skills, agentType);
  if (typeof skills === 'string') return agentFail(skills);
  const misfit = skills === null && agentType !== a.agentType ? misfitSkill(store, a, agentType) : null;
  if (misfit) return agentFail(misfit);
  const badPassword = changePassword(ctx, a, p);
  if (badPassword) return agentFail(badPassword);
  applyAgentFields(store, a, p, agentType);
  if (skills) store.replaceSkills(a, skills);
  return agentOk('edit success');
};

const deleteAgent: Handler = (ctx, req) => {
  const p = params(ctx, req, 'requestParams');
  if (typeof p.userAccount !== 'string' || p.userAccount === '') return agentFail('userAccount is required');
  // delete documents its own pattern: no "@" or "." (which create allows)
  const badAccount = checkDeleteAccount(p.userAccount);
  if (badAccount) return agentFail(badAccount);
  const a = ctx.store.agents.get(p.userAccount);
  if (!a) return agentFail('userAccount does not exist');
  ctx.store.deleteAgent(a);
  return agentOk('delete AgentAccount success');
};

const queryAgents: Handler = (ctx, req) => {
  const { store } = ctx;
  const p = params(ctx, req, 'requestParams');
  const msg = 'get agent account info success';
  // pageNum is mandatory (zh page) for a page; next to userAccount the sample sends none, and
  // paging fields that are sent are still checked
  const byAccount = typeof p.userAccount === 'string' && p.userAccount !== '';
  const pg = checkPage(byAccount ? { pageNum: 0, ...p } : p, ctx.pageCap);
  if (typeof pg === 'string') return agentFail(pg);
  if (byAccount) {
    const a = store.agents.get(p.userAccount as string);
    return agentOk(msg, { data: a ? [store.agentWire(a)] : [], total: a ? 1 : 0 });
  }
  let list = store.agents.values();
  if (p.agentType !== undefined && p.agentType !== null) {
    if (!Array.isArray(p.agentType) || !p.agentType.every(isInteger)) return agentFail('agentType must be an array of integers');
    const key = [...new Set(p.agentType as number[])].sort((x, y) => x - y);
    if (key.length) list = store.agents.view(`type:${key.join(',')}`, (a) => key.includes(a.agentType));
  }
  const start = pg.pageNum * pg.pageSize;
  return agentOk(msg, { data: list.slice(start, start + pg.serve).map((a) => store.agentWire(a)), total: list.length });
};

const addSkillsToAgent: Handler = (ctx, req) => {
  const { store } = ctx;
  const p = params(ctx, req);
  const accounts = accountsOf(p.userAccounts);
  if (!accounts || accounts.length === 0 || accounts.length > 50) return agentFail('userAccounts must contain 1 to 50 accounts');
  const s = store.skillByParam(p.skillId);
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
};

const releaseAgentBySkillId: Handler = (ctx, req) => {
  const { store } = ctx;
  const p = params(ctx, req);
  const s = store.skillByParam(p.skillId);
  if (!s) return agentFail(`skill ${String(p.skillId)} does not exist`);
  const accounts = p.userAccounts === undefined || p.userAccounts === null ? [] : accountsOf(p.userAccounts);
  if (!accounts) return agentFail('userAccounts must be an array of strings');
  const targets = accounts.length === 0 ? [...s.members] : accounts;
  for (const ua of targets) {
    const a = store.agents.get(ua);
    if (a) store.unbind(a, s.skillId);
  }
  return agentOk('success');
};

const queryAgentInfoBySkillId: Handler = (ctx, req) => {
  const { store } = ctx;
  const p = params(ctx, req, 'requestParam');
  const s = store.skillByParam(p.skillId);
  if (!s) return agentFail(`skill ${String(p.skillId)} does not exist`);
  const pg = checkPage(p, ctx.pageCap);
  if (typeof pg === 'string') return agentFail(pg);
  const members = [...s.members];
  const start = pg.pageNum * pg.pageSize;
  const data = members.slice(start, start + pg.serve).map((ua) => {
    const a = store.agents.get(ua)!;
    return { userAccount: a.userAccount, userName: a.userName, workNo: a.workNo, agentType: a.agentType };
  });
  return agentOk('success', { data, total: members.length });
};

// ---------------------------------------------------------------------------------------------
// skill/*
// ---------------------------------------------------------------------------------------------

/** querySkills' field types: limit a string in the table and the sample; offset a string in the table, a number in the sample. */
function checkQuerySkills(p: Record<string, unknown>): string | null {
  if (p.limit !== undefined && typeof p.limit !== 'string') return 'limit must be a string';
  if (p.offset !== undefined && typeof p.offset !== 'string' && typeof p.offset !== 'number') return 'offset must be a string';
  if (p.mediaTypeId !== undefined && typeof p.mediaTypeId !== 'string') return 'mediaTypeId must be a string';
  if (p.name !== undefined) {
    const badName = checkSkillName(p.name);
    if (badName) return badName;
  }
  if (p.skillIds !== undefined && !(Array.isArray(p.skillIds) && p.skillIds.every((x) => typeof x === 'string'))) {
    return 'skillIds must be an array of strings';
  }
  return null;
}

/** The skills querySkills' filters (name, mediaTypeId, skillIds) select. */
function filterSkills(store: HuaweiStore, p: Record<string, unknown>): readonly HSkill[] {
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
  return list;
}

const querySkills: Handler = (ctx, req) => {
  const p = params(ctx, req);
  const bad = checkQuerySkills(p);
  if (bad) return skillFail(bad);
  const limit = p.limit === undefined ? 100 : toInt(p.limit);
  const offset = p.offset === undefined ? 0 : toInt(p.offset);
  if (limit === undefined || limit < 1 || limit > 100) return skillFail('limit must be a positive integer of at most 100');
  if (offset === undefined || offset < 0) return skillFail('offset must be an integer from 0');
  const list = filterSkills(ctx.store, p);
  const data = list.slice(offset, offset + Math.min(limit, ctx.pageCap)).map((s) => ctx.store.skillWire(s));
  return skillOk({ total: list.length, data });
};

const createSkill: Handler = (ctx, req) => {
  const p = params(ctx, req);
  const bad = checkSkillFields(p, true);
  if (bad) return skillFail(bad);
  const s = ctx.store.insertSkill({
    name: p.name as string,
    description: p.description as string,
    mediaTypeId: p.mediaTypeId as number,
    maxWaitTime: p.maxWaitTime as number,
    maxWaitNum: p.maxWaitNum as number,
    maxAgentWrapupTime: p.maxAgentWrapupTime as number,
    skillParam: structuredClone(p.skillParam as Record<string, unknown>),
  });
  return skillOk({ skillId: s.skillId });
};

/** A new mediaTypeId must fit every agent bound to the skill. */
function misfitAgent(store: HuaweiStore, s: HSkill, mediaTypeId: number): string | null {
  for (const ua of s.members) {
    const a = store.agents.get(ua);
    if (a && !huaweiMediaFits(a.agentType, mediaTypeId)) {
      return `mediaTypeId ${mediaTypeId} does not match agentType ${a.agentType} of bound agent ${ua}`;
    }
  }
  return null;
}

const modifySkill: Handler = (ctx, req) => {
  const p = params(ctx, req);
  const s = ctx.store.skillByParam(p.skillId);
  if (!s) return skillFail(`skill ${String(p.skillId)} does not exist`);
  const bad = checkSkillFields(p, false, p.mediaTypeId === undefined ? s.mediaTypeId : (p.mediaTypeId as number));
  if (bad) return skillFail(bad);
  if (p.mediaTypeId !== undefined) {
    const misfit = misfitAgent(ctx.store, s, p.mediaTypeId as number);
    if (misfit) return skillFail(misfit);
    s.mediaTypeId = p.mediaTypeId as number;
  }
  if (p.name !== undefined) s.name = p.name as string;
  if (p.description !== undefined) s.description = p.description as string;
  if (p.maxWaitTime !== undefined) s.maxWaitTime = p.maxWaitTime as number;
  if (p.maxWaitNum !== undefined) s.maxWaitNum = p.maxWaitNum as number;
  if (p.maxAgentWrapupTime !== undefined) s.maxAgentWrapupTime = p.maxAgentWrapupTime as number;
  if (p.skillParam !== undefined) s.skillParam = structuredClone(p.skillParam as Record<string, unknown>);
  return skillOk();
};

const deleteSkill: Handler = (ctx, req) => {
  const p = params(ctx, req);
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
    const s = ctx.store.skillByParam(part);
    if (!s) return skillFail(`skill ${part} does not exist`);
    skills.push(s);
  }
  for (const s of skills) ctx.store.deleteSkill(s);
  return skillOk();
};

// ---------------------------------------------------------------------------------------------
// The table: every business call is a POST under the API prefix (case-insensitive), counted by its path
// ---------------------------------------------------------------------------------------------

const TABLE: ReadonlyArray<[name: string, handler: Handler]> = [
  ['agentAccount/create', createAgent],
  ['agentAccount/update', updateAgent],
  ['agentAccount/delete', deleteAgent],
  ['agentAccount/query', queryAgents],
  ['agentAccount/addSkillsToAgent', addSkillsToAgent],
  ['agentAccount/releaseAgentBySkillId', releaseAgentBySkillId],
  ['agentAccount/queryAgentInfoBySkillId', queryAgentInfoBySkillId],
  ['skill/querySkills', querySkills],
  ['skill/createSkill', createSkill],
  ['skill/modifySkill', modifySkill],
  ['skill/deleteSkill', deleteSkill],
];

export function huaweiRoutes(ctx: HuaweiRouteContext): RouteDef[] {
  return TABLE.map(([name, handler]) => ({
    method: 'POST',
    pattern: new RegExp(`^${HUAWEI_API_PREFIX.toLowerCase()}/${name.toLowerCase()}$`),
    key: `POST ${name}`,
    handler: (req) => handler(ctx, req),
  }));
}
