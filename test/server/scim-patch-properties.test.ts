/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
// Property tests (fast-check) of the SCIM engine against simple models written here:
// - filters: random users and random filters from a small grammar, rendered with random case and
//   odd characters in quoted values, evaluated by compileFilter and by a naive reference evaluator;
// - PATCH: random add/replace/remove sequences (paths, path-less values, Entra's and Okta's forms)
//   applied by applyPatch and to a model of attribute maps; group membership against a list of ids;
// - fuzz: random JSON bodies, random PATCH operations and random filter strings end in a result or
//   a ScimError, never another exception.
// Run: node --import tsx --test --test-reporter=spec test/server/scim-patch-properties.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../../src/server/scim/scim-error.js';
import { compileFilter, equalityLookup } from '../../src/server/scim/scim-filter.js';
import { applyPatch } from '../../src/server/scim/scim-patch.js';
import { groupSummary, parseGroupInput, parseUserInput, type ScimDoc } from '../../src/server/scim/scim-resources.js';
import { ENTERPRISE_USER_URN, GROUP_URN, PATCH_OP_URN, USER_URN } from '../../src/server/scim/scim-schemas.js';

const ENTERPRISE = ENTERPRISE_USER_URN;

/** Texts that stress quoting and case: quotes, backslashes, brackets, parentheses, operators, non-ASCII. */
const TEXTS = ['ada', 'Ada', 'ADA', 'ad', 'bob', 'Bob@X.org', 'b"o', 'back\\slash', 'a]b', 'x) or (y', ' eq ', 'é', 'É', 'line\nbreak', '日本', 'z', ''];
const text = fc.constantFrom(...TEXTS);
const nonEmptyText = fc.constantFrom(...TEXTS.filter((t) => t !== ''));
const EMAIL_TYPES = ['work', 'home', 'other', 'WORK'];

// ---------------------------------------------------------------------------------------
// Filters

interface ModelEmail {
  type?: string;
  value?: string;
  primary?: boolean;
}
interface ModelUser {
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  title?: string;
  givenName?: string;
  department?: string;
  active?: boolean;
  emails: ModelEmail[];
}

const modelUser: fc.Arbitrary<ModelUser> = fc
  .record(
    {
      id: fc.constantFrom('id-1', 'ID-1', 'id-2'),
      userName: nonEmptyText,
      externalId: text,
      displayName: text,
      title: text,
      givenName: text,
      department: text,
      active: fc.boolean(),
      emails: fc.array(fc.record({ type: fc.constantFrom(...EMAIL_TYPES), value: text, primary: fc.boolean() }, { requiredKeys: [] }), { maxLength: 3 }),
    },
    { requiredKeys: ['id', 'userName', 'emails'] },
  )
  .map((u) => {
    // an empty entry is unassigned (RFC 7643 §2.5): the engine drops it, so the model has none
    u.emails = u.emails.filter((e) => Object.keys(e).length > 0);
    // at most one primary email (RFC 7643 §2.4), as the engine requires
    let seen = false;
    for (const e of u.emails) {
      if (e.primary && seen) e.primary = false;
      if (e.primary) seen = true;
    }
    return u;
  });

function toDoc(u: ModelUser): ScimDoc & { id: string } {
  const body: Record<string, unknown> = { schemas: [USER_URN, ENTERPRISE], userName: u.userName, emails: u.emails };
  if (u.externalId !== undefined) body.externalId = u.externalId;
  if (u.displayName !== undefined) body.displayName = u.displayName;
  if (u.title !== undefined) body.title = u.title;
  if (u.givenName !== undefined) body.name = { givenName: u.givenName };
  if (u.department !== undefined) body[ENTERPRISE] = { department: u.department };
  if (u.active !== undefined) body.active = u.active;
  return { ...parseUserInput(body), id: u.id };
}

type Attr = 'id' | 'userName' | 'externalId' | 'displayName' | 'title' | 'name.givenName' | 'department' | 'emails.value' | 'emails.type' | 'active';
const CASE_EXACT: Record<Attr, boolean> = {
  id: true,
  userName: false,
  externalId: true,
  displayName: false,
  title: false,
  'name.givenName': false,
  department: false,
  'emails.value': false,
  'emails.type': false,
  active: true,
};
type StringOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
type Sub = { k: 'cmp'; sub: 'type' | 'value'; op: StringOp; value: string } | { k: 'pr'; sub: 'type' | 'value' } | { k: 'and' | 'or'; l: Sub; r: Sub } | { k: 'not'; f: Sub };
type F =
  | { k: 'cmp'; attr: Attr; op: StringOp; value: string }
  | { k: 'bool'; op: 'eq' | 'ne'; value: boolean }
  | { k: 'pr'; attr: Attr }
  | { k: 'and' | 'or'; l: F; r: F }
  | { k: 'not'; f: F }
  | { k: 'vp'; cond: Sub; then?: { sub: 'type' | 'value'; op: StringOp; value: string } };

const stringOp = fc.constantFrom<StringOp>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');
const stringAttr = fc.constantFrom<Attr>('id', 'userName', 'externalId', 'displayName', 'title', 'name.givenName', 'department', 'emails.value', 'emails.type');
const subName = fc.constantFrom<'type' | 'value'>('type', 'value');

const subFilter: fc.Arbitrary<Sub> = fc.letrec<{ sub: Sub }>((tie) => ({
  sub: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('cmp' as const), sub: subName, op: stringOp, value: text }),
    fc.record({ k: fc.constant('pr' as const), sub: subName }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const), l: tie('sub'), r: tie('sub') }),
    fc.record({ k: fc.constant('not' as const), f: tie('sub') }),
  ),
})).sub;

const filterTree: fc.Arbitrary<F> = fc.letrec<{ f: F }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
    fc.record({ k: fc.constant('cmp' as const), attr: stringAttr, op: stringOp, value: text }),
    fc.record({ k: fc.constant('bool' as const), op: fc.constantFrom('eq' as const, 'ne' as const), value: fc.boolean() }),
    fc.record({ k: fc.constant('pr' as const), attr: fc.constantFrom<Attr>('active', 'title', 'externalId', 'emails.value', 'name.givenName', 'department') }),
    fc.record({ k: fc.constant('vp' as const), cond: subFilter }),
    fc.record({ k: fc.constant('vp' as const), cond: subFilter, then: fc.record({ sub: subName, op: stringOp, value: text }) }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const), l: tie('f'), r: tie('f') }),
    fc.record({ k: fc.constant('not' as const), f: tie('f') }),
  ),
})).f;

function compare(op: StringOp | 'pr', values: string[], expected: string, caseExact: boolean): boolean {
  const fold = (s: string) => (caseExact ? s : s.toLowerCase());
  const e = fold(expected);
  const any = (p: (v: string) => boolean) => values.some((v) => p(fold(v)));
  switch (op) {
    case 'eq':
      return any((v) => v === e);
    case 'ne':
      return !any((v) => v === e);
    case 'co':
      return any((v) => v.includes(e));
    case 'sw':
      return any((v) => v.startsWith(e));
    case 'ew':
      return any((v) => v.endsWith(e));
    case 'gt':
      return any((v) => v > e);
    case 'ge':
      return any((v) => v >= e);
    case 'lt':
      return any((v) => v < e);
    case 'le':
      return any((v) => v <= e);
    case 'pr':
      return values.some((v) => v !== '');
  }
}

function valuesOf(u: ModelUser, attr: Attr): string[] {
  const one = (v: string | undefined) => (v === undefined ? [] : [v]);
  switch (attr) {
    case 'emails.value':
      return u.emails.flatMap((e) => one(e.value));
    case 'emails.type':
      return u.emails.flatMap((e) => one(e.type));
    case 'name.givenName':
      return one(u.givenName);
    case 'active':
      return u.active === undefined ? [] : [String(u.active)];
    default:
      return one(u[attr]);
  }
}

function evalSub(f: Sub, e: ModelEmail): boolean {
  switch (f.k) {
    case 'cmp':
      return compare(f.op, e[f.sub] === undefined ? [] : [e[f.sub]!], f.value, false);
    case 'pr':
      return compare('pr', e[f.sub] === undefined ? [] : [e[f.sub]!], '', false);
    case 'and':
      return evalSub(f.l, e) && evalSub(f.r, e);
    case 'or':
      return evalSub(f.l, e) || evalSub(f.r, e);
    case 'not':
      return !evalSub(f.f, e);
  }
}

function reference(f: F, u: ModelUser): boolean {
  switch (f.k) {
    case 'cmp':
      return compare(f.op, valuesOf(u, f.attr), f.value, CASE_EXACT[f.attr]);
    case 'bool':
      return f.op === 'eq' ? u.active === f.value : u.active !== f.value;
    case 'pr':
      return compare('pr', valuesOf(u, f.attr), '', true);
    case 'and':
      return reference(f.l, u) && reference(f.r, u);
    case 'or':
      return reference(f.l, u) || reference(f.r, u);
    case 'not':
      return !reference(f.f, u);
    case 'vp': {
      const then = f.then;
      return u.emails.some((e) => evalSub(f.cond, e) && (!then || evalSub({ k: 'cmp', ...then }, e)));
    }
  }
}

interface Style {
  /** Attribute names, operators and keywords as written: random case. */
  word: (w: string) => string;
  /** Whether to qualify `department` with the enterprise URN. */
  urn: boolean;
}

function renderSub(f: Sub, s: Style): string {
  switch (f.k) {
    case 'cmp':
      return `${s.word(f.sub)} ${s.word(f.op)} ${JSON.stringify(f.value)}`;
    case 'pr':
      return `${s.word(f.sub)} ${s.word('pr')}`;
    case 'and':
    case 'or':
      return `(${renderSub(f.l, s)}) ${s.word(f.k)} (${renderSub(f.r, s)})`;
    case 'not':
      return `${s.word('not')} (${renderSub(f.f, s)})`;
  }
}

function renderAttr(attr: Attr, s: Style): string {
  if (attr === 'department' && s.urn) return `${ENTERPRISE}:${s.word('department')}`;
  return attr
    .split('.')
    .map((part) => s.word(part))
    .join('.');
}

function render(f: F, s: Style): string {
  switch (f.k) {
    case 'cmp':
      return `${renderAttr(f.attr, s)} ${s.word(f.op)} ${JSON.stringify(f.value)}`;
    case 'bool':
      return `${s.word('active')} ${s.word(f.op)} ${String(f.value)}`;
    case 'pr':
      return `${renderAttr(f.attr, s)} ${s.word('pr')}`;
    case 'and':
    case 'or':
      return `(${render(f.l, s)}) ${s.word(f.k)} (${render(f.r, s)})`;
    case 'not':
      return `${s.word('not')} (${render(f.f, s)})`;
    case 'vp':
      return `${s.word('emails')}[${renderSub(f.cond, s)}]${f.then ? `.${s.word(f.then.sub)} ${s.word(f.then.op)} ${JSON.stringify(f.then.value)}` : ''}`;
  }
}

/** Nesting of parentheses and brackets as rendered, to stay within the engine's limit of 10. */
function nesting(rendered: string): number {
  let depth = 0;
  let max = 0;
  let quoted = false;
  for (let i = 0; i < rendered.length; i++) {
    const c = rendered[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']') depth--;
  }
  return max;
}

const style: fc.Arbitrary<Style> = fc.record({ seed: fc.integer(), urn: fc.boolean() }).map(({ seed, urn }) => {
  let state = seed | 0;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    return (state >>> 16) & 1;
  };
  return { urn, word: (w: string) => [...w].map((c) => (next() ? c.toUpperCase() : c.toLowerCase())).join('') };
});

describe('filters against a reference evaluator (fast-check)', () => {
  test('random filters on random users agree with the reference', () => {
    fc.assert(
      fc.property(fc.array(modelUser, { minLength: 1, maxLength: 4 }), filterTree, style, (users, tree, s) => {
        const rendered = render(tree, s);
        fc.pre(nesting(rendered) <= 10 && rendered.length <= 2048);
        const predicate = compileFilter(rendered, 'User');
        for (const u of users) {
          assert.equal(predicate(toDoc(u)), reference(tree, u), `${rendered}\n${JSON.stringify(u)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('and binds tighter than or, without parentheses', () => {
    const leaf = fc.record({ k: fc.constant('cmp' as const), attr: stringAttr, op: fc.constantFrom<StringOp>('eq', 'co', 'sw'), value: text });
    fc.assert(
      fc.property(modelUser, leaf, leaf, leaf, fc.constantFrom('and', 'or'), fc.constantFrom('and', 'or'), style, (u, a, b, c, op1, op2, s) => {
        const rendered = `${render(a, s)} ${s.word(op1)} ${render(b, s)} ${s.word(op2)} ${render(c, s)}`;
        const [x, y, z] = [reference(a, u), reference(b, u), reference(c, u)];
        let expected: boolean;
        if (op1 === 'and' && op2 === 'and') expected = x && y && z;
        else if (op1 === 'or' && op2 === 'or') expected = x || y || z;
        else if (op1 === 'and') expected = (x && y) || z;
        else expected = x || (y && z);
        assert.equal(compileFilter(rendered, 'User')(toDoc(u)), expected, rendered);
      }),
      { numRuns: 1500 },
    );
  });

  test('equalityLookup answers exactly for a single eq on userName/externalId/displayName/id, and agrees with the predicate', () => {
    fc.assert(
      fc.property(modelUser, fc.constantFrom('userName', 'externalId', 'displayName', 'id', 'title', 'emails.value'), text, style, (u, attr, value, s) => {
        const filter = `${renderAttr(attr, s)} ${s.word('eq')} ${JSON.stringify(value)}`;
        const lookup = equalityLookup(filter, 'User');
        if (['title', 'emails.value'].includes(attr)) {
          assert.equal(lookup, null);
          return;
        }
        assert.ok(lookup);
        assert.equal(lookup.attribute, attr);
        assert.equal(lookup.value, value);
        assert.equal(lookup.caseExact, CASE_EXACT[attr as Attr]);
        const stored = attr === 'id' ? u.id : (u[attr as 'userName'] as string | undefined);
        const viaLookup = stored !== undefined && (lookup.caseExact ? stored === value : stored.toLowerCase() === value.toLowerCase());
        assert.equal(compileFilter(filter, 'User')(toDoc(u)), viaLookup, filter);
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// PATCH of users against a model of attribute maps

type Simple = 'title' | 'nickName' | 'displayName' | 'name.givenName' | 'name.familyName' | 'department';
const SIMPLE: Simple[] = ['title', 'nickName', 'displayName', 'name.givenName', 'name.familyName', 'department'];
interface UserModel {
  simple: Map<Simple, string>;
  active: boolean | undefined;
  /** type -> value: at most one email per type, created by value-filter paths. */
  emails: Map<string, string>;
}
type Expectation = { apply: (m: UserModel) => void } | { error: 'noTarget' };
interface GeneratedOp {
  op: Record<string, unknown>;
  expect: (m: UserModel) => Expectation;
}

const opName = (name: 'add' | 'replace' | 'remove') => fc.constantFrom(name, name[0]!.toUpperCase() + name.slice(1), name.toUpperCase());

function pathOf(attr: Simple, urn: boolean): string {
  return attr === 'department' ? (urn ? `${ENTERPRISE}:department` : 'department') : attr;
}

/** A path-less value object setting `attr`: dotted keys (Entra), nested objects (Okta), the extension object. */
function valueObject(attr: Simple, value: string, form: number): Record<string, unknown> {
  if (attr === 'department') return form % 2 === 0 ? { [ENTERPRISE]: { department: value } } : { [`${ENTERPRISE}:department`]: value };
  if (attr.startsWith('name.')) {
    const sub = attr.slice(5);
    return form % 2 === 0 ? { name: { [sub]: value } } : { [attr]: value };
  }
  return { [attr]: value };
}

const setSimple: fc.Arbitrary<GeneratedOp> = fc
  .record({ attr: fc.constantFrom(...SIMPLE), value: nonEmptyText, op: fc.constantFrom<'add' | 'replace'>('add', 'replace'), withPath: fc.boolean(), urn: fc.boolean(), form: fc.nat(3) })
  .chain(({ attr, value, op, withPath, urn, form }) =>
    opName(op).map((name) => ({
      op: withPath ? { op: name, path: pathOf(attr, urn), value } : { op: name, value: valueObject(attr, value, form) },
      expect: () => ({ apply: (m: UserModel) => void m.simple.set(attr, value) }),
    })),
  );

const removeSimple: fc.Arbitrary<GeneratedOp> = fc.record({ attr: fc.constantFrom(...SIMPLE), urn: fc.boolean() }).chain(({ attr, urn }) =>
  opName('remove').map((name) => ({ op: { op: name, path: pathOf(attr, urn) }, expect: () => ({ apply: (m: UserModel) => void m.simple.delete(attr) }) })),
);

const ACTIVE_VALUES: [unknown, boolean][] = [
  [true, true],
  [false, false],
  ['True', true],
  ['False', false],
  ['false', false],
  ['TRUE', true],
];
const setActive: fc.Arbitrary<GeneratedOp> = fc.record({ pick: fc.constantFrom(...ACTIVE_VALUES), withPath: fc.boolean() }).chain(({ pick: [raw, value], withPath }) =>
  opName('replace').map((name) => ({
    op: withPath ? { op: name, path: 'active', value: raw } : { op: name, value: { active: raw } },
    expect: () => ({ apply: (m: UserModel) => void (m.active = value) }),
  })),
);

const setEmail: fc.Arbitrary<GeneratedOp> = fc
  .record({ type: fc.constantFrom('work', 'home', 'other'), value: nonEmptyText, op: fc.constantFrom<'add' | 'replace'>('add', 'replace'), withPath: fc.boolean() })
  .chain(({ type, value, op, withPath }) =>
    opName(op).map((name) => {
      const path = `emails[type eq ${JSON.stringify(type)}].value`;
      return {
        op: withPath ? { op: name, path, value } : { op: name, value: { [path]: value } },
        expect: () => ({ apply: (m: UserModel) => void m.emails.set(type, value) }),
      };
    }),
  );

const removeEmail: fc.Arbitrary<GeneratedOp> = fc.constantFrom('work', 'home', 'other').chain((type) =>
  opName('remove').map((name) => ({
    op: { op: name, path: `emails[type eq ${JSON.stringify(type)}]` },
    expect: (m: UserModel): Expectation => (m.emails.has(type) ? { apply: (model) => void model.emails.delete(type) } : { error: 'noTarget' }),
  })),
);

const replaceEmails: fc.Arbitrary<GeneratedOp> = fc
  .uniqueArray(fc.record({ type: fc.constantFrom('work', 'home', 'other'), value: nonEmptyText }), { selector: (e) => e.type, maxLength: 3 })
  .chain((list) =>
    fc.tuple(opName('replace'), fc.boolean()).map(([name, withPath]) => ({
      op: withPath ? { op: name, path: 'emails', value: list } : { op: name, value: { emails: list } },
      expect: () => ({ apply: (m: UserModel) => void (m.emails = new Map(list.map((e) => [e.type, e.value]))) }),
    })),
  );

const userOp = fc.oneof(setSimple, removeSimple, setActive, setEmail, removeEmail, replaceEmails);

function cloneModel(m: UserModel): UserModel {
  return { simple: new Map(m.simple), active: m.active, emails: new Map(m.emails) };
}

function expectedDoc(m: UserModel): ScimDoc {
  const body: Record<string, unknown> = { schemas: [USER_URN], userName: 'ada@acme.example' };
  const name: Record<string, string> = {};
  for (const [attr, value] of m.simple) {
    if (attr === 'department') body[ENTERPRISE] = { department: value };
    else if (attr.startsWith('name.')) name[attr.slice(5)] = value;
    else body[attr] = value;
  }
  if (Object.keys(name).length > 0) body.name = name;
  if (m.active !== undefined) body.active = m.active;
  if (m.emails.size > 0) body.emails = [...m.emails].map(([type, value]) => ({ value, type }));
  return parseUserInput({ ...body, schemas: [USER_URN, ENTERPRISE] });
}

/** Emails as a type -> value map, whatever their order. */
const emailMap = (doc: ScimDoc) => new Map(((doc.emails as { type: string; value: string }[] | undefined) ?? []).map((e) => [e.type, e.value]));

describe('PATCH against a model of attribute maps (fast-check)', () => {
  test('random add/replace/remove sequences (paths, path-less values, dialects) agree with the model', () => {
    fc.assert(
      fc.property(fc.array(fc.array(userOp, { minLength: 1, maxLength: 3 }), { maxLength: 12 }), (requests) => {
        let model: UserModel = { simple: new Map(), active: undefined, emails: new Map() };
        let doc = expectedDoc(model);
        for (const ops of requests) {
          const next = cloneModel(model);
          let error: 'noTarget' | undefined;
          for (const { expect } of ops) {
            const e = expect(next);
            if ('error' in e) {
              error = e.error;
              break;
            }
            e.apply(next);
          }
          const snapshot = structuredClone(doc);
          const body = { schemas: [PATCH_OP_URN], Operations: ops.map((o) => o.op) };
          if (error) {
            assert.throws(() => applyPatch(doc, body, 'User'), (e: unknown) => e instanceof ScimError && e.scimType === error, JSON.stringify(body));
            continue;
          }
          const result = applyPatch(doc, body, 'User');
          assert.deepEqual(doc, snapshot, 'the input is not changed');
          const expected = expectedDoc(next);
          const withoutEmails = (d: ScimDoc) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'emails'));
          assert.deepEqual(withoutEmails(result.doc), withoutEmails(expected), JSON.stringify(body));
          assert.deepEqual(emailMap(result.doc), emailMap(expected), JSON.stringify(body));
          // `changed`: exactly the top-level attributes whose model value changed
          const before = expectedDoc(model);
          const keys = new Set([...Object.keys(before), ...Object.keys(expected)].filter((k) => k !== 'schemas'));
          const expectedChanged = [...keys].filter((k) => (k === 'emails' ? JSON.stringify([...emailMap(before)].sort()) !== JSON.stringify([...emailMap(expected)].sort()) : JSON.stringify(before[k]) !== JSON.stringify(expected[k])));
          assert.deepEqual([...result.changed].sort(), expectedChanged.sort(), JSON.stringify(body));
          model = next;
          doc = result.doc;
        }
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Group membership against a list of ids

const MEMBER_IDS = ['u1', 'u2', 'u3', 'U1', '2819c223-7f76-453a-919d-413861904646'];
const memberId = fc.constantFrom(...MEMBER_IDS);
type MemberOp = { body: Record<string, unknown>; apply: (members: string[]) => string[] | 'noTarget' };

const memberOps: fc.Arbitrary<MemberOp> = fc.oneof<fc.Arbitrary<MemberOp>[]>(
  // Okta and Entra add (Entra with "$ref": null); duplicates ignored
  fc.record({ ids: fc.array(memberId, { minLength: 1, maxLength: 4 }), entra: fc.boolean() }).map(({ ids, entra }) => ({
    body: { op: entra ? 'Add' : 'add', path: 'members', value: ids.map((value) => (entra ? { $ref: null, value } : { value, display: `user ${value}` })) },
    apply: (members) => [...members, ...ids.filter((id, i) => !members.includes(id) && ids.indexOf(id) === i)],
  })),
  // Entra remove: path "members" with a value list; absent members are no-ops
  fc.array(memberId, { minLength: 1, maxLength: 3 }).map((ids) => ({
    body: { op: 'Remove', path: 'members', value: ids.map((value) => ({ value })) },
    apply: (members) => members.filter((m) => !ids.includes(m)),
  })),
  // Okta remove by id filter: a no-op when not a member (Okta sends it with its adds in one request)
  memberId.map((id) => ({
    body: { op: 'remove', path: `members[value eq ${JSON.stringify(id)}]` },
    apply: (members) => members.filter((m) => m !== id),
  })),
  // remove by another filter: noTarget when nothing matches
  memberId.map((id) => ({
    body: { op: 'remove', path: `members[value eq ${JSON.stringify(id)} or value eq "nobody"]` },
    apply: (members) => (members.includes(id) ? members.filter((m) => m !== id) : 'noTarget'),
  })),
  // replace the whole list
  fc.array(memberId, { maxLength: 4 }).map((ids) => ({
    body: { op: 'replace', path: 'members', value: ids.map((value) => ({ value })) },
    apply: () => ids.filter((id, i) => ids.indexOf(id) === i),
  })),
  fc.constant<MemberOp>({ body: { op: 'remove', path: 'members' }, apply: () => [] }),
  // rename, Okta's way (id in the value): members untouched
  fc.constant<MemberOp>({ body: { op: 'replace', value: { id: 'g-1', displayName: 'Renamed' } }, apply: (members) => members }),
);

describe('group membership against a list of ids (fast-check)', () => {
  test('random Okta/Entra membership changes: same members, no duplicates, ids compared case-sensitively', () => {
    fc.assert(
      fc.property(fc.array(memberId, { maxLength: 4 }), fc.array(memberOps, { maxLength: 15 }), (initial, ops) => {
        let members = initial.filter((id, i) => initial.indexOf(id) === i);
        let doc = parseGroupInput({ schemas: [GROUP_URN], displayName: 'Engineering', members: initial.map((value) => ({ value })) });
        assert.deepEqual(groupSummary(doc).memberIds, members);
        for (const op of ops) {
          const expected = op.apply(members);
          const body = { schemas: [PATCH_OP_URN], Operations: [op.body] };
          if (expected === 'noTarget') {
            assert.throws(() => applyPatch(doc, body, 'Group'), (e: unknown) => e instanceof ScimError && e.scimType === 'noTarget');
            continue;
          }
          const result = applyPatch(doc, body, 'Group');
          assert.deepEqual(groupSummary(result.doc).memberIds, expected, JSON.stringify(op.body));
          const idsChanged = JSON.stringify([...members].sort()) !== JSON.stringify([...expected].sort());
          // add and remove touch membership only; a replace may also change a member's display
          if (idsChanged || !/^replace$/i.test(String(op.body.op)) || op.body.path === undefined) assert.equal(result.changed.includes('members'), idsChanged, JSON.stringify(op.body));
          members = expected;
          doc = result.doc;
        }
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Fuzz: a result or a ScimError, never another exception

function resultOrScimError(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    assert.ok(error.status === 400 || error.status === 413, `${error.status} ${error.detail}`);
    assert.ok(error.detail.length > 0);
  }
}

const user = parseUserInput({ schemas: [USER_URN, ENTERPRISE], userName: 'ada@acme.example', emails: [{ value: 'ada@acme.example', type: 'work', primary: true }], [ENTERPRISE]: { department: 'R&D' } });
const group = parseGroupInput({ schemas: [GROUP_URN], displayName: 'Engineering', members: [{ value: 'u1' }] });

const PATH_PIECES = ['emails', 'members', 'name', 'givenName', 'value', 'type', 'active', 'userName', 'groups', 'id', 'meta', ENTERPRISE, 'manager', '.', ':', '[', ']', '].', '"', '\\', ' eq ', ' and ', ' or ', 'not', '(', ')', '"work"', 'pr', 'x', ' '];
const pathString = fc.array(fc.constantFrom(...PATH_PIECES), { maxLength: 10 }).map((p) => p.join(''));

describe('fuzz: hostile inputs end in a result or a ScimError (fast-check)', () => {
  test('random JSON as a User or Group body', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => {
        resultOrScimError(() => parseUserInput(body));
        resultOrScimError(() => parseGroupInput(body));
        resultOrScimError(() => parseUserInput({ schemas: [USER_URN], userName: 'a', ...(typeof body === 'object' && body !== null && !Array.isArray(body) ? body : { name: body }) }));
      }),
      { numRuns: 2000 },
    );
  });

  test('random JSON and random operations as a PATCH body', () => {
    const operation = fc.record(
      {
        op: fc.oneof(fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'REMOVE', 'merge', ''), fc.jsonValue({ maxDepth: 1 })),
        path: fc.oneof(pathString, fc.jsonValue({ maxDepth: 1 })),
        value: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(operation, { maxLength: 5 }), (raw, operations) => {
        resultOrScimError(() => applyPatch(user, raw, 'User'));
        resultOrScimError(() => applyPatch(user, { schemas: [PATCH_OP_URN], Operations: operations }, 'User'));
        resultOrScimError(() => applyPatch(group, { schemas: [PATCH_OP_URN], Operations: operations }, 'Group'));
      }),
      { numRuns: 3000 },
    );
  });

  test('random filter strings (tokens and any characters)', () => {
    const PIECES = ['userName', 'emails', 'members', 'value', 'type', ENTERPRISE, ':department', '.', '[', ']', '].', '(', ')', '"', '\\', '"a"', '"x\\"y"', ' ', ' eq ', ' ne ', ' co ', ' gt ', ' pr', ' and ', ' or ', 'not ', 'true', 'null', '1', '-2.5e3', "'", ';', '--', '*', '\n', '\u0000', 'é'];
    const filterString = fc.oneof(fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }).map((p) => p.join('')), fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }));
    const doc = { ...user, id: 'id-1' };
    fc.assert(
      fc.property(filterString, fc.constantFrom<'User' | 'Group'>('User', 'Group'), (filter, kind) => {
        resultOrScimError(() => {
          const predicate = compileFilter(filter, kind);
          assert.equal(typeof predicate(kind === 'User' ? doc : { ...group, id: 'g-1' }), 'boolean');
        });
        resultOrScimError(() => equalityLookup(filter, kind));
      }),
      { numRuns: 5000 },
    );
  });
});
