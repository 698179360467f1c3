/**
 * SCIM PATCH (RFC 7644 §3.5.2) on stored documents: `applyPatch(doc, body, kind)` returns a new
 * document in stored form (the input is not changed) and the top-level attributes that changed.
 * The request is atomic: the first operation that fails throws a `ScimError` and nothing applies.
 *
 * Operations: `add`, `replace`, `remove`, with or without `path`. Paths:
 * `attr`, `attr.sub`, `urn:...:attr[.sub]` (the enterprise extension, or the core URN),
 * `attr[filter]`, `attr[filter].sub`, and an extension's URN alone (its attributes as one object).
 *
 * The dialects of real clients, accepted on purpose:
 * - Microsoft Entra ID: op names in any case (`"Replace"`, `"Add"`, `"Remove"`); booleans as
 *   strings (`"False"`); a group member removed with `path: "members"` and a `value` list of the
 *   members to remove (RFC 7644 would remove every member); a value object without path whose keys
 *   are paths (`{"name.givenName": "Ada", "emails[type eq \"work\"].value": "ada@acme.com",
 *   "urn:...:enterprise:2.0:User:employeeNumber": "42"}`); `add`/`replace` of
 *   `emails[type eq "work"].value` when the user has no work email: the entry is created from the
 *   filter's equalities (`{type: "work", value: ...}`) instead of failing with `noTarget`.
 * - Okta: `{"op":"replace","value":{"active":false}}` to deactivate; a group rename whose value
 *   carries the group's `id` (readOnly attributes inside a path-less value are ignored, as in a
 *   POST body); `add` of members who already are members changes nothing (no duplicates);
 *   `remove` of `members[value eq "<id>"]` for someone who is not a member changes nothing (Okta
 *   sends it together with its adds in one atomic request; a `noTarget` would drop the adds too).
 *
 * Errors (RFC 7644 §3.5.2, §3.12): `invalidSyntax` (not a PatchOp body, unknown op), `invalidPath`
 * (unknown attribute, bad path or filter), `noTarget` (a filter that matches no value, unless the
 * entry can be created or the member is already gone as above; `remove` without path), `mutability` (`id`, `meta`, `schemas`, a User's
 * `groups`, readOnly sub-attributes), `invalidValue` (a value of the wrong type, a required
 * attribute removed); 413 over `MAX_PATCH_OPERATIONS` operations or the attribute size limits.
 */
import { ScimError, badRequest, quote } from './scim-error.js';
import { type ResolvedAttribute, type Test, compileNode, parseScimFilter, resolveTopLevel, subScope } from './scim-filter.js';
import { type ScimDoc, describeType, identityKey, isPlainObject, normaliseResource, parseAttributeValue } from './scim-resources.js';
import { type AttributeDefinition, PATCH_OP_URN, type ResourceKind, type SchemaDefinition, findAttribute, findExtension, schemasOf } from './scim-schemas.js';
import type { Filter } from 'scim2-parse-filter';

/** Most operations in one PATCH request. */
export const MAX_PATCH_OPERATIONS = 1000;
/** Longest `path`. */
export const MAX_PATH_LENGTH = 1024;

export interface PatchResult {
  /** The patched document, in stored form (as `parseUserInput`/`parseGroupInput` return). */
  doc: ScimDoc;
  /**
   * Top-level keys of the document whose value changed (an extension's attributes count as its
   * URN; the values of a multi-valued attribute in another order are no change).
   */
  changed: string[];
}

type OpName = 'add' | 'replace' | 'remove';

interface Operation {
  op: OpName;
  path?: string;
  value: unknown;
  hasValue: boolean;
}

/** Applies a PatchOp body to `doc`. */
export function applyPatch(doc: ScimDoc, body: unknown, kind: ResourceKind): PatchResult {
  const operations = readBody(body);
  const working = structuredClone(doc) as Record<string, unknown>;
  operations.forEach((operation, index) => {
    try {
      applyOperation(working, operation, kind);
    } catch (error) {
      if (error instanceof ScimError) {
        const where = operations.length > 1 ? `Operation ${index + 1} (${operation.op}${operation.path === undefined ? '' : ` ${quote(operation.path, 60)}`}): ` : '';
        throw new ScimError(error.status, error.scimType, `${where}${error.detail}`);
      }
      throw error;
    }
  });
  const result = normaliseResource(working, kind);
  let before: ScimDoc = doc;
  try {
    before = normaliseResource(structuredClone(doc), kind);
  } catch {
    // a stored document that is not in stored form: compare with it as it is
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(result)]);
  const changed = [...keys].filter((k) => k !== 'schemas' && comparable(before[k]) !== comparable(result[k]));
  return { doc: result, changed };
}

/** A value as text for `changed`: the order of a multi-valued attribute's values carries no meaning (RFC 7643 §2.4). */
function comparable(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map((v) => JSON.stringify(v)).sort());
  return JSON.stringify(value) ?? '';
}

function readBody(body: unknown): Operation[] {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', `A PATCH body must be a JSON object with "schemas" and "Operations", not ${describeType(body)}.`);
  const schemas = valueOf(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_URN.toLowerCase())) {
    throw badRequest('invalidSyntax', `A PATCH body's "schemas" must be ["${PATCH_OP_URN}"].`);
  }
  const list = valueOf(body, 'Operations');
  if (!Array.isArray(list) || list.length === 0) throw badRequest('invalidSyntax', 'A PATCH body must have "Operations": a list of one or more operations.');
  if (list.length > MAX_PATCH_OPERATIONS) {
    throw new ScimError(413, undefined, `The PATCH has ${list.length} operations; at most ${MAX_PATCH_OPERATIONS} are accepted in one request.`);
  }
  return list.map((item, index) => {
    const where = `Operation ${index + 1}`;
    if (!isPlainObject(item)) throw badRequest('invalidSyntax', `${where} must be an object with "op", "path" and "value", not ${describeType(item)}.`);
    const op = valueOf(item, 'op');
    if (typeof op !== 'string' || !['add', 'replace', 'remove'].includes(op.toLowerCase())) {
      throw badRequest('invalidSyntax', `${where} has "op" ${op === undefined ? 'missing' : quote(op, 40)}; it must be add, replace or remove.`);
    }
    const path = valueOf(item, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string') throw badRequest('invalidPath', `${where} has a "path" that is not text.`);
    if (typeof path === 'string' && path.length > MAX_PATH_LENGTH) throw badRequest('invalidPath', `${where} has a "path" of ${path.length} characters; at most ${MAX_PATH_LENGTH} are accepted.`);
    const key = Object.keys(item).find((k) => k.toLowerCase() === 'value');
    const operation: Operation = { op: op.toLowerCase() as OpName, value: key === undefined ? undefined : item[key], hasValue: key !== undefined };
    if (typeof path === 'string' && path.trim() !== '') operation.path = path.trim();
    return operation;
  });
}

function valueOf(object: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

// ---------------------------------------------------------------------------------------
// Paths

interface AttributeTarget {
  extension?: string;
  attribute: AttributeDefinition;
  /** `attr[filter]`: which entries; `equalities`: the entry to create when none matches (`type eq "work"`). */
  filter?: { test: Test; equalities: Record<string, unknown> | null; text: string };
  sub?: AttributeDefinition;
}

type PatchTarget = { kind: 'extension'; schema: SchemaDefinition } | { kind: 'ignored' } | ({ kind: 'attribute' } & AttributeTarget);

const READ_ONLY_NAMES = new Set(['id', 'meta', 'schemas']);

function parsePath(path: string, kind: ResourceKind): PatchTarget {
  const extension = findExtension(kind, path);
  if (extension) return { kind: 'extension', schema: extension };
  const bracket = path.indexOf('[');
  let attrPart = path;
  let filterText: string | undefined;
  let subName: string | undefined;
  if (bracket !== -1) {
    attrPart = path.slice(0, bracket);
    const close = closingBracket(path, bracket);
    if (close === -1) throw badRequest('invalidPath', `The path ${quote(path)} opens "[" without closing it.`);
    filterText = path.slice(bracket + 1, close);
    const after = path.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith('.') || after.length === 1) throw badRequest('invalidPath', `The path ${quote(path)} has ${quote(after)} after "]"; only ".subAttribute" may follow.`);
      subName = after.slice(1);
    }
  }
  const lower = stripCoreUrn(attrPart, kind).toLowerCase();
  if (READ_ONLY_NAMES.has(lower) || lower.startsWith('meta.')) {
    throw new ScimError(400, 'mutability', `"${attrPart}" is set by the server and cannot be changed.`);
  }
  if (lower === 'password') return { kind: 'ignored' };
  const resolved = resolveTopLevel(kind, attrPart);
  if (!resolved) throw badRequest('invalidPath', `The path ${quote(path)} names no attribute of the ${kind} schema this server supports.`);
  const target: AttributeTarget = targetOf(resolved);
  if (filterText !== undefined) {
    if (target.sub) throw badRequest('invalidPath', `The path ${quote(path)} puts "[...]" after a sub-attribute.`);
    if (target.attribute.type !== 'complex' || !target.attribute.multiValued) {
      throw badRequest('invalidPath', `The path ${quote(path)} selects entries of "${target.attribute.name}", which has none (only multi-valued attributes like emails or members do).`);
    }
    let ast: Filter;
    let test: Test;
    try {
      ast = parseScimFilter(filterText);
      test = compileNode(ast, subScope(target.attribute));
    } catch (error) {
      if (error instanceof ScimError) throw badRequest('invalidPath', `The filter in the path ${quote(path)} is not valid: ${error.detail}`);
      throw error;
    }
    target.filter = { test, equalities: equalitiesOf(ast, target.attribute), text: filterText };
    if (subName !== undefined) {
      const sub = findAttribute(target.attribute.subAttributes, subName);
      if (!sub) throw badRequest('invalidPath', `The path ${quote(path)} names "${subName}", which is not a sub-attribute of "${target.attribute.name}".`);
      target.sub = sub;
    }
  }
  if (target.attribute.mutability === 'readOnly') {
    throw new ScimError(400, 'mutability', `"${target.attribute.name}" is read-only${target.attribute.name === 'groups' ? ': a user\'s groups change through the groups\' members' : ''}.`);
  }
  if (target.sub?.mutability === 'readOnly') throw new ScimError(400, 'mutability', `"${target.attribute.name}.${target.sub.name}" is read-only.`);
  return { kind: 'attribute', ...target };
}

function targetOf(resolved: ResolvedAttribute): AttributeTarget {
  const target: AttributeTarget = { attribute: resolved.attribute };
  if (resolved.extension !== undefined) target.extension = resolved.extension;
  if (resolved.sub) target.sub = resolved.sub;
  return target;
}

function stripCoreUrn(path: string, kind: ResourceKind): string {
  const core = schemasOf(kind).core.id;
  return path.toLowerCase().startsWith(`${core.toLowerCase()}:`) ? path.slice(core.length + 1) : path;
}

/** The index of the `]` closing the `[` at `open`, skipping quoted text; -1 if none. */
function closingBracket(path: string, open: number): number {
  for (let i = open + 1; i < path.length; i++) {
    const c = path[i];
    if (c === '"') {
      i++;
      while (i < path.length && path[i] !== '"') i += path[i] === '\\' ? 2 : 1;
    } else if (c === ']') return i;
  }
  return -1;
}

/** `type eq "work"` / `type eq "work" and primary eq true` as `{type: "work", primary: true}`; null for anything else. */
function equalitiesOf(ast: Filter, parent: AttributeDefinition): Record<string, unknown> | null {
  const parts = ast.op === 'and' ? ast.filters : [ast];
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    if (part.op !== 'eq' || part.compValue === null || typeof part.compValue === 'number') return null;
    let name = part.attrPath;
    if (name.toLowerCase().startsWith(`${parent.name.toLowerCase()}.`)) name = name.slice(parent.name.length + 1);
    const sub = findAttribute(parent.subAttributes, name);
    if (!sub) return null;
    out[sub.name] = part.compValue;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Operations

function applyOperation(doc: Record<string, unknown>, operation: Operation, kind: ResourceKind): void {
  const { op, path } = operation;
  if (path === undefined) {
    if (op === 'remove') throw badRequest('noTarget', 'A remove operation needs a "path" naming what to remove.');
    const value = operation.value;
    if (!isPlainObject(value)) throw badRequest('invalidValue', `An ${op} without "path" needs a "value" object of attributes, not ${describeType(value)}.`);
    applyEach(doc, op, value, kind, '');
    return;
  }
  const target = parsePath(path, kind);
  if (target.kind === 'ignored') return;
  if (op !== 'remove' && !operation.hasValue) throw badRequest('invalidValue', `An ${op} operation needs a "value".`);
  if (target.kind === 'extension') {
    if (op === 'remove') {
      delete doc[target.schema.id];
      return;
    }
    if (!isPlainObject(operation.value)) throw badRequest('invalidValue', `"${target.schema.id}" takes an object of ${target.schema.name} attributes, not ${describeType(operation.value)}.`);
    applyEach(doc, op, operation.value, kind, `${target.schema.id}:`);
    return;
  }
  applyToAttribute(doc, op, target, operation.value, operation.hasValue);
}

/** An add/replace without path (or on a whole extension): each key of `value` is a path (Entra's dialect). */
function applyEach(doc: Record<string, unknown>, op: 'add' | 'replace', value: Record<string, unknown>, kind: ResourceKind, prefix: string): void {
  for (const key of Object.keys(value)) {
    const path = `${prefix}${key}`;
    const lower = stripCoreUrn(key, kind).toLowerCase();
    // readOnly and unknown attributes in a value object are ignored, as in a POST body (Okta's group rename sends the id).
    if (prefix === '' && (READ_ONLY_NAMES.has(lower) || lower.startsWith('meta.'))) continue;
    let target: PatchTarget;
    try {
      target = parsePath(path, kind);
    } catch (error) {
      if (error instanceof ScimError && (error.scimType === 'invalidPath' || error.scimType === 'mutability') && !key.includes('[')) continue;
      throw error;
    }
    if (target.kind === 'ignored') continue;
    if (target.kind === 'extension') {
      const inner = value[key];
      if (inner === null || inner === undefined) continue;
      if (!isPlainObject(inner)) throw badRequest('invalidValue', `"${target.schema.id}" takes an object of ${target.schema.name} attributes, not ${describeType(inner)}.`);
      applyEach(doc, op, inner, kind, `${target.schema.id}:`);
      continue;
    }
    applyToAttribute(doc, op, target, value[key], true);
  }
}

function containerOf(doc: Record<string, unknown>, extension: string | undefined, create: boolean): Record<string, unknown> | undefined {
  if (extension === undefined) return doc;
  const existing = doc[extension];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const created: Record<string, unknown> = {};
  doc[extension] = created;
  return created;
}

function applyToAttribute(doc: Record<string, unknown>, op: OpName, target: AttributeTarget, value: unknown, hasValue: boolean): void {
  const { attribute, sub, filter } = target;
  const name = attribute.name;
  const label = sub ? `${name}.${sub.name}` : name;
  const container = containerOf(doc, target.extension, op !== 'remove');
  if (!container) return; // remove inside an extension the resource does not have: nothing to remove

  if (attribute.multiValued) {
    const entries = (Array.isArray(container[name]) ? (container[name] as unknown[]) : []).filter(isPlainObject);
    const primariesBefore = new Set(entries.filter((e) => e.primary === true));
    const next = multiValued(entries, op, target, value, hasValue, label);
    if (next.length === 0) delete container[name];
    else {
      settlePrimary(next, primariesBefore);
      container[name] = next;
    }
    return;
  }
  if (filter) throw badRequest('invalidPath', `"${name}" has no entries to select with [${filter.text}].`);

  if (sub) {
    // name.givenName, manager.value
    const current = isPlainObject(container[name]) ? { ...container[name] } : {};
    if (op === 'remove') delete current[sub.name];
    else setParsed(current, sub, value, label, op);
    if (Object.keys(current).length === 0) delete container[name];
    else container[name] = current;
    return;
  }
  if (op === 'remove') {
    delete container[name];
    return;
  }
  const parsed = parseAttributeValue(attribute, value, label);
  if (attribute.type === 'complex' && isPlainObject(value)) {
    // RFC 7644 §3.5.2.1 / §3.5.2.3: sub-attributes not given are left unchanged (an object of
    // unknown sub-attributes changes nothing).
    if (isPlainObject(parsed)) container[name] = { ...(isPlainObject(container[name]) ? container[name] : {}), ...parsed };
    return;
  }
  if (parsed === undefined) {
    if (op === 'add') throw badRequest('invalidValue', `An add of "${label}" needs a value (use remove to clear it).`);
    delete container[name];
    return;
  }
  container[name] = parsed;
}

function setParsed(target: Record<string, unknown>, definition: AttributeDefinition, value: unknown, label: string, op: OpName): void {
  const parsed = parseAttributeValue(definition, value, label);
  if (parsed === undefined) {
    if (op === 'add') throw badRequest('invalidValue', `An add of "${label}" needs a value (use remove to clear it).`);
    delete target[definition.name];
  } else target[definition.name] = parsed;
}

/** The new entries of a multi-valued attribute after one operation. */
function multiValued(
  entries: Record<string, unknown>[],
  op: OpName,
  target: AttributeTarget,
  value: unknown,
  hasValue: boolean,
  label: string,
): Record<string, unknown>[] {
  const { attribute, sub, filter } = target;
  const parseEntries = (v: unknown): Record<string, unknown>[] => {
    const list = parseAttributeValue(attribute, Array.isArray(v) ? v : v === null || v === undefined ? v : [v], attribute.name);
    return (list === undefined ? [] : (list as unknown[])).filter(isPlainObject);
  };

  if (!filter && !sub) {
    if (op === 'remove') {
      // Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes those members only.
      if (hasValue && value !== null && value !== undefined) {
        const toRemove = parseEntries(value);
        return entries.filter((e) => !toRemove.some((r) => sameEntry(attribute, e, r)));
      }
      return [];
    }
    const added = parseEntries(value);
    if (op === 'replace') return added;
    const out = [...entries];
    // A value that is there already (a member with the same id, an email with the same address) is left as it is.
    for (const entry of added) {
      if (!out.some((e) => identityKey(attribute, e) === identityKey(attribute, entry) || sameEntry(attribute, e, entry))) out.push(entry);
    }
    return out;
  }

  if (!filter && sub) {
    // emails.value without a filter: every entry (RFC 7644 leaves it open; one entry is the usual case).
    if (op === 'remove') return entries.map((e) => without(e, sub.name));
    checkImmutable(attribute, sub, entries, label);
    if (entries.length === 0) {
      const entry: Record<string, unknown> = {};
      setParsed(entry, sub, value, label, op);
      return Object.keys(entry).length > 0 ? [entry] : [];
    }
    return entries.map((e) => {
      const copy = { ...e };
      setParsed(copy, sub, value, label, op);
      return copy;
    });
  }

  const matched = entries.filter((e) => filter!.test(e));
  if (matched.length === 0 && op === 'remove' && attribute.name === 'members' && isMemberIdFilter(filter!.equalities)) {
    // Okta removes and adds members in one atomic PATCH ("remove members[value eq ...]" then "add"):
    // someone who is not a member is already where the request wants them, so the rest still applies.
    return entries;
  }
  if (matched.length === 0) {
    const creatable = op !== 'remove' && filter!.equalities !== null && (sub !== undefined || op === 'add');
    if (!creatable) {
      throw badRequest('noTarget', `No value of "${attribute.name}" matches [${filter!.text}].`);
    }
    // Entra: add/replace of emails[type eq "work"].value creates the work email.
    const entry: Record<string, unknown> = { ...filter!.equalities };
    if (sub) setParsed(entry, sub, value, label, op);
    else if (isPlainObject(value)) Object.assign(entry, value);
    const created = parseEntries([entry]);
    return [...entries, ...created];
  }
  if (sub) checkImmutable(attribute, sub, matched, label);
  return entries.flatMap((e) => {
    if (!matched.includes(e)) return [e];
    if (op === 'remove') return sub ? [without(e, sub.name)] : [];
    if (sub) {
      const copy = { ...e };
      setParsed(copy, sub, value, label, op);
      return [copy];
    }
    const replacement = parseEntries(Array.isArray(value) && value.length === 1 ? value[0] : value);
    if (replacement.length !== 1) throw badRequest('invalidValue', `"${attribute.name}[${filter!.text}]" takes one object as its value.`);
    return [op === 'add' ? { ...e, ...replacement[0] } : replacement[0]!];
  });
}

/** `members[value eq "<id>"]`: the filter names one member by id and nothing else. */
function isMemberIdFilter(equalities: Record<string, unknown> | null): boolean {
  return equalities !== null && Object.keys(equalities).length === 1 && typeof equalities.value === 'string';
}

function without(entry: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...entry };
  delete copy[name];
  return copy;
}

/** Two entries are the same value: same `value` sub-attribute (compared as the schema says), or equal. */
function sameEntry(attribute: AttributeDefinition, a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const valueDefinition = findAttribute(attribute.subAttributes, 'value');
  if (valueDefinition && typeof a.value === 'string' && typeof b.value === 'string') {
    return valueDefinition.caseExact ? a.value === b.value : a.value.toLowerCase() === b.value.toLowerCase();
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A member's `value`, `type`, `display`, `$ref` are immutable: set when it is added, never changed. */
function checkImmutable(attribute: AttributeDefinition, sub: AttributeDefinition, entries: Record<string, unknown>[], label: string): void {
  if (sub.mutability === 'immutable' && entries.some((e) => e[sub.name] !== undefined)) {
    throw new ScimError(400, 'mutability', `"${label}" of an existing ${attribute.name === 'members' ? 'member' : 'entry'} cannot be changed; remove it and add it again.`);
  }
}

/** RFC 7644 §3.5.2: setting one value primary makes the others not primary. */
function settlePrimary(entries: Record<string, unknown>[], before: Set<Record<string, unknown>>): void {
  const primaries = entries.filter((e) => e.primary === true);
  if (primaries.length < 2) return;
  const fresh = primaries.filter((e) => !before.has(e));
  const winner = fresh[fresh.length - 1] ?? primaries[primaries.length - 1];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.primary === true && e !== winner) entries[i] = { ...e, primary: false };
  }
}
