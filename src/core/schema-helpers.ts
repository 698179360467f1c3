/**
 * Building blocks of the contract's valibot schemas (`model.ts`, `rest-contract.ts`) where
 * valibot's own would answer differently from the contract's rules: arrays are not objects, a
 * missing key reports its field's own message, an array that is too long reports only that, a
 * failed whole-number check stops the checks after it, and URLs are read the WHATWG way.
 *
 * Internal: not part of the package's exports.
 */
import * as v from 'valibot';

/** The message of an issue whose schema names none (objects, unions, plain strings...). */
export const INVALID = 'Invalid input';

type Run = (dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) => v.OutputDataset<unknown, v.BaseIssue<unknown>>;
type Action = v.GenericValidation;

/**
 * `schema` whose run goes through `run` first (the copy keeps the rest: entries, pipe, JSON Schema;
 * its Standard Schema `validate` runs the copy).
 */
// @__NO_SIDE_EFFECTS__
function around<S extends v.GenericSchema>(schema: S, run: (dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>, next: Run) => v.OutputDataset<unknown, v.BaseIssue<unknown>>): S {
  const next: Run = schema['~run'];
  return v._standardSchema({
    ...schema,
    '~run'(dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) {
      // `this`: the schema that runs, e.g. a copy made by `v.partial` or `v.omit` with other entries.
      return run(dataset, config, (d, c) => next.call(this, d, c));
    },
  });
}

/** Arrays are not objects (nor records): validated as if nothing had been given. */
// @__NO_SIDE_EFFECTS__
export function notArray<S extends v.GenericSchema>(schema: S): S {
  return around(schema, (dataset, config, next) => next(Array.isArray(dataset.value) ? { value: undefined } : dataset, config));
}

/** The message of `schema` for a missing value (its first issue). */
const missingMessage = (schema: v.GenericSchema): string => v.safeParse(schema, undefined, { message: INVALID }).issues?.[0].message ?? INVALID;

/**
 * An object: unknown keys are dropped; a missing key reports its field's message for a missing
 * value (e.g. "must be text"), not an object-level one; an array is not an object.
 */
// @__NO_SIDE_EFFECTS__
export function object<const E extends v.ObjectEntries>(entries: E): v.ObjectSchema<E, (issue: v.ObjectIssue) => string> {
  return notArray(
    v.object(entries, (issue: v.ObjectIssue) => {
      const item = issue.path?.[0];
      return item?.origin === 'key' ? missingMessage(entries[item.key as string]!) : INVALID;
    }),
  );
}

/** A record (string keys); an array is not one. */
// @__NO_SIDE_EFFECTS__
export function record<V extends v.GenericSchema>(value: V) {
  return notArray(v.record(v.string(), value, INVALID));
}

/** A piped array schema that checks its maximum length before its items: a longer array reports only that. */
// @__NO_SIDE_EFFECTS__
export function lengthFirst<S extends v.GenericSchema & { readonly pipe: readonly unknown[] }>(schema: S): S {
  const max = schema.pipe.find((item) => (item as Action).type === 'max_length') as v.MaxLengthAction<unknown[], number, string>;
  return around(schema, (dataset, config, next) =>
    Array.isArray(dataset.value) && dataset.value.length > max.requirement ? max['~run']({ typed: true, value: dataset.value }, config) : next(dataset, config),
  );
}

/**
 * A string schema whose length checks also run on a value of another type that has a length (an
 * array), after the type's issue, as zod's did: `[]` for an id is "must be an id" and "must not be
 * empty".
 */
// @__NO_SIDE_EFFECTS__
export function withLengthChecks<S extends v.GenericSchema & { readonly pipe: readonly unknown[] }>(schema: S): S {
  const checks = schema.pipe.filter((item) => ['min_length', 'max_length'].includes((item as Action).type)) as Action[];
  return around(schema, (dataset, config, next) => {
    const value = dataset.value as { length?: unknown } | null | undefined;
    const out = next(dataset, config);
    if (typeof value === 'string' || value == null || value.length === undefined) return out;
    for (const check of checks) {
      // A length that is not a number fails both checks (zod compared it; valibot would let it pass).
      const length = Number.isNaN(Number(value.length)) ? (check.type === 'min_length' ? -Infinity : Infinity) : value.length;
      check['~run']({ typed: true, value: { length }, issues: out.issues } as v.OutputDataset<unknown, v.BaseIssue<unknown>>, config);
    }
    return out;
  });
}

/** `action`, but once it reports an issue the checks after it in the pipe are skipped. */
// @__NO_SIDE_EFFECTS__
export function stopOnIssue<A extends Action>(action: A): A {
  return {
    ...action,
    '~run'(dataset: v.OutputDataset<unknown, v.BaseIssue<unknown>>, config: v.Config<v.BaseIssue<unknown>>) {
      const before = dataset.issues?.length ?? 0;
      const out = action['~run'](dataset, config) as { typed: boolean; issues?: unknown[] };
      if ((out.issues?.length ?? 0) > before) out.typed = false;
      return out;
    },
  };
}

/** A safe integer ("whole number"); the checks after it run only on one. */
// @__NO_SIDE_EFFECTS__
export function wholeNumber(message?: string) {
  return v.pipe(v.number(message), stopOnIssue(v.safeInteger(message)));
}

/** A finite number; the checks after it run only on one. */
// @__NO_SIDE_EFFECTS__
export function finiteNumber(message?: string) {
  return v.pipe(v.number(message), stopOnIssue(v.finite(message)));
}

const ASCII_TAB_OR_NEWLINE = /[\t\n\r]/g;

/**
 * An absolute http(s) URL, read as browsers read it (`new URL`): `http://` or `https://` first
 * (so not `http:example.com`), surrounding spaces trimmed, and tabs and newlines removed, as the
 * URL parser removes them. Type `url`: JSON Schema `format: uri`.
 */
// @__NO_SIDE_EFFECTS__
export function httpUrl(message: string): v.BaseValidation<string, string, v.UrlIssue<string>> & { readonly message: string } {
  return {
    kind: 'validation',
    type: 'url',
    reference: httpUrl,
    expects: null,
    async: false,
    message,
    '~run'(dataset, config) {
      if (dataset.typed) {
        const trimmed = dataset.value.trim();
        let ok = /^https?:\/\//i.test(trimmed);
        if (ok) {
          try {
            ok = /^https?:$/.test(new URL(trimmed).protocol);
          } catch {
            ok = false;
          }
        }
        if (ok) dataset.value = trimmed.replace(ASCII_TAB_OR_NEWLINE, '');
        else v._addIssue(this as never, 'URL', dataset, config);
      }
      return dataset;
    },
  };
}
