import { readFileSync } from 'node:fs';
import { ValidationError, type Agent, type ContactCenterClient, type Group, type PagedIterable } from '@contactkit/core';

/** What to migrate, narrowed: only some groups (and their members), only some emails. */
export interface SourceFilters {
  /** group names or ids: these groups and the agents that belong to one of them */
  onlyGroups?: string[] | undefined;
  /** the file the emails came from (recorded in the plan) and the addresses, lower-cased */
  emails?: { file: string; addresses: Set<string> } | undefined;
}

/** Reads an emails file: one address per line (or separated by commas); blank lines and `#` comments ignored. */
export function readEmailsFile(path: string, flag = '--emails-file'): { file: string; addresses: Set<string> } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError([{ path: flag, message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  const addresses = text
    .split('\n')
    .map((l) => l.replace(/#.*/, ''))
    .flatMap((l) => l.split(','))
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const bad = addresses.filter((e) => !/^[^\s@]+@[^\s@]+$/.test(e));
  if (bad.length) throw new ValidationError([{ path: flag, message: `not email addresses: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}` }]);
  if (!addresses.length) throw new ValidationError([{ path: flag, message: `${path} holds no email address` }]);
  return { file: path, addresses: new Set(addresses) };
}

/** One line for the plan's warnings, so the plan says what it was narrowed to. */
export function describeFilters(filters: SourceFilters, includeDisabled: boolean): string | undefined {
  const parts: string[] = [];
  if (filters.onlyGroups?.length) parts.push(`only groups ${filters.onlyGroups.map((g) => JSON.stringify(g)).join(', ')} and their members`);
  if (filters.emails) parts.push(`only the ${filters.emails.addresses.size} emails listed in ${filters.emails.file}`);
  if (!parts.length) return undefined;
  return `filters: ${parts.join('; ')}; ${includeDisabled ? 'disabled agents included' : 'disabled agents left out'}`;
}

/**
 * The source client with its group and agent lists narrowed by the filters: plan() then plans only
 * what they let through. Groups named in --only-groups that the source lacks are a ValidationError.
 */
export function filterSource(client: ContactCenterClient, filters: SourceFilters): ContactCenterClient {
  if (!filters.onlyGroups?.length && !filters.emails) return client;
  let selected: Promise<Group[]> | undefined;
  const selectedGroups = (signal?: AbortSignal) => (selected ??= pickGroups(client, filters.onlyGroups!, signal));
  const groupsList = (options?: Parameters<ContactCenterClient['groups']['list']>[0]): PagedIterable<Group> =>
    filters.onlyGroups?.length ? iterable(async () => selectedGroups(options?.signal)) : client.groups.list(options);
  const agentsList = (options?: Parameters<ContactCenterClient['agents']['list']>[0]): PagedIterable<Agent> => {
    const inner = client.agents.list(options);
    return iterable(async () => {
      const groups = filters.onlyGroups?.length ? await selectedGroups(options?.signal) : undefined;
      const groupIds = new Set(groups?.map((g) => g.id));
      const memberIds = new Set(groups?.flatMap((g) => g.memberIds ?? []));
      const keep = (a: Agent) =>
        (!groups || memberIds.has(a.id) || a.groupIds.some((id) => groupIds.has(id))) && (!filters.emails || filters.emails.addresses.has(a.email.toLowerCase()));
      const out: Agent[] = [];
      for await (const a of inner) if (keep(a)) out.push(a);
      return out;
    });
  };
  return Object.assign(Object.create(client) as ContactCenterClient, {
    groups: Object.assign(Object.create(client.groups) as ContactCenterClient['groups'], { list: groupsList }),
    agents: Object.assign(Object.create(client.agents) as ContactCenterClient['agents'], { list: agentsList }),
  });
}

async function pickGroups(client: ContactCenterClient, wanted: string[], signal?: AbortSignal): Promise<Group[]> {
  const all: Group[] = [];
  for await (const g of client.groups.list({ signal })) all.push(g);
  const found = wanted.map((w) => all.find((g) => g.id === w) ?? all.find((g) => g.name.toLowerCase() === w.toLowerCase()));
  const missing = wanted.filter((_, i) => !found[i]);
  if (missing.length) {
    throw new ValidationError([{ path: '--only-groups', message: `no ${client.vendor} group has the name or id ${missing.map((m) => JSON.stringify(m)).join(', ')}` }]);
  }
  const unique = [...new Map(found.map((g) => [g!.id, g!])).values()];
  // members where the list leaves them out: the agent filter needs them
  return Promise.all(unique.map(async (g) => (g.memberIds === null ? client.groups.get(g.id, { signal }) : g)));
}

function iterable<T>(load: () => Promise<T[]>): PagedIterable<T> {
  let items: Promise<T[]> | undefined;
  const get = () => (items ??= load());
  return {
    async *[Symbol.asyncIterator]() {
      yield* await get();
    },
    async *pages() {
      yield await get();
    },
    toArray: async (o) => (await get()).slice(0, o?.limit),
  };
}
