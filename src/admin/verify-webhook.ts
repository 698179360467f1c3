/**
 * `verifyWebhook`: checks a webhook the SSO portal sent to the host, per the Standard Webhooks
 * scheme (https://www.standardwebhooks.com/), with WebCrypto only (Node, Deno, Workers, browsers).
 *
 * - headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature`
 *   (space-separated `v1,<base64>` entries; one that matches is enough, so a secret can rotate);
 * - the signature: HMAC-SHA256, keyed with the secret's bytes (base64 after the `whsec_`
 *   prefix), over `${id}.${timestamp}.${payload}`, compared in constant time;
 * - the timestamp within 5 minutes of now, either way (an old, captured request cannot be replayed).
 */
import { PortalError } from '../core/errors.js';
import './host-error-codes.js';
import { WEBHOOK_SECRET_PREFIX, webhookMac } from '../core/webhook-signature.js';

/** How far the timestamp may be from now, in seconds (Standard Webhooks' default). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The signing secret's prefix (the secret is the base64 after it). */

/** The request's headers: a `Headers`, or a plain object as Node's `req.headers` (any letter case). */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** Now (a Date or milliseconds since 1970; default the clock). */
  now?: Date | number;
  /** How far the timestamp may be from now, in seconds (default {@link WEBHOOK_TOLERANCE_SECONDS}). */
  toleranceSeconds?: number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 to bytes, or undefined when it is not base64. */
function base64Bytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64.test(text)) return undefined;
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Compares in a time that depends on the lengths only, never on where the bytes differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** One header's value ('' when absent); several values of one header are joined as HTTP does. */
function headerOf(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).forEach === 'function') {
    return ((headers as Headers).get(name) ?? '').trim();
  }
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(typeof value === 'string' ? [value] : value));
  }
  return values.join(', ').trim();
}

function payloadBytes(payload: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof payload === 'string') return new TextEncoder().encode(payload);
  return payload instanceof Uint8Array ? payload : new Uint8Array(payload);
}

/**
 * Verifies a webhook and returns its payload, parsed. `payload` is the request's body exactly as
 * it arrived (text or bytes: not JSON parsed and serialised again, which changes the bytes);
 * `secret` the endpoint's signing secret (`whsec_...`).
 *
 * Throws a PortalError: `webhook_secret_invalid` (the secret given is not one),
 * `webhook_headers_missing`, `webhook_timestamp_out_of_range`, `webhook_signature_invalid`,
 * `webhook_payload_invalid` (signed, but not JSON). Answer the request with 400 in each case
 * but the first.
 */
export async function verifyWebhook(
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<unknown> {
  const key = base64Bytes(typeof secret === 'string' && secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : String(secret));
  if (!key || key.length === 0) {
    throw new PortalError('webhook_secret_invalid', { message: 'The webhook signing secret is not valid: it is "whsec_" followed by base64, as it was shown when the endpoint was registered.' });
  }

  const id = headerOf(headers, 'webhook-id');
  const timestamp = headerOf(headers, 'webhook-timestamp');
  const signatures = headerOf(headers, 'webhook-signature');
  const missing = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !signatures && 'webhook-signature'].filter(Boolean);
  if (missing.length > 0) {
    throw new PortalError('webhook_headers_missing', { message: `The webhook request has no ${missing.join(', ')} header.`, details: { missing } });
  }

  const nowSeconds = Math.floor((options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime()) / 1000);
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const seconds = /^[0-9]{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (Number.isNaN(seconds)) {
    throw new PortalError('webhook_timestamp_out_of_range', { message: 'The webhook-timestamp header is not a time in seconds since 1970.' });
  }
  if (Math.abs(nowSeconds - seconds) > tolerance) {
    throw new PortalError('webhook_timestamp_out_of_range', {
      message: `The webhook was signed ${nowSeconds > seconds ? `${nowSeconds - seconds} seconds ago` : `${seconds - nowSeconds} seconds in the future`}; at most ${tolerance} seconds either way are accepted.`,
      details: { timestamp: seconds, now: nowSeconds, toleranceSeconds: tolerance },
    });
  }

  const body = payloadBytes(payload);
  const expected = await webhookMac(key, id, timestamp, body);
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue; // another scheme (v1a: asymmetric) or not a signature
    const given = base64Bytes(entry.slice(comma + 1));
    // Every entry is compared (no early exit), so the time says nothing about which one matched.
    if (given && sameBytes(given, expected)) matched = true;
  }
  if (!matched) {
    throw new PortalError('webhook_signature_invalid', { message: 'No webhook-signature matches the payload with this secret.' });
  }

  try {
    return JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(body)) as unknown;
  } catch (error) {
    throw new PortalError('webhook_payload_invalid', { message: 'The webhook is signed, but its payload is not JSON.', cause: error });
  }
}
