/// <reference types="node" />
/**
 * The store as one JSON document in a data folder (`.data/` or `SSO_PORTAL_DATA_DIR`).
 *
 * Every write is atomic: the whole document goes to a temporary file, which is fsynced and
 * renamed over `store.json`, and then the folder is fsynced so the rename itself is durable.
 * A crash (even SIGKILL mid-write) therefore leaves either the previous or the new document,
 * never a torn one. Writes are serialised (see `QueuedStore`).
 *
 * OIDC client secrets are encrypted in the file (AES-256-GCM) with a key kept beside it in
 * `secrets.key` (mode 0600, made on first start): a copy of `store.json` alone (a backup, a bug
 * report) holds no usable secret. Secrets written before this (plain text) are read as they are
 * and encrypted on the next write.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { QueuedStore, emptyDocument, type StoreDocument } from './store.js';

export const STORE_FILE = 'store.json';
export const SECRETS_KEY_FILE = 'secrets.key';
const ENCRYPTED = 'enc:v1:';

async function secretsKey(dir: string): Promise<Buffer> {
  const file = join(dir, SECRETS_KEY_FILE);
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
    if (key.length !== 32) throw new Error(`${file} is not a 32-byte key.`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    await writeFile(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it meanwhile: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return secretsKey(dir);
    throw error;
  }
  return key;
}

function encrypt(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${ENCRYPTED}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')}`;
}

function decrypt(key: Buffer, stored: string, where: string): string {
  if (!stored.startsWith(ENCRYPTED)) return stored;
  const [iv = '', tag = '', data = ''] = stored.slice(ENCRYPTED.length).split('.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`${where}: a stored secret cannot be decrypted with ${SECRETS_KEY_FILE} (was the key replaced?).`);
  }
}

/** A copy of the document whose client secrets went through `transform`. */
function mapSecrets(document: StoreDocument, transform: (value: string) => string): StoreDocument {
  const data = Object.fromEntries(
    Object.entries(document.data).map(([id, d]) => [id, { ...d, secrets: Object.fromEntries(Object.entries(d.secrets).map(([k, v]) => [k, transform(v)])) }]),
  );
  return { ...document, data };
}

/** The data folder: `SSO_PORTAL_DATA_DIR`, else `.data/` in the working directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SSO_PORTAL_DATA_DIR || '.data');
}

function isDocument(value: unknown): value is StoreDocument {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return d.format === 1 && ['organizations', 'links', 'data', 'settings'].every((k) => typeof d[k] === 'object' && d[k] !== null);
}

export class JsonFileStore extends QueuedStore {
  readonly dir: string;
  readonly file: string;
  #counter = 0;
  #key: Buffer;

  private constructor(dir: string, document: StoreDocument, key: Buffer) {
    super(document);
    this.dir = dir;
    this.file = join(dir, STORE_FILE);
    this.#key = key;
  }

  protected override serialize(document: StoreDocument): string {
    return JSON.stringify(mapSecrets(document, (plain) => encrypt(this.#key, plain)));
  }

  /** Opens (or creates) the store in `dir`; removes temporary files a crash left behind. */
  static async open(dir: string = defaultDataDir()): Promise<JsonFileStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(dir)) {
      if (name.startsWith(`${STORE_FILE}.`) && name.endsWith('.tmp')) await unlink(join(dir, name)).catch(() => undefined);
    }
    let document = emptyDocument();
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'));
      if (!isDocument(parsed)) throw new Error(`${join(dir, STORE_FILE)} is not an SSO portal store.`);
      document = parsed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = await secretsKey(dir);
    return new JsonFileStore(dir, mapSecrets(document, (stored) => decrypt(key, stored, join(dir, STORE_FILE))), key);
  }

  protected async persist(serialized: string): Promise<void> {
    const temp = join(this.dir, `${STORE_FILE}.${process.pid}.${++this.#counter}.tmp`);
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(serialized, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    const dirHandle = await open(this.dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }
}
