import type { SimulatorHandle } from '../handle';
import type { CommonSimulatorOptions } from '../server';
import type { SeedTenant } from '../tenant';
import type { SeedResult } from '../types';

/** The password length reading: "长度8位 / a string of eight characters" read literally, or as a minimum. */
export type HuaweiPasswordLength = 'exactly-8' | '8-to-32';
/** The body reading: the samples' flat bodies, or the parameter tables' requestParam(s) wrappers. */
export type HuaweiBodyForm = 'flat' | 'wrapped';
/** Where tokenByAkSk lives: the business origin (as the doc URLs show) or its own (the :28070 auth port). */
export type HuaweiTokenOrigin = 'same' | 'separate';

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

export interface HuaweiAiccSimulator extends SimulatorHandle<HuaweiAiccState, HuaweiAiccCredentials> {
  /** The origin, `http://127.0.0.1:PORT` (the API paths carry their own prefix). */
  readonly baseUrl: string;
  /** The origin of tokenByAkSk: baseUrl, or its own with `tokenOrigin: 'separate'`. */
  readonly tokenBaseUrl: string;
  /** Revoke every issued token (the next call gets 401 APIGW.0301). */
  expireTokens(): void;
  /** Tokens currently valid (by the `now` clock). */
  activeTokens(): number;
}
