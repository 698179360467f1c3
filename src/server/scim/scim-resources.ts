/**
 * SCIM resources as stored: plain JSON documents (`ScimDoc`) WITHOUT `id` and `meta` (the storage
 * layer adds those). Attribute names are canonical (as in scim-schemas.ts), core attributes at the
 * top level, the enterprise extension's under its URN, `schemas` listing the core URN and the
 * extension when it has attributes, attributes in the order of their definitions.
 *
 * `parseUserInput` / `parseGroupInput` read a POST or PUT body (RFC 7644 §3.3, §3.5.1) and throw a
 * `ScimError` (400 `invalidSyntax` or `invalidValue`, the detail naming the attribute) when it is not
 * one. What they do with what they do not store:
 * - `schemas` must list the core URN and may list the enterprise extension's; any other URN is an
 *   `invalidValue`, except Entra's attribute-less `.../ResourceManagement/ADSCIM/2.0/Group` marker;
 * - readOnly attributes (`id`, `meta`, `groups` of a User, `manager.displayName`) are ignored, as
 *   RFC 7644 §3.5.1 says; so are attributes no schema here defines (e.g. an Entra custom attribute
 *   outside any declared extension) and `password` (never stored: this server has no passwords);
 *   `parseResourceInput` returns their names as `ignored`, for the request log;
 * - attribute names are case-insensitive (RFC 7643 §2.1) and come out in their canonical case;
 * - null and empty lists mean "unassigned" (RFC 7643 §2.5) and are dropped;
 * - booleans may be the strings "True"/"False" (any case), as Microsoft Entra ID sends them;
 * - a single-valued complex attribute with a `value` sub-attribute (the enterprise `manager`) may be
 *   given as its plain value (`"manager": "26118915-6090-4610-87e4-49d8ca9f808d"`), as Entra does.
 */
import { ScimError, badRequest, quote } from './scim-error.js';
import {
  type AttributeDefinition,
  type ResourceKind,
  type SchemaDefinition,
  findAttribute,
  schemasOf,
} from './scim-schemas.js';

export type ScimDoc = Record<string, unknown>;

/** Longest text value of any attribute. */
export const MAX_STRING_LENGTH = 4096;
/** Most values of one multi-valued attribute of a User (emails, phoneNumbers...). */
export const MAX_MULTI_VALUES = 100;
/** Most members of one group. */
export const MAX_MEMBERS = 20000;

export interface ParsedResource {
  doc: ScimDoc;
  /** Names (as sent, dotted for sub-attributes) of what was not stored: readOnly, unknown, `password`. */
  ignored: string[];
}

/** A POST/PUT body of `/Users` as a stored User document. */
export function parseUserInput(body: unknown): ScimDoc {
  return parseResourceInput(body, 'User').doc;
}

/** A POST/PUT body of `/Groups` as a stored Group document. */
export function parseGroupInput(body: unknown): ScimDoc {
  return parseResourceInput(body, 'Group').doc;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `parseUserInput`/`parseGroupInput` with the names of what was ignored. */
export function parseResourceInput(body: unknown, kind: ResourceKind): ParsedResource {
  if (!isPlainObject(body)) {
    throw badRequest('invalidSyntax', `The request body must be a JSON object (a SCIM ${kind} resource), not ${describeType(body)}.`);
  }
  checkSchemas(body, kind);
  const ignored: string[] = [];
  const doc = normaliseResource(body, kind, ignored);
  return { doc, ignored };
}

/**
 * Schema URNs real clients send that carry no attributes, accepted and not stored: Microsoft Entra
 * ID's "Create Group" request lists `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group`
 * (Microsoft, "Tutorial: Develop and plan provisioning for a SCIM endpoint", Create Group).
 */
function isIgnoredSchemaUrn(urn: string): boolean {
  return /^http:\/\/schemas\.microsoft\.com\/2006\/11\/ResourceManagement\/ADSCIM\/2\.0\/(Group|User)$/i.test(urn);
}

function checkSchemas(body: Record<string, unknown>, kind: ResourceKind): void {
  const { core, extensions } = schemasOf(kind);
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : body[key];
  if (schemas === undefined || schemas === null) {
    throw badRequest('invalidSyntax', `"schemas" is missing: a ${kind} must list "${core.id}".`);
  }
  if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string')) {
    throw badRequest('invalidSyntax', `"schemas" must be a list of schema URNs, e.g. ["${core.id}"].`);
  }
  if (schemas.length > 10) throw badRequest('invalidSyntax', `"schemas" lists ${schemas.length} URNs; a ${kind} has at most ${1 + extensions.length}.`);
  const known = [core, ...extensions].map((s) => s.id.toLowerCase());
  for (const urn of schemas as string[]) {
    if (!known.includes(urn.toLowerCase()) && !isIgnoredSchemaUrn(urn)) {
      throw badRequest('invalidValue', `"schemas" lists ${quote(urn)}, a schema this server does not know for a ${kind}; it knows ${known.join(', ')}.`);
    }
  }
  if (!(schemas as string[]).some((s) => s.toLowerCase() === core.id.toLowerCase())) {
    throw badRequest('invalidValue', `"schemas" must include "${core.id}" for a ${kind}.`);
  }
}

/**
 * The stored form of a resource body: canonical names and order, coerced booleans, readOnly and
 * unknown attributes dropped (their names pushed to `ignored`), `schemas` rebuilt, required
 * attributes checked. Used for POST/PUT bodies and for the result of a PATCH.
 */
export function normaliseResource(body: Record<string, unknown>, kind: ResourceKind, ignored: string[] = []): ScimDoc {
  const { core, extensions } = schemasOf(kind);
  const coreValues = new Map<string, unknown>();
  const extensionValues = new Map<SchemaDefinition, Map<string, unknown>>();
  const extensionOf = (schema: SchemaDefinition) => {
    let values = extensionValues.get(schema);
    if (!values) extensionValues.set(schema, (values = new Map<string, unknown>()));
    return values;
  };

  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    const value = body[key];
    if (lower === 'schemas' || lower === 'id' || lower === 'meta') {
      if (lower !== 'schemas') ignored.push(key);
      continue;
    }
    const extension = extensions.find((s) => s.id.toLowerCase() === lower);
    if (extension) {
      if (value === null || value === undefined) continue;
      if (!isPlainObject(value)) throw badRequest('invalidValue', `"${extension.id}" must be an object of ${extension.name} attributes, not ${describeType(value)}.`);
      for (const subKey of Object.keys(value)) addAttribute(extension, extensionOf(extension), subKey, value[subKey], `${extension.id}:${subKey}`, ignored);
      continue;
    }
    // "urn:...:enterprise:2.0:User:department": an extension attribute given by its full name.
    const qualified = extensions.find((s) => lower.startsWith(`${s.id.toLowerCase()}:`));
    if (qualified) {
      addAttribute(qualified, extensionOf(qualified), key.slice(qualified.id.length + 1), value, key, ignored);
      continue;
    }
    const coreQualified = lower.startsWith(`${core.id.toLowerCase()}:`) ? key.slice(core.id.length + 1) : key;
    addAttribute(core, coreValues, coreQualified, value, key, ignored);
  }

  const doc: ScimDoc = { schemas: [core.id] };
  const ordered = (schema: SchemaDefinition, values: Map<string, unknown>, target: Record<string, unknown>) => {
    for (const definition of schema.attributes) {
      const v = values.get(definition.name);
      if (v !== undefined) target[definition.name] = v;
    }
  };
  ordered(core, coreValues, doc);
  for (const extension of extensions) {
    const values = extensionValues.get(extension);
    if (!values || values.size === 0) continue;
    const target: Record<string, unknown> = {};
    ordered(extension, values, target);
    doc[extension.id] = target;
    (doc.schemas as string[]).push(extension.id);
  }
  for (const definition of core.attributes) {
    if (definition.required && (doc[definition.name] === undefined || doc[definition.name] === '')) {
      throw badRequest('invalidValue', `"${definition.name}" is required for a ${kind} and must not be empty.`);
    }
  }
  return doc;
}

function addAttribute(schema: SchemaDefinition, values: Map<string, unknown>, name: string, value: unknown, label: string, ignored: string[]): void {
  const definition = findAttribute(schema.attributes, name);
  if (!definition || definition.mutability === 'readOnly' || definition.mutability === 'writeOnly') {
    ignored.push(label);
    return;
  }
  if (values.has(definition.name)) {
    throw badRequest('invalidSyntax', `"${definition.name}" appears twice (attribute names are case-insensitive).`);
  }
  const parsed = parseAttributeValue(definition, value, definition.name, ignored);
  if (parsed !== undefined) values.set(definition.name, parsed);
}

/**
 * One attribute's value in stored form, or `undefined` when it is unassigned (null, empty list,
 * empty complex value). `label` names it in errors (e.g. `emails`, `name.givenName`).
 */
export function parseAttributeValue(definition: AttributeDefinition, value: unknown, label: string, ignored: string[] = []): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    if (!Array.isArray(value)) throw badRequest('invalidValue', `"${label}" must be a list, not ${describeType(value)}.`);
    const max = definition.name === 'members' ? MAX_MEMBERS : MAX_MULTI_VALUES;
    if (value.length > max) throw new ScimError(413, 'tooMany', `"${label}" has ${value.length} values; at most ${max} are accepted.`);
    const out: unknown[] = [];
    const seen = new Set<string>();
    let primaries = 0;
    for (const item of value as unknown[]) {
      const parsed = parseSingleValue(definition, item, label, ignored);
      if (parsed === undefined) continue;
      const key = identityKey(definition, parsed);
      if (seen.has(key)) continue; // the same value twice is one value
      seen.add(key);
      if (isPlainObject(parsed) && parsed.primary === true) primaries++;
      out.push(parsed);
    }
    if (primaries > 1) throw badRequest('invalidValue', `"${label}" has ${primaries} values marked primary; at most one may be (RFC 7643 §2.4).`);
    return out.length === 0 ? undefined : out;
  }
  return parseSingleValue(definition, value, label, ignored);
}

/** What makes two values of a multi-valued attribute the same: a member's id, otherwise the whole value. */
export function identityKey(definition: AttributeDefinition, value: unknown): string {
  if (definition.name === 'members' && isPlainObject(value) && typeof value.value === 'string') return `member:${value.value}`;
  return JSON.stringify(value);
}

function parseSingleValue(definition: AttributeDefinition, value: unknown, label: string, ignored: string[]): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.type === 'complex') {
    const subAttributes = definition.subAttributes ?? [];
    let object: Record<string, unknown>;
    if (isPlainObject(value)) object = value;
    else if (!definition.multiValued && findAttribute(subAttributes, 'value') && (typeof value === 'string' || typeof value === 'number')) {
      object = { value: String(value) }; // Entra's "manager": "<id>"
    } else throw badRequest('invalidValue', `"${label}" must be an object${definition.multiValued ? ' in each entry' : ''}, not ${describeType(value)}.`);
    const out = new Map<string, unknown>();
    for (const key of Object.keys(object)) {
      const sub = findAttribute(subAttributes, key);
      if (!sub || sub.mutability === 'readOnly') {
        ignored.push(`${label}.${key}`);
        continue;
      }
      if (out.has(sub.name)) throw badRequest('invalidSyntax', `"${label}.${sub.name}" appears twice (attribute names are case-insensitive).`);
      const parsed = parseSingleValue(sub, object[key], `${label}.${sub.name}`, ignored);
      if (parsed !== undefined) out.set(sub.name, parsed);
    }
    if (definition.name === 'members' && typeof out.get('value') !== 'string') {
      throw badRequest('invalidValue', `Each of "${label}" must have a "value": the id of the member.`);
    }
    if (out.size === 0) return undefined;
    const ordered: Record<string, unknown> = {};
    for (const sub of subAttributes) if (out.has(sub.name)) ordered[sub.name] = out.get(sub.name);
    return ordered;
  }
  if (definition.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
    throw badRequest('invalidValue', `"${label}" must be true or false, not ${describeValue(value)}.`);
  }
  if (definition.type === 'integer' || definition.type === 'decimal') {
    if (typeof value === 'number' && Number.isFinite(value) && (definition.type === 'decimal' || Number.isInteger(value))) return value;
    throw badRequest('invalidValue', `"${label}" must be ${definition.type === 'integer' ? 'a whole number' : 'a number'}, not ${describeValue(value)}.`);
  }
  // string, reference, dateTime
  if (typeof value !== 'string') throw badRequest('invalidValue', `"${label}" must be text, not ${describeValue(value)}.`);
  if (value.length > MAX_STRING_LENGTH) {
    throw new ScimError(413, undefined, `"${label}" is ${value.length} characters long; at most ${MAX_STRING_LENGTH} are accepted.`);
  }
  if (definition.type === 'dateTime' && Number.isNaN(Date.parse(value))) throw badRequest('invalidValue', `"${label}" must be a date and time (xsd:dateTime), not ${quote(value)}.`);
  return value;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function describeValue(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? `${describeType(value)} ${quote(value, 40)}` : describeType(value);
}

// ---------------------------------------------------------------------------------------
// Summaries of stored documents (for the host's view, events and the request log)

export interface UserSummary {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  /** The primary email, else the first, else null. */
  email: string | null;
}

export interface GroupSummary {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The columns the host's view lists of a stored User document. `active` is true unless set false. */
export function userSummary(doc: ScimDoc): UserSummary {
  const name = isPlainObject(doc.name) ? doc.name : {};
  const emails = Array.isArray(doc.emails) ? doc.emails.filter(isPlainObject) : [];
  const primary = emails.find((e) => e.primary === true && typeof e.value === 'string') ?? emails.find((e) => typeof e.value === 'string');
  return {
    userName: text(doc.userName) ?? '',
    externalId: text(doc.externalId),
    active: doc.active !== false,
    displayName: text(doc.displayName),
    givenName: text(name.givenName),
    familyName: text(name.familyName),
    email: primary ? text(primary.value) : null,
  };
}

/** The columns the host's view lists of a stored Group document, and its members' ids. */
export function groupSummary(doc: ScimDoc): GroupSummary {
  const members = Array.isArray(doc.members) ? doc.members.filter(isPlainObject) : [];
  return {
    displayName: text(doc.displayName) ?? '',
    externalId: text(doc.externalId),
    memberIds: members.map((m) => m.value).filter((v): v is string => typeof v === 'string'),
  };
}

