/**
 * Webhook endpoints and their deliveries in the database (tables of migration 0004): what the
 * admin API's webhook routes read and write. The signing secret (`whsec_...`, Standard Webhooks)
 * is made here, shown once in the answer to the creation, and stored sealed with the SecretBox
 * (`key_id` its fingerprint, re-sealed by a key rotation like client secrets).
 *
 * URLs are checked at registration without any DNS lookup (a name is checked again, resolved,
 * before every delivery: `delivery-worker.ts`): https only (http to a loopback host only where
 * loopback is allowed), no user name or password, no literal address this server does not
 * contact (private, link-local, ...; loopback only where allowed).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { PortalError } from '../../core/errors.js';
import { isLoopbackHostname } from '../../core/loopback.js';
import { newWebhookSecret } from '../../core/webhook-signature.js';
import type { DatabaseSchema, DeliveryAnswer, WebhookDeliveriesTable, WebhookEndpointsTable } from '../db/schema.js';
import { vetUrl } from '../safe-fetch.js';
import type { SecretBox } from '../secret-box.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  lastSuccessAt: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastAnswer: DeliveryAnswer | null;
  createdAt: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const endpointFromRow = (row: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  disabledAt: iso(row.disabled_at),
  lastSuccessAt: iso(row.last_success_at),
  createdAt: row.created_at.toISOString(),
});

const deliveryFromRow = (row: Selectable<WebhookDeliveriesTable> & { type: string }): WebhookDelivery => ({
  id: row.id,
  eventId: row.event_id,
  eventType: row.type,
  endpointId: row.endpoint_id,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: iso(row.next_attempt_at),
  lastAttemptAt: iso(row.last_attempt_at),
  lastAnswer: row.last_answer,
  createdAt: row.created_at.toISOString(),
});

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;

/** A `validation_failed` about the URL, with the reason a program can switch on (`details.reason`). */
function badUrl(message: string, reason: string): PortalError {
  return new PortalError('validation_failed', {
    message: `Webhook endpoint is not valid: url: ${message}`,
    details: { reason, issues: [{ path: 'url', message }] },
  });
}

/** Thrown by the resolver of the registration check: a name is looked up at delivery time, not now. */
class NotResolvedNow extends Error {}

/**
 * Checks a webhook URL at registration (no DNS): the normalised URL, or a `validation_failed`
 * whose `details.reason` is `invalid_url`, `scheme`, `credentials`, `fragment` or the kind of
 * address refused (`loopback`, `private`, `link_local`, ...).
 */
export async function checkWebhookUrl(input: string, allowLoopback: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw badUrl('must be a valid https:// URL', 'invalid_url');
  }
  if (url.hash) throw badUrl('must not have a fragment (#...)', 'fragment');
  try {
    await vetUrl(url, {
      allowLoopback,
      noun: 'webhook URL',
      remedy: 'Use a public https:// URL.',
      // Only loopback names are known without DNS; other names are resolved before each delivery.
      resolve: (hostname) => (isLoopbackHostname(hostname) ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : Promise.reject(new NotResolvedNow())),
      refuse: (message, reason) => badUrl(message.replace(/^The webhook URL /, ''), reason),
      fail: (_message, init) => (init?.cause instanceof NotResolvedNow ? init.cause : new Error(_message)),
    });
  } catch (error) {
    if (!(error instanceof NotResolvedNow)) throw error;
  }
  return url.toString();
}

export class WebhookStore {
  #db: Kysely<DatabaseSchema>;
  #box: SecretBox;
  #now: () => Date;

  constructor(db: Kysely<DatabaseSchema>, secrets: SecretBox, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#box = secrets;
    this.#now = now;
  }

  /** Registers an endpoint; the answer carries its secret, the only time it is shown. */
  async create(input: { url: string; eventTypes?: string[] | null; description?: string }, allowLoopback: boolean): Promise<WebhookEndpoint & { secret: string }> {
    const url = await checkWebhookUrl(input.url, allowLoopback);
    const secret = newWebhookSecret();
    const row = await this.#db
      .insertInto('webhook_endpoints')
      .values({
        id: newId('whep'),
        url,
        description: input.description ?? null,
        event_types: eventTypesValue(input.eventTypes),
        secret_ciphertext: this.#box.seal(secret),
        key_id: this.#box.keyId,
        created_at: this.#now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...endpointFromRow(row), secret };
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.#db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute()).map(endpointFromRow);
  }

  async get(id: string): Promise<WebhookEndpoint> {
    const row = await this.#db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return endpointFromRow(row);
  }

  async update(id: string, patch: { url?: string; eventTypes?: string[] | null; description?: string | null; enabled?: boolean }, allowLoopback: boolean): Promise<WebhookEndpoint> {
    const url = patch.url === undefined ? undefined : await checkWebhookUrl(patch.url, allowLoopback);
    const values: Record<string, unknown> = {};
    if (url !== undefined) values.url = url;
    if (patch.eventTypes !== undefined) values.event_types = eventTypesValue(patch.eventTypes);
    if (patch.description !== undefined) values.description = patch.description;
    if (patch.enabled === true) Object.assign(values, { enabled: true, disabled_reason: null, disabled_at: null });
    if (patch.enabled === false) Object.assign(values, { enabled: false, disabled_reason: 'Disabled by the host.', disabled_at: this.#now() });
    const row = Object.keys(values).length
      ? await this.#db.updateTable('webhook_endpoints').set(values).where('id', '=', id).returningAll().executeTakeFirst()
      : await this.#db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return endpointFromRow(row);
  }

  async delete(id: string): Promise<void> {
    const row = await this.#db.deleteFrom('webhook_endpoints').where('id', '=', id).returning('id').executeTakeFirst();
    if (!row) throw notFound(id);
  }

  /** An endpoint's deliveries, newest first. */
  async deliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]> {
    await this.get(endpointId);
    const rows = await this.#db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select('e.type')
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('d.created_at', 'desc')
      .orderBy('e.seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map(deliveryFromRow);
  }

  async delivery(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.#db.selectFrom('webhook_deliveries as d').innerJoin('events as e', 'e.id', 'd.event_id').selectAll('d').select('e.type').where('d.id', '=', id).executeTakeFirst();
    return row && deliveryFromRow(row);
  }

  /** Sends a delivery again as soon as a worker runs: due now, its retries start over. `conflict` while its endpoint is disabled. */
  async resend(id: string): Promise<WebhookDelivery> {
    const found = await this.#db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .select(['d.id', 'w.enabled', 'w.id as endpoint_id'])
      .where('d.id', '=', id)
      .executeTakeFirst();
    if (!found) throw new PortalError('not_found', { message: 'This delivery does not exist.', details: { id } });
    if (!found.enabled) {
      throw new PortalError('conflict', { message: 'The endpoint of this delivery is disabled: enable it first, then resend.', details: { reason: 'endpoint_disabled', endpointId: found.endpoint_id } });
    }
    await this.#db.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: this.#now() }).where('id', '=', id).execute();
    return (await this.delivery(id))!;
  }
}

const notFound = (id: string) => new PortalError('not_found', { message: 'This webhook endpoint does not exist.', details: { id } });

/** The `event_types` column: a JSON array (sorted, without repeats), or SQL null for every type. */
const eventTypesValue = (types: readonly string[] | null | undefined) => (types ? sql<string[]>`${JSON.stringify([...new Set(types)].sort())}::jsonb` : null);
