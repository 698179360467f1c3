/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/): a secret `whsec_<base64>`,
 * and per message the headers `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256(secret bytes, "<id>.<timestamp>.<body>")>`.
 *
 * WebCrypto only (Node 20+, browsers, edge runtimes): the server signs with it, and a host's
 * verification (the admin SDK's `verifyWebhook`) can reuse it.
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64Decode(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${base64Encode(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The key bytes of a `whsec_...` secret (the prefix is optional, as in the Standard Webhooks libraries). */
export function webhookSecretBytes(secret: string): Uint8Array<ArrayBuffer> {
  return base64Decode(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret);
}

/** HMAC-SHA256 with the secret's `key` bytes over `<id>.<timestamp>.<body>`: what `v1` signs (and `verifyWebhook` checks). */
export async function webhookMac(key: Uint8Array<ArrayBuffer>, id: string, timestamp: number | string, body: string | Uint8Array): Promise<Uint8Array> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const signed = new Uint8Array(prefix.length + bytes.length);
  signed.set(prefix);
  signed.set(bytes, prefix.length);
  const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, signed));
}

/** `v1,<signature>` of one message. `timestamp` in unix seconds. */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  return `v1,${base64Encode(await webhookMac(webhookSecretBytes(secret), id, timestamp, body))}`;
}

/** The three headers of a signed message. */
export async function webhookHeaders(secret: string, id: string, timestamp: number, body: string): Promise<Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': await signWebhook(secret, id, timestamp, body) };
}
