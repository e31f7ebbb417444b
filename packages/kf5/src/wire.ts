import { inPlace } from '@contactkit/core';
import { z } from 'zod';

/**
 * Zod schemas of KF5 apiv2 JSON (replies and request bodies). Replies are loose objects, so fields we
 * do not model survive into `remoteData`; optional fields may be absent or null.
 */

/** KF5 ids are integers; a digit string is accepted too (parsed defensively). */
export const Kf5IdSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a digit string')]);
export type Kf5Id = z.infer<typeof Kf5IdSchema>;

/** An id as the caller names one (a path segment, a member id): KF5 ids are integers, so a digit string. */
export const Kf5IdTextSchema = z.string().regex(/^\d{1,15}$/, 'must be a KF5 numeric id (a digit string)');

/** A text field some servers send as a number (phones): accepted, read as text. */
const TextSchema = z.union([z.string(), z.number()]).nullish();

export const Kf5UserRoleSchema = z.enum(['end_user', 'agent', 'admin']);
export type Kf5UserRole = z.infer<typeof Kf5UserRoleSchema>;

export const Kf5GroupInfoSchema = z.looseObject({
  id: Kf5IdSchema,
  name: z.string().nullish(),
  display_name: z.string().nullish(),
});

export const Kf5UserSchema = z.looseObject({
  id: Kf5IdSchema,
  url: z.string().nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  agent_display_name: z.string().nullish(),
  remark_name: z.string().nullish(),
  /** `end_user | agent | admin`; any other text is kept and treated as "not an agent" */
  role: z.string(),
  phone: TextSchema,
  language: z.string().nullish(),
  /** `active | suspended | unverified` */
  status: z.string().nullish(),
  groups_info: z.array(Kf5GroupInfoSchema).nullish(),
  custom_role_id: Kf5IdSchema.nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type Kf5User = z.infer<typeof Kf5UserSchema>;

export const Kf5GroupAgentSchema = z.looseObject({
  id: Kf5IdSchema,
  url: z.string().nullish(),
  /** the agent's email */
  username: z.string().nullish(),
  name: z.string().nullish(),
});

export const Kf5GroupSchema = z.looseObject({
  id: Kf5IdSchema,
  url: z.string().nullish(),
  name: z.string(),
  created_at: z.string().nullish(),
  /** absent in some list replies: the model then says `memberIds: null` */
  agents: z.array(Kf5GroupAgentSchema).nullish(),
});
export type Kf5Group = z.infer<typeof Kf5GroupSchema>;

const PagingFields = {
  count: z.number().int().nullish(),
  /** an absolute URL of the next page, or null on the last */
  next_page: z.string().nullish(),
  previous_page: z.string().nullish(),
};

/** checked in place (see core's inPlace): a listed page is not copied user by user, field by field */
export const Kf5UserListReplySchema = inPlace(z.looseObject({ users: z.array(Kf5UserSchema), ...PagingFields }));
export type Kf5UserListReply = z.infer<typeof Kf5UserListReplySchema>;
export const Kf5UserReplySchema = inPlace(z.looseObject({ user: Kf5UserSchema }));
export const Kf5GroupListReplySchema = z.looseObject({ groups: z.array(Kf5GroupSchema), ...PagingFields });
export type Kf5GroupListReply = z.infer<typeof Kf5GroupListReplySchema>;
export const Kf5GroupReplySchema = z.looseObject({ group: Kf5GroupSchema });
/** DELETE answers 200 `{}` or 204 with no body: anything is accepted. */
export const Kf5DeleteReplySchema = z.unknown();

/** The error body we parse (Zendesk-like; KF5 documents none): every field optional. */
export const Kf5ErrorBodySchema = z.looseObject({
  error: z.unknown().optional(),
  message: z.unknown().optional(),
  description: z.unknown().optional(),
  errors: z.unknown().optional(),
  details: z.unknown().optional(),
});

// ---- request bodies ----------------------------------------------------------------------------

/** Writable user fields outside the model, passed through `vendorFields` (allow-list). */
export const Kf5UserVendorFieldsSchema = z
  .object({
    signature: z.string(),
    remark_name: z.string(),
    ticket_restriction: z.enum(['all', 'groups', 'assigned']),
    moderator: z.boolean(),
    public_comments: z.boolean(),
    manage_people: z.boolean(),
    landline: z.string(),
    details: z.string(),
    notes: z.string(),
    organization_id: z.number().int().nullable(),
    mark_star: z.union([z.literal(0), z.literal(1)]),
    tags: z.array(z.string()),
    user_fields: z.array(z.object({ name: z.string(), value: z.unknown() })),
  })
  .partial()
  .strict();
export type Kf5UserVendorFields = z.infer<typeof Kf5UserVendorFieldsSchema>;
export const KF5_USER_VENDOR_FIELDS = Object.keys(Kf5UserVendorFieldsSchema.shape) as Array<keyof Kf5UserVendorFields>;

export const Kf5UserWriteSchema = Kf5UserVendorFieldsSchema.extend({
  email: z.string(),
  name: z.string(),
  role: z.enum(['agent', 'admin']),
  phone: z.string().nullable(),
  agent_display_name: z.string().nullable(),
  language: z.string().nullable(),
  /** write-only */
  password: z.string(),
  custom_role_id: z.number().int().nullable(),
  status: z.enum(['active', 'suspended']),
}).partial();
export type Kf5UserWrite = z.infer<typeof Kf5UserWriteSchema>;
export interface Kf5UserWriteBody {
  user: Kf5UserWrite;
}

export const Kf5GroupWriteSchema = z.object({ name: z.string(), agents: z.array(z.number().int()) }).partial();
export type Kf5GroupWrite = z.infer<typeof Kf5GroupWriteSchema>;
export interface Kf5GroupWriteBody {
  group: Kf5GroupWrite;
}
