/// <reference types="node" />
/**
 * Our service provider's request-signing key pairs, one per connection (as WorkOS and Scalekit
 * give each connection its own SP certificate): an IdP that trusts one connection's certificate
 * cannot be sent requests signed for another customer's connection, and one connection's key can
 * be replaced without touching the others.
 *
 * Kept like the simulators' keys (`../simulator/keys.ts`): the database's `keys` table, the
 * private key sealed with the SecretBox (re-sealed by a secret-key rotation with every other
 * row), generated on first use (the connection's SP metadata or its first signed request) by
 * one instance even when several start it together. The row's name is derived from the
 * organization and connection ids (connection ids are unique only within an organization).
 */
import { createHash } from 'node:crypto';
import { loadOrCreateKeyPair, type KeyPairStorage } from '../simulator/keys.js';
import type { SpSigningKey } from './service-provider.js';

/** The `keys` row name of a connection's SP signing key. */
export function spSigningKeyName(organizationId: string, connectionId: string): string {
  const digest = createHash('sha256').update(`${organizationId}\n${connectionId}`).digest('hex');
  return `sp-signing-${digest.slice(0, 40)}`;
}

export class SpSigningKeys {
  readonly #storage: KeyPairStorage;

  /** `storage`: the database and its SecretBox (production), or null (memory, tests). */
  constructor(storage: KeyPairStorage) {
    this.#storage = storage;
  }

  /** The connection's key pair, made on the first call (RSA 2048, self-signed, 10 years). */
  forConnection(organizationId: string, connectionId: string): Promise<SpSigningKey> {
    return loadOrCreateKeyPair(this.#storage, spSigningKeyName(organizationId, connectionId), 'CN=SAML request signing, O=sso-admin-portal');
  }
}
