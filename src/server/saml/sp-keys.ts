/// <reference types="node" />
/**
 * Our service provider's key pairs, per connection (as WorkOS and Scalekit give each connection
 * its own SP certificate): one signs AuthnRequests, one receives encrypted assertions. An IdP
 * that trusts one connection's certificate cannot be sent requests signed for another customer's
 * connection, nor can one connection's assertions be opened with another's key; one connection's
 * keys can be replaced without touching the others.
 *
 * Kept like the simulators' keys (`../simulator/keys.ts`): the database's `keys` table, the
 * private key sealed with the SecretBox (re-sealed by a secret-key rotation with every other
 * row), generated on first use (the connection's SP metadata, its first signed request or
 * encrypted assertion) by one instance even when several start it together. The row's name is
 * the purpose and a digest of the organization and connection ids (connection ids are unique
 * only within an organization).
 *
 * The encryption key rotates with an overlap: {@link SpKeys.startEncryptionRollover} makes a
 * `next` key, published in the SP metadata beside the current one, and both decrypt; once the IdP
 * encrypts for the next certificate, {@link SpKeys.finishEncryptionRollover} makes it the current
 * key and drops the old one.
 */
import { createHash } from 'node:crypto';
import { loadOrCreateKeyPair, type KeyPair, type KeyPairDatabase, type KeyUsage } from '../simulator/keys.js';

/** What a connection's SP key pair is for; `encryption-next` is the encryption key of a rollover in progress. */
export type SpKeyPurpose = 'signing' | 'encryption' | 'encryption-next';

/** The `keys` row name of a connection's SP key pair for `purpose`. */
export function spKeyName(purpose: SpKeyPurpose, organizationId: string, connectionId: string): string {
  const digest = createHash('sha256').update(`${organizationId}\n${connectionId}`).digest('hex');
  return `sp-${purpose}-${digest.slice(0, 40)}`;
}


const SUBJECTS: Record<SpKeyPurpose, string> = {
  signing: 'CN=SAML request signing, O=sso-admin-portal',
  encryption: 'CN=SAML assertion encryption, O=sso-admin-portal',
  'encryption-next': 'CN=SAML assertion encryption, O=sso-admin-portal',
};

/** A connection's encryption keys: the current one, and the next one during a rollover (both decrypt). */
export interface SpEncryptionKeys {
  current: KeyPair;
  next?: KeyPair;
}

export class SpKeys {
  readonly #storage: KeyPairDatabase;

  /** `storage`: the database and its SecretBox. */
  constructor(storage: KeyPairDatabase) {
    this.#storage = storage;
  }

  #pair(purpose: SpKeyPurpose, organizationId: string, connectionId: string): Promise<KeyPair> {
    const usage: KeyUsage = purpose === 'signing' ? 'signing' : 'encryption';
    return loadOrCreateKeyPair(this.#storage, spKeyName(purpose, organizationId, connectionId), SUBJECTS[purpose], usage);
  }

  /** The connection's request-signing key pair, made on the first call (RSA 2048, self-signed, 10 years). */
  forConnection(organizationId: string, connectionId: string): Promise<KeyPair> {
    return this.#pair('signing', organizationId, connectionId);
  }

  /** The connection's encryption keys; the current one is made on the first call. */
  async encryptionKeys(organizationId: string, connectionId: string): Promise<SpEncryptionKeys> {
    const current = await this.#pair('encryption', organizationId, connectionId);
    const row = await this.#row(spKeyName('encryption-next', organizationId, connectionId));
    return row ? { current, next: row } : { current };
  }

  /** Starts a rollover: makes (or returns) the next encryption key, which decrypts from now on and is published beside the current one. */
  async startEncryptionRollover(organizationId: string, connectionId: string): Promise<KeyPair> {
    await this.#pair('encryption', organizationId, connectionId);
    return this.#pair('encryption-next', organizationId, connectionId);
  }

  /**
   * Ends a rollover: the next key becomes the current one and the old key is deleted (the IdP must
   * encrypt for the next certificate by now). False when no rollover was in progress.
   */
  async finishEncryptionRollover(organizationId: string, connectionId: string): Promise<boolean> {
    const currentName = spKeyName('encryption', organizationId, connectionId);
    const nextName = spKeyName('encryption-next', organizationId, connectionId);
    const { secrets } = this.#storage;
    return this.#storage.database.db.transaction().execute(async (trx) => {
      const next = await trx.selectFrom('keys').select(['private_key_ciphertext', 'certificate_pem']).where('name', '=', nextName).forUpdate().executeTakeFirst();
      if (!next) return false;
      const values = { private_key_ciphertext: secrets.seal(secrets.open(next.private_key_ciphertext)), key_id: secrets.keyId, certificate_pem: next.certificate_pem };
      await trx
        .insertInto('keys')
        .values({ name: currentName, ...values })
        .onConflict((oc) => oc.column('name').doUpdateSet(values))
        .execute();
      await trx.deleteFrom('keys').where('name', '=', nextName).execute();
      return true;
    });
  }

  /** Deletes every key of a connection (signing, encryption, a rollover's next): when the connection is deleted. */
  async forget(organizationId: string, connectionId: string): Promise<void> {
    const names = (['signing', 'encryption', 'encryption-next'] as const).map((purpose) => spKeyName(purpose, organizationId, connectionId));
    await this.#storage.database.db.deleteFrom('keys').where('name', 'in', names).execute();
  }

  /** The stored pair `name`, or undefined (never made here). */
  async #row(name: string): Promise<KeyPair | undefined> {
    const row = await this.#storage.database.db.selectFrom('keys').select(['private_key_ciphertext', 'certificate_pem']).where('name', '=', name).executeTakeFirst();
    return row ? { privateKeyPem: this.#storage.secrets.open(row.private_key_ciphertext), certificatePem: row.certificate_pem } : undefined;
  }
}
