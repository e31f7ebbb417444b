import { AgentInputSchema, GroupInputSchema, IdSchema } from '@contactkit/core';
import { VendorSchema } from './vendors';
import { z } from 'zod';

/**
 * The plan file format, version 1. These schemas are the single source of the plan types: a plan
 * read from disk is parsed with them (a damaged plan is refused with the path of the bad field
 * before anything is sent), and the types below are inferred from them.
 */
export const EntityKindSchema = z.enum(['role', 'group', 'agent']);
export type EntityKind = z.infer<typeof EntityKindSchema>;
export const PlanActionSchema = z.enum(['create', 'update', 'skip', 'conflict']);
export type PlanAction = z.infer<typeof PlanActionSchema>;

const MappingWarningSchema = z.object({ field: z.string(), message: z.string(), value: z.unknown().optional(), written: z.unknown().optional() }).strict();

const entryBase = {
  sourceId: IdSchema,
  /** a human label: email for agents, name for groups and roles */
  label: z.string(),
  action: PlanActionSchema,
  reason: z.string(),
  /** the matched target (for roles: the target role this source role maps to) */
  targetId: IdSchema.nullable(),
  warnings: z.array(MappingWarningSchema),
};
/** an update or skip needs the target it applies to */
const needsTarget = (e: { action: PlanAction; targetId: string | null }) => e.action === 'create' || e.action === 'conflict' || e.targetId !== null;
const targetIssue = { message: 'an update or skip needs a targetId', path: ['targetId'] };

export const RolePlanEntrySchema = z.object({ kind: z.literal('role'), ...entryBase }).strict();
export type RolePlanEntry = z.infer<typeof RolePlanEntrySchema>;

export const GroupPlanEntrySchema = z
  .object({ kind: z.literal('group'), ...entryBase, input: GroupInputSchema.strict() })
  .strict()
  .refine(needsTarget, targetIssue);
export type GroupPlanEntry = z.infer<typeof GroupPlanEntrySchema>;

export const AgentPlanEntrySchema = z
  .object({
    kind: z.literal('agent'),
    ...entryBase,
    /** what will be written to the target (never a password: passwords are set by policy at apply time) */
    input: AgentInputSchema.omit({ password: true }).strict(),
    /** the fields an update changes */
    changes: z.array(z.string()).optional(),
  })
  .strict()
  .refine(needsTarget, targetIssue);
export type AgentPlanEntry = z.infer<typeof AgentPlanEntrySchema>;

export const MembershipPlanEntrySchema = z
  .object({
    sourceGroupId: IdSchema,
    groupLabel: z.string(),
    /** source agent ids that should be members of the target group */
    sourceMemberIds: z.array(IdSchema),
    /** source members the target cannot put in this group (e.g. a Huawei media-type mismatch) */
    excluded: z.array(z.object({ sourceId: IdSchema, label: z.string(), reason: z.string() }).strict()),
  })
  .strict();
export type MembershipPlanEntry = z.infer<typeof MembershipPlanEntrySchema>;

export const PlanOptionsSchema = z
  .object({
    /** source role id or name → target role id or name */
    roleMap: z.record(z.string(), z.string()).optional(),
    /** target role (id or name) used for unmapped roles; default: the least-privileged looking target role */
    defaultTargetRole: z.string().optional(),
    /** migrate disabled agents too (default true) */
    includeDisabled: z.boolean().optional(),
    /** what the source was narrowed to (`--only-groups`, `--emails-file`): recorded, applied by the caller's source */
    filters: z
      .object({
        onlyGroups: z.array(z.string()).optional(),
        emailsFile: z.object({ path: z.string(), count: z.number().int().min(0) }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PlanOptions = z.infer<typeof PlanOptionsSchema>;

const Side = z.object({ vendor: VendorSchema, tenant: z.string().optional() }).strict();
const ActionCounts = z.record(PlanActionSchema, z.number().int().min(0));

export const MigrationPlanSchema = z
  .object({
    format: z.literal('contactkit-migration-plan'),
    version: z.literal(1),
    id: z.string().min(1),
    createdAt: z.string(),
    /** vendor, and the tenant (base URL + account, never a secret) the plan was read from */
    source: Side,
    target: Side,
    options: PlanOptionsSchema.extend({ includeDisabled: z.boolean() }),
    /** the target role given to agents whose roles are unmapped or empty */
    defaultTargetRoleId: IdSchema.nullable(),
    roles: z.array(RolePlanEntrySchema),
    groups: z.array(GroupPlanEntrySchema),
    agents: z.array(AgentPlanEntrySchema),
    memberships: z.array(MembershipPlanEntrySchema),
    /** plan-wide notes: unmapped roles, lossy fields summarised */
    warnings: z.array(z.string()),
    /** what apply will cost on the target, before anything is written (absent in plans made before it existed) */
    estimate: z
      .object({
        requests: z.number().int().min(0),
        byPhase: z.object({ groups: z.number().int().min(0), agents: z.number().int().min(0), memberships: z.number().int().min(0) }).strict(),
      })
      .strict()
      .optional(),
    summary: z.record(EntityKindSchema, ActionCounts),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const groups = new Set(plan.groups.map((g) => g.sourceId));
    const agents = new Set(plan.agents.map((a) => a.sourceId));
    plan.memberships.forEach((m, i) => {
      if (!groups.has(m.sourceGroupId)) ctx.addIssue({ code: 'custom', path: ['memberships', i, 'sourceGroupId'], message: 'names no group of the plan' });
      m.sourceMemberIds.forEach((id, j) => {
        if (!agents.has(id)) ctx.addIssue({ code: 'custom', path: ['memberships', i, 'sourceMemberIds', j], message: 'names no agent of the plan' });
      });
    });
  });
export type MigrationPlan = z.infer<typeof MigrationPlanSchema>;
