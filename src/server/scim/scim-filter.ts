/**
 * SCIM filters (RFC 7644 §3.4.2.2) over stored documents.
 *
 * Parsing is scim2-parse-filter 0.2.10's (its tokenizer and recursive-descent parser); evaluation is
 * ours, because its `filter()` tester does not follow the RFC: it compares text case-sensitively
 * (userName is caseExact=false), takes `pr` of "" / [] / null as present, lets `ne` on a
 * multi-valued attribute match when any one value differs, and knows no schema (an unknown
 * attribute silently matches nothing instead of being an `invalidFilter`).
 *
 * What we do around its parser, and why:
 * - Every quoted string is read here (JSON string syntax) and handed to the library as a
 *   placeholder. Its tokenizer's string pattern `"(?:[^"\\]|\\.|\n)*"` backtracks exponentially on
 *   an unterminated string with line breaks (`"` and 28 newlines take seconds; a 2 KB filter would
 *   hang the process), and it mangles escapes (`"a\\"`, a value ending in a backslash, fails;
 *   `"\n"` compares as the two characters `\n`). With placeholders its pattern only ever sees `"7"`.
 * - `emails[type eq "work"].value eq "x"`: the library turns it into `emails[type eq "work"] and
 *   emails.value eq "x"`, which matches a user whose work email is another and whose home email is
 *   "x". We rewrite the tokens to `emails[(type eq "work") and value eq "x"]` (the same entry) first.
 * - Limits: at most `MAX_FILTER_LENGTH` characters and `MAX_FILTER_DEPTH` levels of parentheses,
 *   brackets and `not`; no control characters outside quotes.
 *
 * Semantics (ours, stated because the RFC leaves them open): attribute names are case-insensitive;
 * text comparisons are case-insensitive unless the attribute is caseExact (`id`, `externalId`,
 * `members.value`, `manager.value`); a complex multi-valued attribute without a sub-attribute means its
 * `value` (`emails co "@acme.com"`); on a multi-valued attribute an operator matches when any value
 * does, and `ne` is `not eq` (true when the attribute is absent); `pr` is false for null, "" and [];
 * `eq null` is `not pr`; `gt`/`ge`/`lt`/`le` compare text (lowercased when not caseExact) and are an
 * `invalidFilter` on booleans. An enterprise attribute may be named without its URN when the core
 * schema has no attribute of that name (`department eq "Sales"`).
 */
import { parseFilter, tokenizer, Tokens, type Token } from 'scim2-parse-filter/lib/src/parser.js';
import type { Filter } from 'scim2-parse-filter';
import { ScimError, badRequest, quote } from './scim-error.js';
import { type AttributeDefinition, type ResourceKind, type SchemaDefinition, findAttribute, schemasOf } from './scim-schemas.js';
import { type ScimDoc, isPlainObject } from './scim-resources.js';

export const MAX_FILTER_LENGTH = 2048;
export const MAX_FILTER_DEPTH = 10;

export type ScimPredicate = (doc: ScimDoc & { id: string }) => boolean;

/** The predicate of a `filter` query parameter; a `ScimError` 400 `invalidFilter` if it is not one. */
export function compileFilter(filter: string, kind: ResourceKind): ScimPredicate {
  const ast = parseScimFilter(filter);
  const test = compileNode(ast, topLevelScope(kind));
  return (doc) => test(doc);
}

export interface EqualityLookup {
  attribute: 'userName' | 'externalId' | 'displayName' | 'id';
  value: string;
  /** False for userName and displayName (RFC 7643: caseExact=false): the store must compare case-insensitively. */
  caseExact: boolean;
}

/**
 * For the storage layer's indexed fast path: the attribute and value of a filter that is exactly
 * one `attr eq "text"` on `userName`, `externalId`, `displayName` or `id` (as Okta's
 * `userName eq "ada@acme.com"` and Entra's `externalId eq "..."` lookups are), else null.
 * Throws like `compileFilter` on an invalid filter.
 */
export function equalityLookup(filter: string, kind: ResourceKind): EqualityLookup | null {
  const ast = parseScimFilter(filter);
  compileNode(ast, topLevelScope(kind)); // validates attributes and values
  if (ast.op !== 'eq' || typeof ast.compValue !== 'string') return null;
  const resolved = resolveTopLevel(kind, ast.attrPath);
  if (!resolved || resolved.extension || resolved.sub) return null;
  const name = resolved.attribute.name;
  if (name !== 'userName' && name !== 'externalId' && name !== 'displayName' && name !== 'id') return null;
  return { attribute: name, value: ast.compValue, caseExact: resolved.attribute.caseExact };
}

// ---------------------------------------------------------------------------------------
// Parsing

const invalid = (detail: string) => badRequest('invalidFilter', detail);

/** The library's AST of `filter`, string values restored; a `ScimError` `invalidFilter` if it is not a filter. */
export function parseScimFilter(filter: string): Filter {
  if (typeof filter !== 'string') throw invalid('The filter must be text.');
  if (filter.length > MAX_FILTER_LENGTH) throw invalid(`The filter is ${filter.length} characters long; at most ${MAX_FILTER_LENGTH} are accepted.`);
  if (filter.trim() === '') throw invalid('The filter is empty.');
  const { text, literals } = extractStrings(filter);
  let tokens: Token[];
  try {
    tokens = tokenizer(text);
  } catch {
    throw invalid(`The filter ${quote(filter)} has characters that are not SCIM filter syntax (attribute names, operators, quoted text, numbers, true/false/null, parentheses).`);
  }
  tokens = rewriteSubAttributeAfterValuePath(tokens, filter);
  let ast: Filter;
  try {
    const list = new Tokens(tokens);
    ast = parseFilter(list);
    if (list.peek().type !== 'EOT') throw new Error(`unexpected ${list.peek().literal}`);
  } catch (error) {
    if (error instanceof ScimError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const restored = message.replace(/"(\d+)"/g, (_, n: string) => quote(literals[Number(n)] ?? ''));
    throw invalid(`The filter ${quote(filter)} is not valid SCIM filter syntax (RFC 7644 §3.4.2.2): ${restored.slice(0, 200)}.`);
  }
  restoreStrings(ast, literals, filter);
  if (depthOf(ast) > MAX_FILTER_DEPTH * 2) throw invalid(`The filter is nested more than ${MAX_FILTER_DEPTH} levels deep.`);
  return ast;
}

/** Replaces every quoted string by a placeholder `"<n>"`; checks quotes, nesting and characters. */
function extractStrings(filter: string): { text: string; literals: string[] } {
  const literals: string[] = [];
  let text = '';
  let depth = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < filter.length && filter[j] !== '"') j += filter[j] === '\\' ? 2 : 1;
      if (j >= filter.length) throw invalid(`The filter ${quote(filter)} has a quoted value that is not closed (a missing ").`);
      const raw = filter.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw invalid(`The filter's quoted value ${quote(raw, 60)} is not valid (use JSON string escapes, e.g. \\" for a quote).`);
      }
      literals.push(value as string);
      text += `"${literals.length - 1}"`;
      i = j;
      continue;
    }
    if (c === '(' || c === '[') {
      depth++;
      if (depth > MAX_FILTER_DEPTH) throw invalid(`The filter is nested more than ${MAX_FILTER_DEPTH} levels deep.`);
    } else if (c === ')' || c === ']') {
      depth--;
      if (depth < 0) throw invalid(`The filter ${quote(filter)} closes a ${c === ')' ? 'parenthesis' : 'bracket'} that was not opened.`);
    } else if (c < ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      throw invalid('The filter contains a control character.');
    }
    text += c;
  }
  if (depth !== 0) throw invalid(`The filter ${quote(filter)} opens a parenthesis or bracket that is not closed.`);
  return { text, literals };
}

/** `a[f].b op v` -> `a[(f) and b op v]` (see the module's comment). */
function rewriteSubAttributeAfterValuePath(tokens: Token[], filter: string): Token[] {
  if (!tokens.some((t) => t.literal === '].')) return tokens;
  const out: Token[] = [];
  const opens: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.literal === '[') {
      out.push(t);
      opens.push(out.length);
      out.push({ type: 'Bracket', literal: '(' });
      continue;
    }
    if (t.literal === ']') {
      opens.pop();
      out.push({ type: 'Bracket', literal: ')' }, t);
      continue;
    }
    if (t.literal === '].') {
      const sub = tokens[i + 1];
      const op = tokens[i + 2];
      if (opens.pop() === undefined || !sub || sub.type !== 'Word' || !op || op.type !== 'Word') {
        throw invalid(`The filter ${quote(filter)} has "]." without a sub-attribute and an operator after it (e.g. emails[type eq "work"].value eq "a@b.c").`);
      }
      const isPresent = op.literal.toLowerCase() === 'pr';
      const value = tokens[i + 3];
      if (!isPresent && (!value || value.type === 'EOT')) throw invalid(`The filter ${quote(filter)} has no value after "${sub.literal} ${op.literal}".`);
      out.push({ type: 'Bracket', literal: ')' }, { type: 'Word', literal: 'and' }, sub, op);
      if (!isPresent) out.push(value!);
      out.push({ type: 'Bracket', literal: ']' });
      i += isPresent ? 2 : 3;
      continue;
    }
    out.push(t);
  }
  return out;
}

function restoreStrings(node: Filter, literals: string[], filter: string): void {
  switch (node.op) {
    case 'and':
    case 'or':
      for (const f of node.filters) restoreStrings(f, literals, filter);
      return;
    case 'not':
      restoreStrings(node.filter, literals, filter);
      return;
    case '[]':
      restoreStrings(node.valFilter, literals, filter);
      return;
    case 'pr':
      return;
    default:
      if (typeof node.compValue === 'string') {
        const value = literals[Number(node.compValue)];
        if (value === undefined) throw invalid(`The filter ${quote(filter)} is not valid SCIM filter syntax.`);
        node.compValue = value;
      }
  }
}

function depthOf(node: Filter): number {
  switch (node.op) {
    case 'and':
    case 'or':
      return 1 + Math.max(...node.filters.map(depthOf));
    case 'not':
      return 1 + depthOf(node.filter);
    case '[]':
      return 1 + depthOf(node.valFilter);
    default:
      return 1;
  }
}

// ---------------------------------------------------------------------------------------
// Attribute paths

export interface ResolvedAttribute {
  /** The extension URN the attribute sits under in the document, or undefined for a core attribute. */
  extension?: string;
  attribute: AttributeDefinition;
  sub?: AttributeDefinition;
}

/**
 * `[urn:...:]attribute[.subAttribute]` of `kind`, names case-insensitive; an extension attribute
 * may be unqualified when the core schema has no attribute of that name. Undefined if unknown.
 */
export function resolveTopLevel(kind: ResourceKind, path: string): ResolvedAttribute | undefined {
  const { core, extensions } = schemasOf(kind);
  const lower = path.toLowerCase();
  let schema: SchemaDefinition | undefined;
  let rest = path;
  for (const s of [core, ...extensions]) {
    if (lower.startsWith(`${s.id.toLowerCase()}:`)) {
      schema = s;
      rest = path.slice(s.id.length + 1);
    }
  }
  const parts = rest.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) return undefined;
  const [name, subName] = parts as [string, string | undefined];
  let attribute: AttributeDefinition | undefined;
  if (schema) attribute = findAttribute(schema.attributes, name);
  else {
    schema = core;
    attribute = findAttribute(core.attributes, name);
    if (!attribute) {
      for (const e of extensions) {
        attribute = findAttribute(e.attributes, name);
        if (attribute) {
          schema = e;
          break;
        }
      }
    }
  }
  if (!attribute) return undefined;
  const resolved: ResolvedAttribute = { attribute };
  if (schema !== core) resolved.extension = schema.id;
  if (subName !== undefined) {
    const sub = findAttribute(attribute.subAttributes, subName);
    if (!sub) return undefined;
    resolved.sub = sub;
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------
// Evaluation

export type Target = Record<string, unknown>;
export type Test = (target: Target) => boolean;

interface Leaf {
  /** The definition whose type and caseExact govern comparisons. */
  definition: AttributeDefinition;
  /** Every value at the path (a multi-valued attribute's values flattened). */
  values(target: Target): unknown[];
}

export interface Scope {
  describe: string;
  leaf(path: string): Leaf | undefined;
  /** The entries of a complex attribute, for `attr[filter]`, and the scope of their sub-attributes. */
  complex(path: string): { items(target: Target): Target[]; scope: Scope } | undefined;
}

function containerOf(target: Target, extension: string | undefined): Target | undefined {
  if (extension === undefined) return target;
  const c = target[extension];
  return isPlainObject(c) ? c : undefined;
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function topLevelScope(kind: ResourceKind): Scope {
  return {
    describe: `the ${kind} schema`,
    leaf(path) {
      const r = resolveTopLevel(kind, path);
      if (!r) return undefined;
      const { attribute, extension } = r;
      let sub = r.sub;
      if (!sub && attribute.type === 'complex') {
        sub = findAttribute(attribute.subAttributes, 'value');
        if (!sub) return undefined;
      }
      const name = attribute.name;
      if (!sub) return { definition: attribute, values: (t) => asList(containerOf(t, extension)?.[name]) };
      const subName = sub.name;
      return {
        definition: sub,
        values: (t) =>
          asList(containerOf(t, extension)?.[name])
            .filter(isPlainObject)
            .flatMap((item) => asList(item[subName])),
      };
    },
    complex(path) {
      const r = resolveTopLevel(kind, path);
      if (!r || r.sub || r.attribute.type !== 'complex') return undefined;
      const { attribute, extension } = r;
      return {
        items: (t) => asList(containerOf(t, extension)?.[attribute.name]).filter(isPlainObject),
        scope: subScope(attribute),
      };
    },
  };
}

/** Inside `attr[...]`: the sub-attributes of `attr`, by name or as `attr.sub`. */
export function subScope(parent: AttributeDefinition): Scope {
  return {
    describe: `the sub-attributes of "${parent.name}"`,
    leaf(path) {
      let name = path;
      if (path.toLowerCase().startsWith(`${parent.name.toLowerCase()}.`)) name = path.slice(parent.name.length + 1);
      const sub = findAttribute(parent.subAttributes, name);
      if (!sub) return undefined;
      return { definition: sub, values: (t) => asList(t[sub.name]) };
    },
    complex: () => undefined,
  };
}

function unknownAttribute(path: string, scope: Scope): ScimError {
  return invalid(`The filter names ${quote(path)}, which is not an attribute of ${scope.describe} this server supports.`);
}

/** The test of a parsed filter in `scope`; throws `invalidFilter` for unknown attributes and impossible comparisons. */
export function compileNode(node: Filter, scope: Scope): Test {
  switch (node.op) {
    case 'and': {
      const tests = node.filters.map((f) => compileNode(f, scope));
      return (t) => tests.every((test) => test(t));
    }
    case 'or': {
      const tests = node.filters.map((f) => compileNode(f, scope));
      return (t) => tests.some((test) => test(t));
    }
    case 'not': {
      const test = compileNode(node.filter, scope);
      return (t) => !test(t);
    }
    case '[]': {
      const complex = scope.complex(node.attrPath);
      if (!complex) {
        if (scope.leaf(node.attrPath)) throw invalid(`The filter uses ${quote(node.attrPath)}[...], but it is not a complex attribute (only emails[...], members[...] and the like have entries to select).`);
        throw unknownAttribute(node.attrPath, scope);
      }
      const test = compileNode(node.valFilter, complex.scope);
      return (t) => complex.items(t).some((item) => test(item));
    }
    case 'pr': {
      const leaf = scope.leaf(node.attrPath) ?? presenceOfComplex(node.attrPath, scope);
      return (t) => leaf.values(t).some(isPresent);
    }
    default: {
      const leaf = scope.leaf(node.attrPath);
      if (!leaf) throw unknownAttribute(node.attrPath, scope);
      if (node.compValue === null) {
        // `eq null`: unassigned (RFC 7643 §2.5 treats null and absent alike); `ne null`: assigned.
        if (node.op !== 'eq' && node.op !== 'ne') throw invalid(`The filter compares ${quote(node.attrPath)} with null using "${node.op}"; only eq and ne take null.`);
        const wantPresent = node.op === 'ne';
        return (t) => leaf.values(t).some(isPresent) === wantPresent;
      }
      const compare = comparison(node.op, node.compValue, leaf.definition, node.attrPath);
      if (node.op === 'ne') return (t) => !leaf.values(t).some(compare);
      return (t) => leaf.values(t).some(compare);
    }
  }
}

function presenceOfComplex(path: string, scope: Scope): Leaf {
  const complex = scope.complex(path);
  if (!complex) throw unknownAttribute(path, scope);
  return { definition: { name: path } as AttributeDefinition, values: (t) => complex.items(t) };
}

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';

/** The value test of `attr op compValue` (for `ne`, the `eq` test: the caller negates it). */
function comparison(op: CompareOp, compValue: string | number | boolean, definition: AttributeDefinition, path: string): (value: unknown) => boolean {
  const attribute = quote(path);
  if (definition.type === 'boolean') {
    let expected: boolean;
    if (typeof compValue === 'boolean') expected = compValue;
    else if (typeof compValue === 'string' && /^(true|false)$/i.test(compValue)) expected = compValue.toLowerCase() === 'true';
    else throw invalid(`The filter compares ${attribute}, which is true or false, with ${quote(compValue)}.`);
    if (op !== 'eq' && op !== 'ne') throw invalid(`The filter uses "${op}" on ${attribute}, which is true or false; only eq, ne and pr apply.`);
    return (value) => value === expected || (typeof value === 'string' && value.toLowerCase() === String(expected));
  }
  if (definition.type === 'integer' || definition.type === 'decimal') {
    if (typeof compValue !== 'number') throw invalid(`The filter compares ${attribute}, a number, with ${quote(compValue)}.`);
    if (op === 'co' || op === 'sw' || op === 'ew') throw invalid(`The filter uses "${op}" on ${attribute}, a number.`);
    return (value) => typeof value === 'number' && ordered(op, value, compValue);
  }
  if (typeof compValue !== 'string') {
    throw invalid(`The filter compares ${attribute}, which is text, with ${String(compValue)}; put the value in double quotes.`);
  }
  const fold = definition.caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
  const expected = fold(compValue);
  return (value) => {
    if (typeof value !== 'string') return false;
    const actual = fold(value);
    switch (op) {
      case 'eq':
      case 'ne':
        return actual === expected;
      case 'co':
        return actual.includes(expected);
      case 'sw':
        return actual.startsWith(expected);
      case 'ew':
        return actual.endsWith(expected);
      default:
        return ordered(op, actual, expected);
    }
  };
}

function ordered<T extends string | number>(op: 'gt' | 'lt' | 'ge' | 'le' | CompareOp, a: T, b: T): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return a === b;
  }
}
