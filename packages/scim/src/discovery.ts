import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './path';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function listResponse(resources: unknown[], totalResults: number, startIndex: number): Record<string, unknown> {
  return { schemas: [LIST], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

export function serviceProviderConfig(base: string, maxResults: number): Record<string, unknown> {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://github.com/contactkit/contactkit/tree/main/packages/scim#readme',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'Authorization: Bearer <CONTACTKIT_SCIM_TOKEN>', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string): Array<Record<string, unknown>> {
  return [
    {
      schemas: [RT_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A contact-center agent',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RT_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A vendor agent group (Udesk user group, KF5 group, Huawei skill queue)',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

type Attr = Record<string, unknown>;
function attr(name: string, type: string, more: Partial<Attr> = {}): Attr {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...more,
  };
}
const multi = (name: string, subs: Attr[], more: Partial<Attr> = {}) => attr(name, 'complex', { multiValued: true, subAttributes: subs, ...more });
const sub = (name: string, type = 'string', more: Partial<Attr> = {}) => attr(name, type, more);

export function schemas(base: string): Array<Record<string, unknown>> {
  const meta = (id: string) => ({ resourceType: 'Schema', location: `${base}/Schemas/${id}` });
  return [
    {
      schemas: [SCHEMA_SCHEMA],
      id: USER_SCHEMA,
      name: 'User',
      description: 'User Account (a contact-center agent)',
      attributes: [
        attr('userName', 'string', { required: true, uniqueness: 'server' }),
        attr('name', 'complex', { subAttributes: [sub('formatted'), sub('givenName'), sub('familyName')] }),
        attr('displayName', 'string'),
        attr('nickName', 'string'),
        attr('preferredLanguage', 'string'),
        attr('locale', 'string'),
        attr('active', 'boolean'),
        attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
        multi('emails', [sub('value'), sub('type'), sub('primary', 'boolean')]),
        multi('phoneNumbers', [sub('value'), sub('type'), sub('primary', 'boolean')]),
        multi('roles', [sub('value'), sub('display'), sub('primary', 'boolean')]),
        multi('groups', [sub('value', 'string', { mutability: 'readOnly' }), sub('$ref', 'reference', { mutability: 'readOnly' }), sub('display', 'string', { mutability: 'readOnly' })], { mutability: 'readOnly' }),
      ],
      meta: meta(USER_SCHEMA),
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: ENTERPRISE_SCHEMA,
      name: 'EnterpriseUser',
      description: 'Enterprise User',
      attributes: [attr('employeeNumber', 'string'), attr('department', 'string')],
      meta: meta(ENTERPRISE_SCHEMA),
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: GROUP_SCHEMA,
      name: 'Group',
      description: 'Group',
      attributes: [
        attr('displayName', 'string', { required: true }),
        multi('members', [sub('value', 'string', { mutability: 'immutable' }), sub('$ref', 'reference', { mutability: 'immutable' }), sub('display'), sub('type')]),
      ],
      meta: meta(GROUP_SCHEMA),
    },
  ];
}
