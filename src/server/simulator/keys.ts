/// <reference types="node" />
/**
 * Signing keys of the IdP simulators: an RSA 2048 key and a self-signed certificate (SHA-256,
 * 10 years), generated on first use and kept in `<dataDir>/simulator/<name>.key.pem` (mode
 * 0600) and `<name>.crt.pem`, so a connection configured with the simulator's metadata keeps
 * working across restarts. A null `dataDir` keeps them in memory (tests).
 */
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { removeTempFiles, writeFileAtomically } from '../atomic-file.js';

export interface KeyPair {
  /** PKCS#8 PEM. Never shown in a page or a log. */
  privateKeyPem: string;
  /** The self-signed X.509 certificate, PEM. */
  certificatePem: string;
}

const VALIDITY_YEARS = 10;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

/** Keys kept in memory (null `dataDir`), per name, for the life of the process. */
const memoryKeys = new Map<string, Promise<KeyPair>>();
/** Loads in flight, per directory and name: two concurrent calls generate one pair. */
const pendingLoads = new Map<string, Promise<KeyPair>>();

/**
 * The key pair `name` of `dataDir` (e.g. `saml-idp`), created with the certificate subject
 * `subject` (e.g. `CN=IdP Simulator`) when missing. Throws when the stored key and certificate
 * do not belong together (someone edited them): replacing them silently would break every
 * connection that trusts the old certificate.
 */
export function loadOrCreateKeyPair(dataDir: string | null, name: string, subject: string): Promise<KeyPair> {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/i.test(name)) throw new Error(`key pair name: ${JSON.stringify(name)} (letters, digits, dashes)`);
  const [cache, key] = dataDir === null ? [memoryKeys, name] : [pendingLoads, join(dataDir, 'simulator', name)];
  let load = cache.get(key);
  if (!load) {
    load = dataDir === null ? generateKeyPair(subject) : loadOrCreateFiles(join(dataDir, 'simulator'), name, subject);
    cache.set(key, load);
    // Files are read again by the next call; a failure is not remembered.
    const forget = () => (dataDir === null ? undefined : cache.delete(key));
    load.then(forget, () => cache.delete(key));
  }
  return load;
}

async function loadOrCreateFiles(dir: string, name: string, subject: string): Promise<KeyPair> {
  const keyFile = join(dir, `${name}.key.pem`);
  const certFile = join(dir, `${name}.crt.pem`);
  await Promise.all([removeTempFiles(keyFile), removeTempFiles(certFile)]);
  const [privateKeyPem, certificatePem] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (privateKeyPem !== undefined && certificatePem !== undefined) {
    if (!belongTogether(privateKeyPem, certificatePem)) {
      const empty = [keyFile, certFile].filter((_, i) => [privateKeyPem, certificatePem][i]!.trim() === '');
      const what = empty.length ? `${empty.join(' and ')} ${empty.length === 1 ? 'is' : 'are'} empty` : `${keyFile} and ${certFile} are damaged or do not belong together`;
      throw new Error(
        `${what}: delete both to generate a new key pair (connections that trust the old certificate must then read the simulator's metadata again).`,
      );
    }
    return { privateKeyPem, certificatePem };
  }
  // One of the two is missing (first start, or a file was deleted): a new pair replaces both.
  const pair = await generateKeyPair(subject);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(certFile, pair.certificatePem, 0o644);
  await writeFileAtomically(keyFile, pair.privateKeyPem, 0o600);
  return pair;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function belongTogether(privateKeyPem: string, certificatePem: string): boolean {
  try {
    return new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKeyPem));
  } catch {
    return false;
  }
}

/** A new RSA key and its self-signed certificate (valid from an hour ago, for clock skew). */
export async function generateKeyPair(subject: string, now = new Date()): Promise<KeyPair> {
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
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
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
