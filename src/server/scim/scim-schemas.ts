/**
 * SCIM 2.0 schemas (RFC 7643): the URNs, the attribute definitions of the core User, the enterprise
 * User extension and Group, and the three discovery documents a client reads
 * (`/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`, RFC 7644 §4).
 *
 * The attribute definitions are the one description of what this server stores: input parsing
 * (scim-resources.ts), filters (scim-filter.ts) and PATCH (scim-patch.ts) all read them, so what
 * `/Schemas` says is what the engine does.
 */

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SERVICE_PROVIDER_CONFIG_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export type ResourceKind = 'User' | 'Group';

/** Most resources a list (or filter) returns in one page: `filter.maxResults` of the config. */
export const MAX_RESULTS = 200;

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

/** One attribute as RFC 7643 §7 describes it (the fields `/Schemas` returns). */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: readonly string[];
  referenceTypes?: readonly string[];
  subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

function attr(name: string, type: AttributeType, description: string, options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const str = (name: string, description: string, options: Options = {}) => attr(name, 'string', description, options);
const complex = (name: string, description: string, subAttributes: readonly AttributeDefinition[], options: Options = {}) =>
  attr(name, 'complex', description, { ...options, subAttributes });

/** The sub-attributes of a multi-valued attribute like `emails` (RFC 7643 §2.4). */
function multiValued(name: string, description: string, types: readonly string[], valueType: AttributeType = 'string', options: Options = {}) {
  return complex(
    name,
    description,
    [
      attr('value', valueType, `The value of the ${name} entry.`),
      str('display', 'A human-readable name, primarily used for display purposes.'),
      str('type', `A label indicating the kind of ${name} entry.`, types.length > 0 ? { canonicalValues: types } : {}),
      attr('primary', 'boolean', 'Whether this is the primary entry (at most one entry is primary).'),
    ],
    { multiValued: true, ...options },
  );
}

const NAME = complex('name', "The components of the user's real name.", [
  str('formatted', 'The full name, formatted for display.'),
  str('familyName', 'The family name (last name).'),
  str('givenName', 'The given name (first name).'),
  str('middleName', 'The middle name(s).'),
  str('honorificPrefix', 'The honorific prefix(es), e.g. "Ms.".'),
  str('honorificSuffix', 'The honorific suffix(es), e.g. "III".'),
]);

const ADDRESSES = complex(
  'addresses',
  'Physical mailing addresses.',
  [
    str('formatted', 'The full mailing address, formatted for display.'),
    str('streetAddress', 'The street address.'),
    str('locality', 'The city or locality.'),
    str('region', 'The state or region.'),
    str('postalCode', 'The zip code or postal code.'),
    str('country', 'The country (ISO 3166-1 alpha-2 code).'),
    str('type', 'A label indicating the kind of address.', { canonicalValues: ['work', 'home', 'other'] }),
    attr('primary', 'boolean', 'Whether this is the primary address.'),
  ],
  { multiValued: true },
);

const GROUPS_OF_USER = complex(
  'groups',
  'The groups the user belongs to, maintained by the server from the groups\' members (read-only).',
  [
    str('value', 'The id of the group.', { mutability: 'readOnly' }),
    attr('$ref', 'reference', 'The URI of the group.', { mutability: 'readOnly', referenceTypes: ['Group'] }),
    str('display', 'The display name of the group.', { mutability: 'readOnly' }),
    str('type', 'How the membership is derived.', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
  ],
  { multiValued: true, mutability: 'readOnly' },
);

const ID = str('id', 'The identifier the service provider assigned (read-only).', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' });
const EXTERNAL_ID = str('externalId', "The identifier of the resource in the provisioning client's directory.", { caseExact: true });

const USER_ATTRIBUTES: readonly AttributeDefinition[] = [
  ID,
  EXTERNAL_ID,
  str('userName', 'The unique identifier the user signs in with, often an email address.', { required: true, uniqueness: 'server' }),
  NAME,
  str('displayName', 'The name of the user, suitable for display.'),
  str('nickName', 'The casual way to address the user.'),
  attr('profileUrl', 'reference', "A URI of the user's online profile.", { referenceTypes: ['external'] }),
  str('title', "The user's title, e.g. \"Vice President\"."),
  str('userType', 'The relationship between the organization and the user, e.g. "Employee".'),
  str('preferredLanguage', "The user's preferred language, e.g. \"en-US\"."),
  str('locale', "The user's default location, e.g. \"en-US\"."),
  str('timezone', "The user's time zone (IANA name), e.g. \"Europe/Paris\"."),
  attr('active', 'boolean', "The user's administrative status: false is deactivated (cannot sign in)."),
  multiValued('emails', 'Email addresses.', ['work', 'home', 'other']),
  multiValued('phoneNumbers', 'Phone numbers.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  multiValued('ims', 'Instant messaging addresses.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
  multiValued('photos', 'URLs of photos of the user.', ['photo', 'thumbnail'], 'reference'),
  ADDRESSES,
  GROUPS_OF_USER,
  multiValued('entitlements', 'Entitlements of the user.', []),
  multiValued('roles', 'Roles of the user.', []),
];

const ENTERPRISE_ATTRIBUTES: readonly AttributeDefinition[] = [
  str('employeeNumber', 'The numeric or alphanumeric identifier assigned to the person by the organization.'),
  str('costCenter', 'The name of a cost center.'),
  str('organization', 'The name of an organization.'),
  str('division', 'The name of a division.'),
  str('department', 'The name of a department.'),
  complex('manager', "The user's manager.", [
    str('value', 'The id of the manager\'s User resource.', { caseExact: true }),
    attr('$ref', 'reference', "The URI of the manager's User resource.", { referenceTypes: ['User'] }),
    str('displayName', 'The display name of the manager (read-only).', { mutability: 'readOnly' }),
  ]),
];

const GROUP_ATTRIBUTES: readonly AttributeDefinition[] = [
  ID,
  EXTERNAL_ID,
  str('displayName', 'A human-readable name for the group.', { required: true }),
  complex(
    'members',
    'The members of the group (users or groups), by id.',
    [
      str('value', 'The id of the member.', { caseExact: true, mutability: 'immutable' }),
      attr('$ref', 'reference', 'The URI of the member.', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
      str('display', 'The display name of the member.', { mutability: 'immutable' }),
      str('type', 'The kind of member.', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
    ],
    { multiValued: true },
  ),
];

export const USER_SCHEMA: SchemaDefinition = { id: USER_URN, name: 'User', description: 'User Account', attributes: USER_ATTRIBUTES };
export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER_URN,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: ENTERPRISE_ATTRIBUTES,
};
export const GROUP_SCHEMA: SchemaDefinition = { id: GROUP_URN, name: 'Group', description: 'Group', attributes: GROUP_ATTRIBUTES };

/** The core schema of a resource kind and its extensions (the enterprise extension for User). */
export function schemasOf(kind: ResourceKind): { core: SchemaDefinition; extensions: readonly SchemaDefinition[] } {
  return kind === 'User' ? { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] } : { core: GROUP_SCHEMA, extensions: [] };
}

/** The definition of `name` among `definitions`, case-insensitively (RFC 7643 §2.1). */
export function findAttribute(definitions: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  if (!definitions) return undefined;
  const lower = name.toLowerCase();
  return definitions.find((d) => d.name.toLowerCase() === lower);
}

/** The extension schema whose URN is `urn` (case-insensitive), for `kind`. */
export function findExtension(kind: ResourceKind, urn: string): SchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return schemasOf(kind).extensions.find((s) => s.id.toLowerCase() === lower);
}

const trimSlash = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

/** `GET /ServiceProviderConfig` (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  const base = trimSlash(baseUrl);
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with the bearer token the SSO admin portal issued for this directory.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

/** `GET /ResourceTypes` (RFC 7643 §6): the ListResponse's `Resources`. */
export function resourceTypes(baseUrl: string): Record<string, unknown>[] {
  const base = trimSlash(baseUrl);
  return [
    {
      schemas: [RESOURCE_TYPE_URN],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_URN,
      schemaExtensions: [{ schema: ENTERPRISE_USER_URN, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_URN],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: GROUP_URN,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

function attributeDocument(definition: AttributeDefinition): Record<string, unknown> {
  const { subAttributes, ...rest } = definition;
  const out: Record<string, unknown> = { ...rest };
  if (subAttributes) out.subAttributes = subAttributes.map(attributeDocument);
  return out;
}

/** `GET /Schemas` (RFC 7643 §7): the ListResponse's `Resources`, one per schema. */
export function schemaDefinitions(baseUrl: string): Record<string, unknown>[] {
  const base = trimSlash(baseUrl);
  return [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA].map((schema) => ({
    schemas: [SCHEMA_URN],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    // `id` is a common attribute (RFC 7643 §3.1), listed in the core schemas for clients that look for it there.
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  }));
}
