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
 * `secrets.key` (mode 0600, made on first start, atomically): a copy of `store.json` alone (a backup, a bug
 * report) holds no usable secret. Secrets written before this (plain text) are read as they are
 * and encrypted on the next write.
 */
import { constants } from 'node:fs';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { removeTempFiles, writeFileAtomically } from '../atomic-file.js';
import { createSecretBox, SEALED_PREFIX, type SecretBox } from '../secret-box.js';
import { loadOrCreateSecretsKeyFile, SECRETS_KEY_FILE } from '../secret-key.js';
import { QueuedStore, emptyDocument, type StoreDocument } from './store.js';

export const STORE_FILE = 'store.json';
export { SECRETS_KEY_FILE };
const ENCRYPTED = SEALED_PREFIX;

function decrypt(box: SecretBox, stored: string, where: string): string {
  if (!stored.startsWith(ENCRYPTED)) return stored;
  try {
    return box.open(stored);
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
  #box: SecretBox;

  private constructor(dir: string, document: StoreDocument, box: SecretBox) {
    super(document);
    this.dir = dir;
    this.file = join(dir, STORE_FILE);
    this.#box = box;
  }

  protected override serialize(document: StoreDocument): string {
    return JSON.stringify(mapSecrets(document, (plain) => this.#box.seal(plain)));
  }

  /** Opens (or creates) the store in `dir`; removes temporary files a crash left behind. */
  static async open(dir: string = defaultDataDir()): Promise<JsonFileStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeTempFiles(join(dir, STORE_FILE));
    let document = emptyDocument();
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dir, STORE_FILE), 'utf8'));
      if (!isDocument(parsed)) throw new Error(`${join(dir, STORE_FILE)} is not an SSO portal store.`);
      document = parsed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const encrypted = Object.values(document.data).reduce((n, d) => n + Object.values(d.secrets).filter((v) => v.startsWith(ENCRYPTED)).length, 0);
    const box = createSecretBox(await loadOrCreateSecretsKeyFile(dir, encrypted, STORE_FILE));
    return new JsonFileStore(dir, mapSecrets(document, (stored) => decrypt(box, stored, join(dir, STORE_FILE))), box);
  }

  /** Every setting, by name (the one-time import into the database reads them all). */
  listSettings(): Record<string, string> {
    return { ...this.document.settings };
  }

  /** The data folder is there and writable. */
  protected override async checkStorage(): Promise<void> {
    try {
      await access(this.dir, constants.W_OK);
    } catch (error) {
      throw new Error(`The data folder ${this.dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, { cause: error });
    }
  }

  protected async persist(serialized: string): Promise<void> {
    await writeFileAtomically(this.file, serialized, 0o600);
  }
}
