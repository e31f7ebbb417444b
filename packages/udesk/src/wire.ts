import { inPlace } from '@contactkit/core';
import { z } from 'zod';

/**
 * zod schemas of the Udesk Open API's own JSON (sign v2, `/open_api_v1`). Replies are loose objects:
 * unknown fields survive into `remoteData`. Request bodies are strict: they are what we send.
 */

/** Udesk ids are integers on the wire. */
export const UdeskIdSchema = z.number().int();

/** `meta` of the paged lists; old replies used `count` instead of `total_count`. */
export const UdeskMetaSchema = z.looseObject({
  current_page: z.number().int().nullish(),
  total_pages: z.number().int().nullish(),
  total_count: z.number().int().nullish(),
  count: z.number().int().nullish(),
});
export type UdeskMeta = z.infer<typeof UdeskMetaSchema>;

export const UdeskProfileSchema = z.enum(['all', 'im', 'call', 'ticket', 'dial']);
export type UdeskProfile = z.infer<typeof UdeskProfileSchema>;

export const UdeskDisableStatusSchema = z.enum(['enable', 'disable']);
export type UdeskDisableStatus = z.infer<typeof UdeskDisableStatusSchema>;

const NamedRefSchema = z.looseObject({ id: UdeskIdSchema, name: z.string().nullish() });

/**
 * An agent as `GET /agents` lists it; `get_agent` and `PUT /agents/:id` add `user_groups` and
 * `agent_roles` (and the PUT reply may omit `user_group_ids`). `number`/`password` are the SIP
 * credentials: secret.
 */
export const UdeskAgentSchema = z.looseObject({
  id: UdeskIdSchema,
  email: z.string(),
  nick_name: z.string().nullish(),
  profile: z.string().nullish(),
  aliase: z.string().nullish(),
  cellphone: z.string().nullish(),
  role_name: z.string().nullish(),
  duty: z.string().nullish(),
  im_ability_value: z.number().nullish(),
  user_group_ids: z.array(UdeskIdSchema).nullish(),
  number: z.string().nullish(),
  password: z.string().nullish(),
  ucpapp_subaccount: z.unknown().optional(),
  avatar: z.string().nullish(),
  work_id: z.string().nullish(),
  /** documented as an object (table) and printed as an array (example): both are read */
  departments: z.union([z.array(NamedRefSchema), NamedRefSchema]).nullish(),
  agent_callout_display_number: z.string().nullish(),
  disable_status: z.string().nullish(),
  availability: z.union([z.boolean(), z.string()]).nullish(),
  im_welcomes: z.string().nullish(),
  lang: z.string().nullish(),
  user_groups: z.array(NamedRefSchema).nullish(),
  agent_roles: z.array(NamedRefSchema).nullish(),
});
export type UdeskAgent = z.infer<typeof UdeskAgentSchema>;

/** Every reply carries an integer `code` (1000 = success); the classifier has already checked it. */
const envelope = <S extends z.ZodRawShape>(shape: S) => z.looseObject({ code: z.literal(1000), ...shape });

/** checked in place (see core's inPlace): a listed page is not copied agent by agent, field by field */
export const UdeskAgentListReplySchema = inPlace(
  envelope({
    meta: UdeskMetaSchema.nullish(),
    agents: z.array(UdeskAgentSchema),
  }),
);
export const UdeskAgentReplySchema = inPlace(envelope({ agent: UdeskAgentSchema }));
export const UdeskAgentCreateReplySchema = envelope({ agent_id: UdeskIdSchema });
export const UdeskMessageReplySchema = envelope({ message: z.string().nullish() });

export const UdeskGroupMemberSchema = z.looseObject({
  id: UdeskIdSchema,
  nick_name: z.string().nullish(),
  email: z.string().nullish(),
  cellphone: z.string().nullish(),
});
export const UdeskUserGroupSchema = z.looseObject({
  id: UdeskIdSchema,
  name: z.string(),
  agents: z.array(UdeskGroupMemberSchema).nullish(),
});
export type UdeskUserGroup = z.infer<typeof UdeskUserGroupSchema>;

export const UdeskUserGroupListReplySchema = envelope({
  meta: UdeskMetaSchema.nullish(),
  user_groups: z.array(UdeskUserGroupSchema),
});
export const UdeskUserGroupReplySchema = envelope({ user_group: UdeskUserGroupSchema });
export const UdeskUserGroupAgentsReplySchema = envelope({
  meta: UdeskMetaSchema.nullish(),
  user_group: UdeskUserGroupSchema,
});

export const UdeskRoleSchema = z.looseObject({
  id: UdeskIdSchema,
  name: z.string(),
  description: z.string().nullish(),
});
export type UdeskRole = z.infer<typeof UdeskRoleSchema>;
export const UdeskRoleListReplySchema = envelope({ agent_roles: z.array(UdeskRoleSchema) });

export interface UdeskDepartment {
  id: number;
  name: string;
  sub_department?: UdeskDepartment[] | null | undefined;
  [key: string]: unknown;
}
export const UdeskDepartmentSchema: z.ZodType<UdeskDepartment> = z.lazy(() =>
  z.looseObject({
    id: UdeskIdSchema,
    name: z.string(),
    sub_department: z.array(UdeskDepartmentSchema).nullish(),
  }),
);
export const UdeskDepartmentListReplySchema = envelope({ departments: z.array(UdeskDepartmentSchema) });

/** `POST /log_in` (unsigned): the field is `open_api_auth_token`; old docs show `open_api_token`. */
export const UdeskLogInReplySchema = z
  .looseObject({
    code: z.literal(1000),
    open_api_auth_token: z.string().min(1).optional(),
    open_api_token: z.string().min(1).optional(),
  })
  .refine((r) => Boolean(r.open_api_auth_token ?? r.open_api_token), {
    message: 'has neither open_api_auth_token nor open_api_token',
  });

/** The error envelope: `{code, message}`; some replies use `code_message` or `exception.message`. */
export const UdeskErrorBodySchema = z.looseObject({
  code: z.number(),
  message: z.string().nullish(),
  code_message: z.string().nullish(),
  exception: z.looseObject({ message: z.string().nullish() }).nullish(),
});
export type UdeskErrorBody = z.infer<typeof UdeskErrorBodySchema>;

// ---------------------------------------------------------------------------------------------
// Request bodies (what we send)
// ---------------------------------------------------------------------------------------------

/** Udesk's limit on its strings (email, password, nick_name, aliase, cellphone, duty, …). */
export const UDESK_MAX_STRING = 255;
/** Udesk's limit on agent_role_ids / user_group_ids / department_ids. */
export const UDESK_MAX_IDS = 10;

/** An id as a caller names it (a path segment, a model id): digits, at most 15 (a safe integer). */
export const UdeskIdTextSchema = z.string().regex(/^\d{1,15}$/, 'must be a numeric Udesk id');

/** An id we send (the mapping turns a model id that is not a Udesk id into NaN, refused here). */
const WriteIdSchema = z.number({ error: 'must be a numeric Udesk id' }).int('must be a numeric Udesk id').nonnegative('must be a numeric Udesk id');
const WriteTextSchema = z.string().max(UDESK_MAX_STRING, `must be at most ${UDESK_MAX_STRING} characters`);
const WriteIdsSchema = z.array(WriteIdSchema).max(UDESK_MAX_IDS, `must hold at most ${UDESK_MAX_IDS} ids`);

/** The fields of `{agent:{…}}` on `PUT /agents/:id` (and, required ones aside, `POST /agents`). */
export const UdeskAgentWriteSchema = z.strictObject({
  email: WriteTextSchema.optional(),
  password: WriteTextSchema.optional(),
  nick_name: WriteTextSchema.nullable().optional(),
  aliase: WriteTextSchema.nullable().optional(),
  cellphone: WriteTextSchema.nullable().optional(),
  profile: UdeskProfileSchema.optional(),
  agent_role_ids: WriteIdsSchema.optional(),
  user_group_ids: WriteIdsSchema.optional(),
  department_ids: WriteIdsSchema.optional(),
  im_ability_value: z.number().int().optional(),
  duty: WriteTextSchema.nullable().optional(),
  im_welcomes: WriteTextSchema.nullable().optional(),
  availability: z.boolean().optional(),
  avatar: WriteTextSchema.nullable().optional(),
  work_id: WriteTextSchema.nullable().optional(),
  callout_number_id: WriteIdSchema.nullable().optional(),
  lang: z.enum(['zh-cn', 'en-us']).nullable().optional(),
  disable_status: UdeskDisableStatusSchema.optional(),
  /** passed through from vendorFields.custom_fields (tenant-defined keys) */
  custom_fields: z.record(z.string(), z.unknown(), { error: 'must be an object of custom field keys to values' }).optional(),
});
export type UdeskAgentWrite = z.infer<typeof UdeskAgentWriteSchema>;

const REQUIRED_TO_CREATE = 'is required by Udesk to create an agent';
const RequiredIdsSchema = z
  .array(WriteIdSchema, { error: `${REQUIRED_TO_CREATE}: give at least one id, or configure the client's create defaults` })
  .min(1, `${REQUIRED_TO_CREATE}: give at least one id, or configure the client's create defaults`)
  .max(UDESK_MAX_IDS, `must hold at most ${UDESK_MAX_IDS} ids`);

/** `POST /agents`: email, password and the three id arrays (non-empty) are required (the docs' form). */
export const UdeskAgentCreateSchema = UdeskAgentWriteSchema.extend({
  email: z.string({ error: REQUIRED_TO_CREATE }).max(UDESK_MAX_STRING, `must be at most ${UDESK_MAX_STRING} characters`),
  password: z.string({ error: REQUIRED_TO_CREATE }).max(UDESK_MAX_STRING, `must be at most ${UDESK_MAX_STRING} characters`),
  agent_role_ids: RequiredIdsSchema,
  user_group_ids: RequiredIdsSchema,
  department_ids: RequiredIdsSchema,
});

/** `POST /user_groups` / `PUT /user_groups/:id` (our choice: flat body, members as `agent_ids`). */
export const UdeskUserGroupWriteSchema = z.strictObject({
  name: WriteTextSchema.optional(),
  agent_ids: z.array(WriteIdSchema).optional(),
});
export type UdeskUserGroupWrite = z.infer<typeof UdeskUserGroupWriteSchema>;

/** `DELETE /agents/:id` body: the group (and optionally the agent in it) that takes over the agent's customers. */
export interface UdeskAgentDeleteBody {
  owner_group_id: number;
  owner_id?: number;
}
