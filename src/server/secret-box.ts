/// <reference types="node" />
/**
 * Secrets at rest (OIDC client secrets, private keys): AES-256-GCM with a 32-byte key, written
 * as `enc:v1:<iv>.<tag>.<data>` (base64url), the format the JSON store has always used. Each
 * sealed value is stored with the `keyId` of the key that sealed it (a fingerprint, not the key),
 * so rows sealed under an older key are found and re-sealed when the key is rotated.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SEALED_PREFIX = 'enc:v1:';

export interface SecretBox {
  /** Fingerprint of the key: the first 16 hex digits of SHA-256 over `sso-portal-secret-key:` + key. */
  readonly keyId: string;
  seal(plain: string): string;
  /** The plain text; throws {@link SecretBoxError} when the value was not sealed with this key (or was altered). */
  open(sealed: string): string;
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update('sso-portal-secret-key:').update(key).digest('hex').slice(0, 16);
}

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new SecretBoxError(`A secret key is 32 bytes, not ${key.length}.`);
  const k = Buffer.from(key);
  return {
    keyId: keyIdOf(k),
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${SEALED_PREFIX}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')}`;
    },
    open(sealed) {
      if (!sealed.startsWith(SEALED_PREFIX)) throw new SecretBoxError('The value is not a sealed secret.');
      const [iv = '', tag = '', data = ''] = sealed.slice(SEALED_PREFIX.length).split('.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new SecretBoxError('A stored secret cannot be decrypted with this key (was the key replaced?).', { cause: error });
      }
    },
  };
}
