import type { Agent, AgentInput, AgentPatch, Group, GroupInput, GroupPatch, Role, VendorId } from './model';
import type { PagedIterable } from './paginate';
import type { HttpMethod, QueryValue, TransportOptions, TransportStats } from './transport';

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface CreateOptions extends CallOptions {
  /**
   * false: no read-back after the create. The result is built from what was sent and the id the
   * vendor returned (`agentAsWritten`): one request instead of two where the vendor's create reply
   * carries only an id. For callers that need only the id, such as a migration's journal. Default true.
   */
  readBack?: boolean | undefined;
}

export interface ListOptions extends CallOptions {
  /** items per request; each adapter caps it at the vendor's maximum */
  pageSize?: number | undefined;
  /** include disabled agents (default false) */
  includeDisabled?: boolean | undefined;
}

export interface DeleteOptions extends CallOptions {
  /** vendor-specific delete parameters (an owner to hand the agent's work to, where the vendor asks for one) */
  vendorFields?: Record<string, unknown> | undefined;
}

/** A value the mapping could not carry over to the vendor (or back): reported, never dropped silently. */
export interface MappingWarning {
  field: string;
  message: string;
  /** what was given, when it is not a secret */
  value?: unknown;
  /** what is written instead, when the mapping fits the value rather than dropping it (a shortened name) */
  written?: unknown;
}

/** A mapping's result: the value, and what it could not carry over (reported, never dropped silently). */
export interface Mapped<T> {
  value: T;
  warnings: MappingWarning[];
}

export interface WritePreview {
  /** the vendor body that would be sent, redacted */
  body: unknown;
  warnings: MappingWarning[];
}

export interface AgentsResource {
  list(options?: ListOptions): PagedIterable<Agent>;
  get(id: string, options?: CallOptions): Promise<Agent>;
  /** null when no agent has that email */
  findByEmail(email: string, options?: CallOptions): Promise<Agent | null>;
  create(input: AgentInput, options?: CreateOptions): Promise<Agent>;
  update(id: string, patch: AgentPatch, options?: CallOptions): Promise<Agent>;
  delete(id: string, options?: DeleteOptions): Promise<void>;
  /** validates and maps an input without sending it: what would be sent and what would be lost */
  preview(input: AgentInput): WritePreview;
  /**
   * Model fields a read of this agent could not tell (a list that carries no role ids): a migration
   * neither compares nor trusts them. Absent where every read is whole.
   */
  unknownFields?(agent: Agent): string[];
  /**
   * A sign-in account for a new agent where the vendor needs one besides the email (an
   * account name), unique against `taken`. A migration assigns them at plan time, so no create needs a
   * uniqueness query. Absent where the email is the sign-in.
   */
  loginNameFor?(email: string, taken: (candidate: string) => boolean): string;
}

export interface GroupsResource {
  list(options?: ListOptions): PagedIterable<Group>;
  get(id: string, options?: CallOptions): Promise<Group>;
  create(input: GroupInput, options?: CreateOptions): Promise<Group>;
  update(id: string, patch: GroupPatch, options?: CallOptions): Promise<Group>;
  delete(id: string, options?: DeleteOptions): Promise<void>;
  preview(input: GroupInput): WritePreview;
  /**
   * Whether `member` can belong to `group` on this vendor, without a request: a warning saying why
   * not, or null. Absent where any agent fits any group (a queue may take only agents of its media type). The migration plan uses it to list memberships that cannot be carried over.
   */
  previewMembership?(group: Group | GroupInput, member: Agent | AgentInput): MappingWarning | null;
}

export interface RolesResource {
  list(options?: CallOptions): Promise<Role[]>;
  /** the least-privileged role among `roles` (as `list` returned them): the fallback a migration gives unmapped agents */
  leastPrivileged(roles: Role[]): Role | undefined;
}

export interface Capabilities {
  agents: {
    list: boolean;
    get: boolean;
    findByEmail: boolean;
    create: boolean;
    update: boolean;
    delete: boolean;
    /** a create with `groupIds` sets the memberships in the same request (no follow-up calls) */
    groupsInCreate?: boolean;
    /** false: a create cannot set `status: 'disabled'`, so such a create costs a follow-up update */
    statusInCreate?: boolean;
  };
  groups: { list: boolean; get: boolean; create: boolean; update: boolean; delete: boolean; members: boolean };
  roles: { list: boolean; create: boolean };
}

/** What a vendor demands of a password, so a migration can generate one that passes. */
export interface PasswordRules {
  minLength: number;
  maxLength: number;
  /** character classes that must each appear */
  requiredClasses: Array<'lower' | 'upper' | 'digit' | 'special'>;
  /** the special characters the vendor accepts */
  specials: string;
}

export interface RawRequest extends CallOptions {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: unknown;
  /** retry a POST as if it were idempotent (a read sent as POST) */
  idempotent?: boolean;
}

export interface ContactCenterClient {
  readonly vendor: VendorId;
  readonly capabilities: Capabilities;
  readonly passwordRules: PasswordRules;
  readonly agents: AgentsResource;
  readonly groups: GroupsResource;
  readonly roles: RolesResource;
  /** a raw call with the adapter's auth, retries and errors, for what the model does not cover */
  request<T = unknown>(request: RawRequest): Promise<T>;
  /** counters of this client's transport: requests, retries, waits */
  stats(): TransportStats;
}

/** What every client factory takes besides its credentials: the transport's options (documented there) and the API root. */
export interface CommonClientOptions
  extends Pick<TransportOptions, 'timeoutMs' | 'maxResponseBytes' | 'retry' | 'rateLimit' | 'concurrency' | 'coordinator' | 'hooks' | 'logger' | 'httpClient'> {
  /** the API root; overrides the subdomain. Plain http only for loopback hosts. */
  baseUrl?: string | undefined;
}
