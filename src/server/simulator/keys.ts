/// <reference types="node" />
/**
 * Signing keys of the IdP simulators (and any SP key): an RSA 2048 key and a self-signed
 * certificate (SHA-256, 10 years), generated on first use and kept, so a connection configured
 * with the simulator's metadata keeps working across restarts:
 *
 * - in the database (`{ database, secrets, importFrom }`): the `keys` table, the private key
 *   sealed with the SecretBox. Every instance on one PostgreSQL uses the same pairs; instances
 *   starting together generate one (`INSERT ... ON CONFLICT DO NOTHING`, then read the winner).
 *   Pairs a data folder already holds (`<importFrom>/simulator/<name>.{key,crt}.pem`, written by
 *   the file storage below) are imported instead of generated, so connections that trust the
 *   old certificate keep working; the files are left as they are.
 * - in `<dataDir>/simulator/<name>.key.pem` (mode 0600) and `<name>.crt.pem` (a string): the
 *   storage before the database, kept for the import and until the server is switched over.
 * - in memory (null, tests).
 */
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import { readIfExists, removeTempFiles, writeFileAtomically } from '../atomic-file.js';
import type { DatabaseSchema } from '../db/schema.js';
import type { SecretBox } from '../secret-box.js';

export interface KeyPair {
  /** PKCS#8 PEM. Never shown in a page or a log. */
  privateKeyPem: string;
  /** The self-signed X.509 certificate, PEM. */
  certificatePem: string;
}

const VALIDITY_YEARS = 10;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

/** Key pairs in the database's `keys` table. */
export interface KeyPairDatabase {
  /** A `Database` (`../db/database.ts`) or a transaction: only `db` is used. */
  database: { readonly db: Kysely<DatabaseSchema> };
  /** Seals the private keys (`secret-key.ts`). */
  secrets: SecretBox;
  /** A data folder whose `simulator/<name>.{key,crt}.pem` pairs are imported when the table has none (null: none). */
  importFrom: string | null;
}

/** Where key pairs live: the database, a data folder (files), or null (memory). */
export type KeyPairStorage = KeyPairDatabase | string | null;

/** Keys kept in memory (null `dataDir`), per name, for the life of the process. */
const memoryKeys = new Map<string, Promise<KeyPair>>();
/** Loads in flight, per directory and name: two concurrent calls generate one pair. */
const pendingLoads = new Map<string, Promise<KeyPair>>();

/**
 * The key pair `name` (e.g. `saml-idp`) of `storage` (see the module comment), created with the
 * certificate subject `subject` (e.g. `CN=IdP Simulator`) when missing. Throws when the stored
 * key and certificate files do not belong together (someone edited them): replacing them
 * silently would break every connection that trusts the old certificate.
 */
export function loadOrCreateKeyPair(storage: KeyPairStorage, name: string, subject: string, usage: KeyUsage = 'signing'): Promise<KeyPair> {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/i.test(name)) throw new Error(`key pair name: ${JSON.stringify(name)} (letters, digits, dashes)`);
  if (storage !== null && typeof storage === 'object') return loadOrCreateStoredKeyPair(storage, name, subject, usage);
  const dataDir = storage;
  const [cache, key] = dataDir === null ? [memoryKeys, name] : [pendingLoads, join(dataDir, 'simulator', name)];
  let load = cache.get(key);
  if (!load) {
    load = dataDir === null ? generateKeyPair(subject, new Date(), usage) : loadOrCreateFiles(join(dataDir, 'simulator'), name, subject);
    cache.set(key, load);
    // Files are read again by the next call; a failure is not remembered.
    const forget = () => (dataDir === null ? undefined : cache.delete(key));
    load.then(forget, () => cache.delete(key));
  }
  return load;
}

/** A sealed key as the `keys` table holds it: the secret part (sealed) and the public part (as it is). */
export interface StoredKey {
  secret: string;
  public: string;
}

/** Loads in flight per database and name: one process generates (or imports) a key once. */
const pendingStored = new WeakMap<object, Map<string, Promise<StoredKey>>>();

/**
 * The key `name` of the `keys` table (secret part opened with `storage.secrets`); when there is
 * none, `make()` (import or generate) is inserted with `ON CONFLICT DO NOTHING` and the row read
 * again, so instances starting together all use the first one saved.
 */
export function loadOrCreateStoredKey(storage: KeyPairDatabase, name: string, make: () => Promise<StoredKey>): Promise<StoredKey> {
  let loads = pendingStored.get(storage.database.db);
  if (!loads) pendingStored.set(storage.database.db, (loads = new Map<string, Promise<StoredKey>>()));
  let load = loads.get(name);
  if (!load) {
    load = readOrInsertKey(storage, name, make);
    loads.set(name, load);
    const forget = () => loads.delete(name);
    load.then(forget, forget);
  }
  return load;
}

async function readOrInsertKey({ database, secrets }: KeyPairDatabase, name: string, make: () => Promise<StoredKey>): Promise<StoredKey> {
  const read = async () => {
    const row = await database.db.selectFrom('keys').select(['private_key_ciphertext', 'certificate_pem']).where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    try {
      return { secret: secrets.open(row.private_key_ciphertext), public: row.certificate_pem };
    } catch (error) {
      throw new Error(`The private key ${name} in the database cannot be opened with the secret key in use (${secrets.keyId}): start with the key its secrets were sealed with.`, { cause: error });
    }
  };
  const stored = await read();
  if (stored) return stored;
  const made = await make();
  await database.db
    .insertInto('keys')
    .values({ name, private_key_ciphertext: secrets.seal(made.secret), key_id: secrets.keyId, certificate_pem: made.public })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  // Another instance may have inserted first: its key is the one.
  const winner = await read();
  if (!winner) throw new Error(`The key ${name} was not saved in the database.`);
  return winner;
}

async function loadOrCreateStoredKeyPair(storage: KeyPairDatabase, name: string, subject: string, usage: KeyUsage): Promise<KeyPair> {
  const { importFrom } = storage;
  const stored = await loadOrCreateStoredKey(storage, name, async () => {
    const pair = (importFrom === null ? undefined : await readKeyFiles(join(importFrom, 'simulator'), name)) ?? (await generateKeyPair(subject, new Date(), usage));
    return { secret: pair.privateKeyPem, public: pair.certificatePem };
  });
  return { privateKeyPem: stored.secret, certificatePem: stored.public };
}

/**
 * The pair in `<dir>/<name>.{key,crt}.pem`; undefined when one of the two is missing. Throws when
 * they do not belong together (someone edited them).
 */
async function readKeyFiles(dir: string, name: string): Promise<KeyPair | undefined> {
  const keyFile = join(dir, `${name}.key.pem`);
  const certFile = join(dir, `${name}.crt.pem`);
  await Promise.all([removeTempFiles(keyFile), removeTempFiles(certFile)]);
  const [privateKeyPem, certificatePem] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (privateKeyPem === undefined || certificatePem === undefined) return undefined;
  if (!belongTogether(privateKeyPem, certificatePem)) {
    const empty = [keyFile, certFile].filter((_, i) => [privateKeyPem, certificatePem][i]!.trim() === '');
    const what = empty.length ? `${empty.join(' and ')} ${empty.length === 1 ? 'is' : 'are'} empty` : `${keyFile} and ${certFile} are damaged or do not belong together`;
    throw new Error(`${what}: delete both to generate a new key pair (connections that trust the old certificate must then read the simulator's metadata again).`);
  }
  return { privateKeyPem, certificatePem };
}

async function loadOrCreateFiles(dir: string, name: string, subject: string): Promise<KeyPair> {
  const keyFile = join(dir, `${name}.key.pem`);
  const certFile = join(dir, `${name}.crt.pem`);
  const existing = await readKeyFiles(dir, name);
  if (existing) return existing;
  // One of the two is missing (first start, or a file was deleted): a new pair replaces both.
  const pair = await generateKeyPair(subject);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(certFile, pair.certificatePem, 0o644);
  await writeFileAtomically(keyFile, pair.privateKeyPem, 0o600);
  return pair;
}

function belongTogether(privateKeyPem: string, certificatePem: string): boolean {
  try {
    return new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKeyPem));
  } catch {
    return false;
  }
}

/** What a key pair's certificate is for (its KeyUsage extension): signing, or receiving encrypted keys (RSA key transport). */
export type KeyUsage = 'signing' | 'encryption';

/** A new RSA key and its self-signed certificate (valid from an hour ago, for clock skew). */
export async function generateKeyPair(subject: string, now = new Date(), usage: KeyUsage = 'signing'): Promise<KeyPair> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      // Positive 128-bit serial (first byte below 0x80).
      serialNumber: `0${randomBytes(16).toString('hex').slice(1)}`,
      name: subject,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(usage === 'encryption' ? x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { privateKeyPem: toPem(new Uint8Array(pkcs8), 'PRIVATE KEY'), certificatePem: `${certificate.toString('pem')}\n` };
}

function toPem(der: Uint8Array, label: string): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
