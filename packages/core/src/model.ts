import { z } from 'zod';

/**
 * A vendor's id, as its adapter's definition declares it (lower case, digits, hyphens). Open: a
 * fourth adapter brings its own id without a change to core.
 */
export const VendorIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a vendor id: lower-case letters, digits and hyphens');
export type VendorId = z.infer<typeof VendorIdSchema>;

/** The media an agent serves; each adapter documents its table to and from the vendor's values. */
export const ChannelSchema = z.enum(['chat', 'voice', 'video', 'ticket', 'outbound']);
export type Channel = z.infer<typeof ChannelSchema>;

export const AgentStatusSchema = z.enum(['active', 'disabled']);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

/** Ids are strings in the model, whatever the vendor sends. */
export const IdSchema = z.string().min(1, 'must not be empty');

/** BCP 47 tag such as 'zh-CN' or 'en-US'. */
export const LocaleSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as zh-CN');

export const EmailSchema = z.string().max(254, 'must be at most 254 characters').email('must be a valid email address');

export const AgentSchema = z.object({
  id: IdSchema,
  vendor: VendorIdSchema,
  email: z.string(),
  loginName: z.string().nullable(),
  name: z.string(),
  nickname: z.string().nullable(),
  phone: z.string().nullable(),
  status: AgentStatusSchema,
  channels: z.array(ChannelSchema),
  roleIds: z.array(IdSchema),
  groupIds: z.array(IdSchema),
  departmentIds: z.array(IdSchema),
  employeeNo: z.string().nullable(),
  locale: z.string().nullable(),
  remoteData: z.unknown().optional(),
});
export type Agent = z.infer<typeof AgentSchema>;

export const AgentInputSchema = z.object({
  email: EmailSchema,
  name: z.string().trim().min(1, 'must not be empty'),
  password: z.string().min(1, 'must not be empty').optional(),
  loginName: z.string().min(1).nullable().optional(),
  nickname: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  status: AgentStatusSchema.optional(),
  channels: z.array(ChannelSchema).optional(),
  roleIds: z.array(IdSchema).optional(),
  groupIds: z.array(IdSchema).optional(),
  departmentIds: z.array(IdSchema).optional(),
  employeeNo: z.string().nullable().optional(),
  locale: LocaleSchema.nullable().optional(),
  vendorFields: z.record(z.string(), z.unknown()).optional(),
});
export type AgentInput = z.infer<typeof AgentInputSchema>;

/**
 * The agent as written, for a create without read-back (`readBack: false`): the vendor's id and what
 * was sent, never the password; `remoteData` is absent because nothing was read.
 */
export function agentAsWritten(vendor: VendorId, id: string, input: AgentInput): Agent {
  return {
    id,
    vendor,
    email: input.email,
    loginName: input.loginName ?? null,
    name: input.name,
    nickname: input.nickname ?? null,
    phone: input.phone ?? null,
    status: input.status ?? 'active',
    channels: input.channels ?? [],
    roleIds: input.roleIds ?? [],
    groupIds: input.groupIds ?? [],
    departmentIds: input.departmentIds ?? [],
    employeeNo: input.employeeNo ?? null,
    locale: input.locale ?? null,
  };
}

/** A partial update: only the fields given are changed. */
export const AgentPatchSchema = AgentInputSchema.partial();
export type AgentPatch = z.infer<typeof AgentPatchSchema>;

export const GroupSchema = z.object({
  id: IdSchema,
  vendor: VendorIdSchema,
  name: z.string(),
  /** null where the vendor's list does not carry members (ask `groups.get`). */
  memberIds: z.array(IdSchema).nullable(),
  remoteData: z.unknown().optional(),
});
export type Group = z.infer<typeof GroupSchema>;

export const GroupInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  memberIds: z.array(IdSchema).optional(),
  vendorFields: z.record(z.string(), z.unknown()).optional(),
});
export type GroupInput = z.infer<typeof GroupInputSchema>;
export const GroupPatchSchema = GroupInputSchema.partial();
export type GroupPatch = z.infer<typeof GroupPatchSchema>;

export const RoleSchema = z.object({
  id: IdSchema,
  vendor: VendorIdSchema,
  name: z.string(),
  description: z.string().nullable(),
  remoteData: z.unknown().optional(),
});
export type Role = z.infer<typeof RoleSchema>;

/** The group as written, for a create without read-back (`readBack: false`). */
export function groupAsWritten(vendor: VendorId, id: string, input: GroupInput): Group {
  return { id, vendor, name: input.name, memberIds: input.memberIds ?? [] };
}
