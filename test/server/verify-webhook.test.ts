/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * `verifyWebhook` of `sso-admin-portal/admin` (issue 13 point 2): Standard Webhooks signatures
 * made by the `standardwebhooks` package (its `Webhook.sign`) pass, anything else fails with a
 * stable code; the headers as a `Headers` or a plain object, the payload as text or bytes.
 *
 * Run: node --import tsx --test --test-reporter=spec test/server/verify-webhook.test.ts
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { PortalError, verifyWebhook, WEBHOOK_TOLERANCE_SECONDS, type WebhookHeaders } from '../../src/admin/index.js';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const NOW = new Date('2026-12-05T12:00:00.000Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The headers the `standardwebhooks` package makes for `payload`. */
function signed(payload: string, { id = 'msg_2Kx1', at = NOW, secret = SECRET } = {}) {
  return { 'webhook-id': id, 'webhook-timestamp': String(seconds(at)), 'webhook-signature': new Webhook(secret).sign(id, at, payload) };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<PortalError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PortalError, `not a PortalError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`resolved; expected ${code}`);
}

const EVENT = { id: 'evt_1', type: 'connection.activated', timestamp: NOW.toISOString(), data: { connection: { id: 'conn_1', name: 'Okta – Zoë’s team ☃' } } };
const PAYLOAD = JSON.stringify(EVENT);

describe('verifyWebhook', () => {
  test('a webhook signed by standardwebhooks passes and its payload is returned, parsed', async () => {
    assert.deepEqual(await verifyWebhook(PAYLOAD, signed(PAYLOAD), SECRET, { now: NOW }), EVENT);
  });

  test('headers as a Headers, or as an object in any letter case (Node: arrays too); the payload as text, bytes or an ArrayBuffer', async () => {
    const headers = signed(PAYLOAD);
    const bytes = new TextEncoder().encode(PAYLOAD);
    const forms: WebhookHeaders[] = [
      new Headers(headers),
      { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'], 'webhook-Signature': [headers['webhook-signature']] },
    ];
    for (const form of forms) assert.deepEqual(await verifyWebhook(PAYLOAD, form, SECRET, { now: NOW }), EVENT);
    assert.deepEqual(await verifyWebhook(bytes, headers, SECRET, { now: NOW }), EVENT);
    assert.deepEqual(await verifyWebhook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), headers, SECRET, { now: NOW }), EVENT);
    assert.deepEqual(await verifyWebhook(Buffer.from(PAYLOAD), headers, SECRET, { now: NOW }), EVENT);
  });

  test('several signatures (a secret being rotated): one that matches is enough; other schemes are skipped', async () => {
    const headers = signed(PAYLOAD);
    const old = new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign(headers['webhook-id'], NOW, PAYLOAD);
    const signature = `${old} v1a,${randomBytes(64).toString('base64')} v1,not-base64!! ${headers['webhook-signature']}`;
    assert.deepEqual(await verifyWebhook(PAYLOAD, { ...headers, 'webhook-signature': signature }, SECRET, { now: NOW }), EVENT);
    // The secret without its prefix is the same key.
    assert.deepEqual(await verifyWebhook(PAYLOAD, headers, SECRET.slice('whsec_'.length), { now: NOW }), EVENT);
  });

  test('a changed payload, id or timestamp, another secret, or only other schemes: webhook_signature_invalid', async () => {
    const headers = signed(PAYLOAD);
    const cases: [string, Record<string, string>, string][] = [
      [PAYLOAD.replace('conn_1', 'conn_2'), headers, SECRET],
      [`${PAYLOAD} `, headers, SECRET],
      [PAYLOAD, { ...headers, 'webhook-id': 'msg_other' }, SECRET],
      [PAYLOAD, { ...headers, 'webhook-timestamp': String(seconds(NOW) - 1) }, SECRET],
      [PAYLOAD, headers, `whsec_${randomBytes(24).toString('base64')}`],
      [PAYLOAD, { ...headers, 'webhook-signature': headers['webhook-signature'].replace('v1,', 'v1a,') }, SECRET],
      [PAYLOAD, { ...headers, 'webhook-signature': headers['webhook-signature'].slice(0, -4) }, SECRET],
      [PAYLOAD, { ...headers, 'webhook-signature': 'v1,' }, SECRET],
    ];
    for (const [payload, given, secret] of cases) {
      const error = await rejectsWith(verifyWebhook(payload, given, secret, { now: NOW }), 'webhook_signature_invalid');
      assert.equal(error.message, 'No webhook-signature matches the payload with this secret.');
    }
  });

  test('a timestamp 5 minutes away passes; further, either way, or not a number: webhook_timestamp_out_of_range', async () => {
    const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);
    assert.equal(WEBHOOK_TOLERANCE_SECONDS, 300);
    for (const offset of [-300, 300]) assert.deepEqual(await verifyWebhook(PAYLOAD, signed(PAYLOAD, { at: at(offset) }), SECRET, { now: NOW }), EVENT);
    const old = await rejectsWith(verifyWebhook(PAYLOAD, signed(PAYLOAD, { at: at(-301) }), SECRET, { now: NOW }), 'webhook_timestamp_out_of_range');
    assert.match(old.message, /signed 301 seconds ago; at most 300 seconds either way/);
    const future = await rejectsWith(verifyWebhook(PAYLOAD, signed(PAYLOAD, { at: at(301) }), SECRET, { now: NOW.getTime() }), 'webhook_timestamp_out_of_range');
    assert.match(future.message, /301 seconds in the future/);
    for (const timestamp of ['soon', '1e9', '-1', '1764936000.5']) {
      const headers = { ...signed(PAYLOAD), 'webhook-timestamp': timestamp };
      const error = await rejectsWith(verifyWebhook(PAYLOAD, headers, SECRET, { now: NOW }), 'webhook_timestamp_out_of_range');
      assert.match(error.message, /not a time in seconds/);
    }
    // The tolerance can be narrowed.
    await rejectsWith(verifyWebhook(PAYLOAD, signed(PAYLOAD, { at: at(-61) }), SECRET, { now: NOW, toleranceSeconds: 60 }), 'webhook_timestamp_out_of_range');
  });

  test('a missing or empty header: webhook_headers_missing naming it', async () => {
    const headers = signed(PAYLOAD);
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      for (const value of [undefined, '', '  ']) {
        const given = { ...headers, [name]: value };
        const error = await rejectsWith(verifyWebhook(PAYLOAD, given, SECRET, { now: NOW }), 'webhook_headers_missing');
        assert.equal(error.message, `The webhook request has no ${name} header.`);
        assert.deepEqual(error.details, { missing: [name] });
      }
    }
    const none = await rejectsWith(verifyWebhook(PAYLOAD, new Headers(), SECRET, { now: NOW }), 'webhook_headers_missing');
    assert.deepEqual(none.details, { missing: ['webhook-id', 'webhook-timestamp', 'webhook-signature'] });
  });

  test('a secret that is not base64 (or empty): webhook_secret_invalid, before anything else', async () => {
    for (const secret of ['', 'whsec_', 'whsec_not base64!', 'whsec_abc']) {
      const error = await rejectsWith(verifyWebhook(PAYLOAD, {}, secret), 'webhook_secret_invalid');
      assert.match(error.message, /"whsec_" followed by base64/);
    }
  });

  test('signed but not JSON: webhook_payload_invalid', async () => {
    for (const payload of ['not json', '']) {
      await rejectsWith(verifyWebhook(payload, signed(payload), SECRET, { now: NOW }), 'webhook_payload_invalid');
    }
  });

  test('agrees with standardwebhooks on any payload, id and secret (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.stringMatching(/^msg_[A-Za-z0-9]{1,24}$/),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 0, max: 199 }),
        async (text, id, key, flip) => {
          const payload = JSON.stringify({ text });
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = signed(payload, { id, secret });
          assert.deepEqual(await verifyWebhook(payload, headers, secret, { now: NOW }), { text });
          // One byte changed anywhere in the payload: both refuse it.
          const bytes = new TextEncoder().encode(payload);
          bytes[flip % bytes.length]! ^= 1;
          assert.throws(() => new Webhook(secret).verify(Buffer.from(bytes), headers));
          await rejectsWith(verifyWebhook(bytes, headers, secret, { now: NOW }), 'webhook_signature_invalid');
        },
      ),
      { numRuns: 100 },
    );
  });
});
