import { createHash } from 'node:crypto';
import {
  NotFoundError,
  ValidationError,
  generatePassword,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type Group,
  type GroupPatch,
  type Role,
} from '@contactkit/core';
import { ScimError } from './errors';
import { GROUP_SCHEMA, findKey, isObject } from './path';
import type { ScimServerOptions } from './server';
import type { ResourceType, ScimRecord } from './store';
import { agentToScimUser, loginIsEmail, scimUserToFields, type Ref, type UserFields } from './user-mapping';

/** A resource as served: its SCIM JSON (with id, externalId and meta) and its store record. */
export interface Rendered {
  resource: Record<string, unknown>;
  record: ScimRecord;
  vendorId: string;
}

const ROLE_CACHE_MS = 30_000;

/** Users and Groups over the adapter and the store; the server handles HTTP, this the meaning. */
export class ScimResources {
  private roles: { at: number; list: Promise<Role[]> } | undefined;
  private disableSupported: boolean | undefined;

  constructor(private readonly options: ScimServerOptions) {}

  private get client() {
    return this.options.client;
  }
  private get store() {
    return this.options.store;
  }
  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  async get(type: ResourceType, id: string, base: string): Promise<Rendered> {
    const record = await this.store.get(type, id);
    if (!record) throw new ScimError(404, `${type} ${id} not found`);
    try {
      if (type === 'User') return (await this.renderUsers([await this.client.agents.get(record.vendorId)], base))[0]!;
      return (await this.renderGroups([await this.client.groups.get(record.vendorId)], base, true))[0]!;
    } catch (error) {
      if (error instanceof NotFoundError) {
        // gone at the vendor: forget the mapping so the IdP can recreate it
        await this.store.delete(type, id);
        throw new ScimError(404, `${type} ${id} not found`);
      }
      throw error;
    }
  }

  async list(type: ResourceType, base: string, hints: { userName?: string | undefined; withMembers: boolean }): Promise<Rendered[]> {
    if (type === 'Group') return this.renderGroups(await this.client.groups.list().toArray(), base, hints.withMembers);
    const agents = hints.userName !== undefined ? [await this.findByUserName(hints.userName)].filter((a): a is Agent => a !== null) : await this.client.agents.list({ includeDisabled: true }).toArray();
    return this.renderUsers(agents, base);
  }

  /** The agent whose vendor login is `userName`: email on Udesk/KF5, userAccount (the agent id) on Huawei. */
  private async findByUserName(userName: string): Promise<Agent | null> {
    if (loginIsEmail(this.client.vendor)) {
      if (!userName.includes('@')) return null;
      return this.client.agents.findByEmail(userName);
    }
    if (!/^[\w.@-]+$/.test(userName)) return null;
    try {
      return await this.client.agents.get(userName);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ValidationError) return null;
      throw error;
    }
  }

  async create(type: ResourceType, body: Record<string, unknown>, base: string): Promise<Rendered> {
    const externalId = stringOrNull(body[findKey(body, 'externalId') ?? 'externalId']);
    let vendorId: string;
    if (type === 'User') {
      const fields = scimUserToFields(body, this.client.vendor);
      const userName = body[findKey(body, 'userName') ?? 'userName'];
      if (typeof userName !== 'string' || userName.trim() === '') throw new ScimError(400, 'userName is required', 'invalidValue');
      if (await this.findByUserName(userName.trim())) throw new ScimError(409, `userName ${userName} is already taken`, 'uniqueness');
      const input = await this.createInput(fields);
      this.checkStatus(input.status);
      const agent = await this.client.agents.create(input);
      vendorId = agent.id;
    } else {
      const name = body[findKey(body, 'displayName') ?? 'displayName'];
      if (typeof name !== 'string' || name.trim() === '') throw new ScimError(400, 'displayName is required', 'invalidValue');
      const memberIds = await this.memberVendorIds(body);
      vendorId = (await this.client.groups.create({ name, ...(memberIds.length > 0 ? { memberIds } : {}) })).id;
    }
    const now = this.now();
    const record = (await this.store.ensure(type, [vendorId], now)).get(vendorId)!;
    await this.store.put({ ...record, externalId, created: now, lastModified: now });
    return this.get(type, record.id, base);
  }

  /** A full replace (PUT) or a patched copy: only what changed is sent to the vendor. */
  async update(type: ResourceType, current: Rendered, next: Record<string, unknown>, replace: boolean, base: string): Promise<Rendered> {
    const externalKey = findKey(next, 'externalId');
    const externalId = externalKey === undefined ? (replace ? null : current.record.externalId) : stringOrNull(next[externalKey]);
    if (type === 'User') {
      const patch = await this.userPatch(scimUserToFields(current.resource, this.client.vendor), scimUserToFields(next, this.client.vendor));
      this.checkStatus(patch.status);
      if (Object.keys(patch).length > 0) await this.client.agents.update(current.vendorId, patch);
    } else {
      const patch = await this.groupPatch(current.resource, next);
      if (Object.keys(patch).length > 0) await this.client.groups.update(current.vendorId, patch);
    }
    if (externalId !== current.record.externalId) await this.store.put({ ...current.record, externalId, lastModified: this.now(), version: current.record.version + 1 });
    return this.get(type, current.record.id, base);
  }

  async remove(type: ResourceType, current: Rendered): Promise<void> {
    if (type === 'User' && !this.options.allowDelete) {
      this.checkStatus('disabled');
      await this.client.agents.update(current.vendorId, { status: 'disabled' });
      return;
    }
    if (type === 'User') await this.client.agents.delete(current.vendorId, this.options.deleteOptions);
    else await this.client.groups.delete(current.vendorId);
    await this.store.delete(type, current.record.id);
  }

  /**
   * A vendor that cannot disable an agent (Huawei) would keep a leaver active: refuse, naming `active`,
   * rather than answer as if it were done. Asked of the adapter's own mapping through `preview`.
   */
  private checkStatus(status: string | undefined): void {
    if (status !== 'disabled') return;
    if (this.disableSupported === undefined) {
      try {
        const password = generatePassword(this.client.passwordRules);
        const probe = { ...this.options.defaults, email: 'probe@example.com', name: 'probe', password, status: 'disabled' as const };
        this.disableSupported = !this.client.agents.preview(probe).warnings.some((w) => w.field === 'status');
      } catch {
        this.disableSupported = true;
      }
    }
    if (!this.disableSupported) {
      throw new ValidationError([{ path: 'status', message: `${this.client.vendor} cannot disable an agent: deprovision by DELETE on a server started with allowDelete (--allow-delete)` }]);
    }
  }

  private async createInput(fields: UserFields): Promise<AgentInput> {
    const defaults = this.options.defaults ?? {};
    const roleIds = fields.roles && fields.roles.length > 0 ? await this.resolveRoles(fields.roles) : defaults.roleIds;
    if (fields.email === undefined) throw new ValidationError([{ path: 'email', message: 'is required: send emails (or an email as userName)' }]);
    const input: Record<string, unknown> = {
      ...defaults,
      email: fields.email,
      name: fields.name,
      // never stored nor returned: the IdP's password, or a random one the vendor accepts
      password: fields.password ?? generatePassword(this.client.passwordRules),
      loginName: fields.loginName,
      nickname: fields.nickname ?? undefined,
      phone: fields.phone ?? undefined,
      status: fields.status,
      roleIds,
      departmentIds: fields.departmentIds && fields.departmentIds.length > 0 ? fields.departmentIds : defaults.departmentIds,
      employeeNo: fields.employeeNo ?? undefined,
      locale: fields.locale ?? defaults.locale ?? undefined,
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    return input as AgentInput;
  }

  private async userPatch(before: UserFields, after: UserFields): Promise<AgentPatch> {
    const patch: Record<string, unknown> = {};
    const scalar = ['email', 'loginName', 'name', 'nickname', 'phone', 'status', 'employeeNo', 'locale', 'password'] as const;
    for (const key of scalar) if (after[key] !== before[key]) patch[key] = after[key] ?? null;
    if (!sameList(before.departmentIds, after.departmentIds)) patch.departmentIds = after.departmentIds ?? [];
    if (!sameList(before.roles, after.roles)) patch.roleIds = await this.resolveRoles(after.roles ?? []);
    // a model field that cannot be null: the adapter names it in its ValidationError
    for (const key of ['email', 'name', 'loginName', 'status', 'password']) if (patch[key] === null) patch[key] = '';
    return patch as AgentPatch;
  }

  private async groupPatch(before: Record<string, unknown>, after: Record<string, unknown>): Promise<GroupPatch> {
    const patch: GroupPatch = {};
    const name = after[findKey(after, 'displayName') ?? 'displayName'];
    if (name !== before.displayName) patch.name = typeof name === 'string' ? name : '';
    const beforeIds = await this.memberVendorIds(before);
    const afterIds = await this.memberVendorIds(after);
    if (!sameList(beforeIds, afterIds)) patch.memberIds = afterIds;
    return patch;
  }

  /** SCIM user ids in `members` → vendor agent ids; an unknown id is 400 invalidValue. */
  private async memberVendorIds(group: Record<string, unknown>): Promise<string[]> {
    const members = group[findKey(group, 'members') ?? 'members'];
    if (members === undefined || members === null) return [];
    if (!Array.isArray(members)) throw new ScimError(400, 'members must be an array', 'invalidValue');
    const ids: string[] = [];
    for (const m of members) {
      const value = isObject(m) ? m[findKey(m, 'value') ?? 'value'] : undefined;
      const record = typeof value === 'string' ? await this.store.get('User', value) : null;
      if (!record) throw new ScimError(400, `members: ${String(value)} is not a User of this server`, 'invalidValue');
      if (!ids.includes(record.vendorId)) ids.push(record.vendorId);
    }
    return ids;
  }

  /** Role values are vendor role ids or names (case-insensitive); an unknown one is a ValidationError on roleIds. */
  private async resolveRoles(values: string[]): Promise<string[]> {
    const roles = await this.roleList();
    return values.map((v, i) => {
      const role = roles.find((r) => r.id === v) ?? roles.find((r) => r.name.toLowerCase() === v.toLowerCase());
      if (!role) throw new ValidationError([{ path: `roleIds.${i}`, message: `no ${this.client.vendor} role has the id or name ${v}` }]);
      return role.id;
    });
  }

  private roleList(): Promise<Role[]> {
    const now = Date.now();
    if (!this.roles || now - this.roles.at > ROLE_CACHE_MS) {
      const list = this.client.roles.list();
      this.roles = { at: now, list };
      list.catch(() => (this.roles = undefined));
    }
    return this.roles.list;
  }

  private async renderUsers(agents: Agent[], base: string): Promise<Rendered[]> {
    const now = this.now();
    const records = await this.store.ensure('User', agents.map((a) => a.id), now);
    const groupRecords = await this.store.ensure('Group', [...new Set(agents.flatMap((a) => a.groupIds))], now);
    const roleNames = new Map((await this.roleList().catch(() => [] as Role[])).map((r) => [r.id, r.name]));
    const out: Rendered[] = [];
    for (const agent of agents) {
      const groups: Ref[] = agent.groupIds.map((g) => ({ value: groupRecords.get(g)!.id, $ref: `${base}/Groups/${groupRecords.get(g)!.id}` }));
      const roles: Ref[] = agent.roleIds.map((r) => ({ value: r, ...(roleNames.has(r) ? { display: roleNames.get(r) } : {}) }));
      out.push(await this.finish('User', records.get(agent.id)!, agentToScimUser(agent, { groups, roles }), base, now));
    }
    return out;
  }

  private async renderGroups(groups: Group[], base: string, withMembers: boolean): Promise<Rendered[]> {
    const now = this.now();
    const full = withMembers ? await Promise.all(groups.map(async (g) => (g.memberIds === null ? this.client.groups.get(g.id) : g))) : groups;
    const records = await this.store.ensure('Group', full.map((g) => g.id), now);
    const members = await this.store.ensure('User', [...new Set(full.flatMap((g) => g.memberIds ?? []))], now);
    const out: Rendered[] = [];
    for (const group of full) {
      const resource: Record<string, unknown> = { schemas: [GROUP_SCHEMA], displayName: group.name };
      if (withMembers && group.memberIds) {
        resource.members = group.memberIds.map((m) => ({ value: members.get(m)!.id, $ref: `${base}/Users/${members.get(m)!.id}`, type: 'User' }));
      }
      out.push(await this.finish('Group', records.get(group.id)!, resource, base, now, withMembers && group.memberIds !== null));
    }
    return out;
  }

  /** Adds id, externalId and meta; a representation that changed at the vendor bumps version and lastModified. */
  private async finish(type: ResourceType, record: ScimRecord, body: Record<string, unknown>, base: string, now: string, complete = true): Promise<Rendered> {
    let current = record;
    if (complete) {
      const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
      if (fingerprint !== record.fingerprint) {
        current = record.fingerprint === '' ? { ...record, fingerprint } : { ...record, fingerprint, lastModified: now, version: record.version + 1 };
        await this.store.put(current);
      }
    }
    const { schemas, ...rest } = body;
    const resource = {
      schemas,
      id: current.id,
      ...(current.externalId !== null ? { externalId: current.externalId } : {}),
      ...rest,
      meta: { resourceType: type, created: current.created, lastModified: current.lastModified, location: `${base}/${type}s/${current.id}`, version: `W/"${current.version}"` },
    };
    return { resource, record: current, vendorId: current.vendorId };
  }
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

