/**
 * SCIM 2.0 errors (RFC 7644 §3.12): what every function of the SCIM engine throws on bad input.
 *
 * The engine (`src/server/scim/`) is pure: no database, no HTTP. The routes turn a `ScimError` into
 * a response with `scimErrorBody(error)` as the JSON body (content type `application/scim+json`) and
 * `error.status` as the HTTP status. Anything else thrown by the engine is a bug.
 */

/** The `scimType` values of RFC 7644 §3.12 (table 9). */
export const SCIM_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
] as const;
export type ScimType = (typeof SCIM_TYPES)[number];

export const SCIM_ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

export class ScimError extends Error {
  override readonly name = 'ScimError';
  /** The HTTP status (400, 404, 409, 412, 413...). */
  readonly status: number;
  readonly scimType?: ScimType;
  /** Plain words for the IT admin, naming the attribute or the part of the filter at fault. */
  readonly detail: string;

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.status = status;
    if (scimType !== undefined) this.scimType = scimType;
    this.detail = detail;
  }
}

/** A 400 with a `scimType`: the common case. */
export function badRequest(scimType: ScimType, detail: string): ScimError {
  return new ScimError(400, scimType, detail);
}

/** The RFC 7644 §3.12 error document; `status` is a string, as the RFC's examples and schema have it. */
export function scimErrorBody(error: ScimError): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_URN], status: String(error.status) };
  if (error.scimType !== undefined) body.scimType = error.scimType;
  body.detail = error.detail;
  return body;
}

/** Quotes a piece of client input for an error detail: JSON-quoted and cut to `max` characters. */
export function quote(value: unknown, max = 80): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length > max) text = `${text.slice(0, max)}…`;
  return JSON.stringify(text);
}
