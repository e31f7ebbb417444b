import type { AgentInput, GroupInput, MappingWarning, VendorId } from '@contactkit/core';

export type EntityKind = 'role' | 'group' | 'agent';
export type PlanAction = 'create' | 'update' | 'skip' | 'conflict';

export interface PlanEntryBase {
  kind: EntityKind;
  sourceId: string;
  /** a human label: email for agents, name for groups and roles */
  label: string;
  action: PlanAction;
  reason: string;
  /** the matched target, when one exists */
  targetId: string | null;
  warnings: MappingWarning[];
}

export interface RolePlanEntry extends PlanEntryBase {
  kind: 'role';
  /** the target role this source role maps to */
  targetId: string | null;
}

export interface GroupPlanEntry extends PlanEntryBase {
  kind: 'group';
  input: GroupInput;
}

export interface AgentPlanEntry extends PlanEntryBase {
  kind: 'agent';
  /** what will be written to the target (no password: passwords are set by policy at apply time) */
  input: AgentInput;
  /** the fields an update changes */
  changes?: string[];
}

export interface MembershipPlanEntry {
  sourceGroupId: string;
  groupLabel: string;
  /** source agent ids that should be members of the target group */
  sourceMemberIds: string[];
  /** source members the target cannot put in this group (e.g. a Huawei media-type mismatch) */
  excluded: Array<{ sourceId: string; label: string; reason: string }>;
}

export interface PlanOptions {
  /** source role id or name → target role id or name */
  roleMap?: Record<string, string>;
  /** target role (id or name) used for unmapped roles; default: the least-privileged looking target role */
  defaultTargetRole?: string;
  /** migrate disabled agents too (default true) */
  includeDisabled?: boolean;
}

export interface MigrationPlan {
  format: 'contactkit-migration-plan';
  version: 1;
  id: string;
  createdAt: string;
  source: { vendor: VendorId };
  target: { vendor: VendorId };
  options: Required<Pick<PlanOptions, 'includeDisabled'>> & PlanOptions;
  /** the target role given to agents whose roles are unmapped or empty */
  defaultTargetRoleId: string | null;
  roles: RolePlanEntry[];
  groups: GroupPlanEntry[];
  agents: AgentPlanEntry[];
  memberships: MembershipPlanEntry[];
  /** plan-wide notes: unmapped roles, lossy fields summarised */
  warnings: string[];
  summary: Record<EntityKind, Record<PlanAction, number>>;
}
