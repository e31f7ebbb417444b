import type { Role, VendorId } from '@contactkit/core';

export interface RoleMapConflict {
  /** the roleMap key: a source role id or name */
  source: string;
  /** what the roleMap names, which is no target role */
  target: string;
}

/** roleMap targets that name no target role: people would silently get the fallback role instead. */
export class RoleMapConflictError extends Error {
  constructor(
    readonly conflicts: RoleMapConflict[],
    readonly targetRoles: Array<{ id: string; name: string }>,
  ) {
    super(`roleMap names ${conflicts.length} target role(s) the target does not have: ${conflicts.map((c) => `"${c.source}" → "${c.target}"`).join(', ')}`);
    this.name = 'RoleMapConflictError';
  }

  details(): string {
    return ['Valid target roles (use the id or the name):', ...this.targetRoles.map((r) => `  ${r.id.padEnd(12)} ${r.name}`)].join('\n');
  }
}

/** Throws RoleMapConflictError unless every roleMap value is a target role's id or (case-insensitive) name. */
export function checkRoleMap(roleMap: Record<string, string>, targetRoles: Role[]): void {
  const known = (ref: string) => targetRoles.some((r) => r.id === ref || r.name.toLowerCase() === ref.toLowerCase());
  const conflicts = Object.entries(roleMap)
    .filter(([, target]) => !known(target))
    .map(([source, target]) => ({ source, target }));
  if (conflicts.length) throw new RoleMapConflictError(conflicts, targetRoles.map((r) => ({ id: r.id, name: r.name })));
}

export function formatRoles(vendor: VendorId, roles: Role[]): string {
  if (!roles.length) return `${vendor}: no roles`;
  const width = Math.max(2, ...roles.map((r) => r.id.length));
  return [`${vendor} roles (a roleMap may name a target role by id or by name):`, `  ${'id'.padEnd(width)}  name`, ...roles.map((r) => `  ${r.id.padEnd(width)}  ${r.name}`)].join('\n');
}
