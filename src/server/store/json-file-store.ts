/// <reference types="node" />
/**
 * The store as one JSON document in a data folder (`.data/` or `SSO_PORTAL_DATA_DIR`).
 *
 * Every write is atomic: the whole document goes to a temporary file, which is fsynced and
 * renamed over `store.json`, and then the folder is fsynced so the rename itself is durable.
 * A crash (even SIGKILL mid-write) therefore leaves either the previous or the new document,
 * never a torn one. Writes are serialised (see `QueuedStore`).
 */
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { QueuedStore, emptyDocument, type StoreDocument } from './store.js';

export const STORE_FILE = 'store.json';

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

  private constructor(dir: string, document: StoreDocument) {
    super(document);
    this.dir = dir;
    this.file = join(dir, STORE_FILE);
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
    return new JsonFileStore(dir, document);
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
