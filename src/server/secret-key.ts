/// <reference types="node" />
/**
 * The key that seals secrets at rest (OIDC client secrets, the simulators' private keys):
 * `SSO_PORTAL_SECRET_KEY` (32 bytes, base64url or base64) or, without it, the data folder's
 * `secrets.key` (mode 0600, made atomically on the first start, the file the JSON store has
 * always used, so an imported data folder keeps its key).
 *
 * Rotation keeps the key it replaces as the *previous* key (`SSO_PORTAL_PREVIOUS_SECRET_KEY`,
 * or `secrets.key.previous` beside the key file) until every sealed value was re-sealed with
 * the new one: a box made of both opens values sealed with either and seals with the new one.
 *
 * A wrong key is found at start ({@link checkSecretKey}): the `settings` row `secret-key-check`
 * holds a value sealed with the key of the database's secrets (written the first time), and every
 * sealed row names the key that sealed it (`key_id`).
 */
import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAtomically, readIfExists, removeTempFiles, writeFileAtomically } from './atomic-file.js';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './db/schema.js';
import { createSecretBox, SecretBoxError, type SecretBox } from './secret-box.js';

/** What this module needs of a `Database` (`db/database.ts`, not imported: it imports the JSON store, which imports this). */
export interface SealedRows {
  readonly db: Kysely<DatabaseSchema>;
}

export const SECRET_KEY_ENV = 'SSO_PORTAL_SECRET_KEY';
export const PREVIOUS_SECRET_KEY_ENV = 'SSO_PORTAL_PREVIOUS_SECRET_KEY';
/** The new key, for `npm run portal -- rotate-secret-key` when the key is given in `SSO_PORTAL_SECRET_KEY`. */
export const NEW_SECRET_KEY_ENV = 'SSO_PORTAL_NEW_SECRET_KEY';
/** The key file in the data folder (the JSON store's, kept). */
export const SECRETS_KEY_FILE = 'secrets.key';
/** The key a rotation replaced, kept until every value was re-sealed. */
export const PREVIOUS_SECRETS_KEY_FILE = 'secrets.key.previous';
/** The `settings` row holding a value sealed with the key of the database's secrets. */
export const SECRET_KEY_CHECK_SETTING = 'secret-key-check';

const CHECK_PLAIN = 'sso-portal-secret-key-check';
const HOW_TO_MAKE = 'e.g. the output of `openssl rand -base64 32`';

/** A SecretBox that may also open values sealed with the previous key (after a rotation). */
export interface SecretKeyring extends SecretBox {
  /** The key ids it opens: the current key's first. */
  readonly keyIds: readonly string[];
}

/** The start stops: the key in use is not the key of the database's secrets. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/**
 * 32 bytes from `text`, base64url (43 characters, the key file's form) or base64 (44 with the
 * `=`). Anything else is an error naming `source` and the expected form (never the value).
 */
export function parseSecretKey(text: string, source: string): Buffer {
  const value = text.trim();
  const base64url = /^[A-Za-z0-9_-]{43}$/.test(value);
  const base64 = /^[A-Za-z0-9+/]{43}=$/.test(value);
  if (base64url || base64) {
    const key = Buffer.from(value, base64 ? 'base64' : 'base64url');
    if (key.length === 32) return key;
  }
  const what = value === '' ? 'is empty' : `is not one (${value.length} characters)`;
  throw new SecretKeyError(`${source} must be a 32-byte key in base64url (43 characters) or base64 (44 characters ending in "="), ${HOW_TO_MAKE}; it ${what}.`);
}

/**
 * A box that seals with `current` and opens values sealed with `current` or `previous`
 * (AES-GCM refuses a value sealed with another key, so trying both is safe).
 */
export function secretKeyring(current: SecretBox, previous?: SecretBox): SecretKeyring {
  const others = previous && previous.keyId !== current.keyId ? [previous] : [];
  return {
    keyId: current.keyId,
    keyIds: [current.keyId, ...others.map((b) => b.keyId)],
    seal: (plain) => current.seal(plain),
    open(sealed) {
      try {
        return current.open(sealed);
      } catch (error) {
        for (const other of others) {
          try {
            return other.open(sealed);
          } catch {
            // try the next one
          }
        }
        throw error;
      }
    },
  };
}

/**
 * The key in `<dir>/secrets.key`, made (atomically, mode 0600) when there is none. A damaged
 * file (empty, not 32 bytes) is an error that says what to do: with no secret sealed under it
 * (`sealedSecrets` 0), deleting it loses nothing; otherwise only a backup helps (null: not
 * known here, e.g. the database's secrets, which the start checks after).
 */
export async function loadOrCreateSecretsKeyFile(dir: string, sealedSecrets: number | null, where = 'store.json'): Promise<Buffer> {
  const file = join(dir, SECRETS_KEY_FILE);
  await removeTempFiles(file);
  const text = await readIfExists(file);
  if (text !== undefined) {
    const key = Buffer.from(text.trim(), 'base64url');
    if (key.length === 32 && /^[A-Za-z0-9_-]{43}$/.test(text.trim())) return key;
    const what = text.trim() === '' ? 'is empty' : 'is damaged (it must hold one 32-byte key, base64url, on one line)';
    const remedy =
      sealedSecrets === null
        ? `Restore it from a backup: it is the key of the secrets saved in ${where}, which cannot be read without it. (If ${where} holds no secret yet, deleting it loses nothing: a new key is made at the next start.)`
        : sealedSecrets === 0
        ? `Delete it and start again: a new key is made, and nothing is lost (${where} holds no client secret encrypted with it).`
        : `Restore it from a backup: it is the key of the ${sealedSecrets} OIDC client secret${sealedSecrets === 1 ? '' : 's'} saved in ${where}, which cannot be read without it.`;
    throw new SecretKeyError(`${file} ${what}. ${remedy}`);
  }
  const key = randomBytes(32);
  // Another process made it meanwhile: use theirs.
  if (!(await createFileAtomically(file, `${key.toString('base64url')}\n`, 0o600))) return loadOrCreateSecretsKeyFile(dir, sealedSecrets, where);
  return key;
}

/** Where the key in use came from, for the start banner and error messages. */
export type SecretKeySource = { kind: 'env'; variable: typeof SECRET_KEY_ENV } | { kind: 'file'; file: string };

export interface LoadedSecretKey {
  secrets: SecretKeyring;
  source: SecretKeySource;
  /** How an operator names it in a message: the variable or the file. */
  describe: string;
}

/**
 * The secrets' key: `SSO_PORTAL_SECRET_KEY` (plus `SSO_PORTAL_PREVIOUS_SECRET_KEY` during a
 * rotation), else `<dataDir>/secrets.key` (made when missing; plus `secrets.key.previous` when
 * a rotation was interrupted). Bad values are a {@link SecretKeyError} saying what is expected.
 * `sealedSecrets`: how many values the database holds sealed (a damaged key file then says
 * whether deleting it loses anything).
 */
export async function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env, o: { sealedSecrets?: number } = {}): Promise<LoadedSecretKey> {
  const fromEnv = env[SECRET_KEY_ENV];
  const previousFromEnv = env[PREVIOUS_SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const current = createSecretBox(parseSecretKey(fromEnv, SECRET_KEY_ENV));
    const previous = previousFromEnv?.trim() ? createSecretBox(parseSecretKey(previousFromEnv, PREVIOUS_SECRET_KEY_ENV)) : undefined;
    return { secrets: secretKeyring(current, previous), source: { kind: 'env', variable: SECRET_KEY_ENV }, describe: SECRET_KEY_ENV };
  }
  if (previousFromEnv?.trim()) throw new SecretKeyError(`${PREVIOUS_SECRET_KEY_ENV} is set but ${SECRET_KEY_ENV} is not: set both (the new key and the one it replaces) or neither.`);
  const file = join(dataDir, SECRETS_KEY_FILE);
  const current = createSecretBox(await loadOrCreateSecretsKeyFile(dataDir, o.sealedSecrets ?? null, 'the database'));
  const previousFile = join(dataDir, PREVIOUS_SECRETS_KEY_FILE);
  const previousText = await readIfExists(previousFile);
  const previous = previousText === undefined ? undefined : createSecretBox(parseSecretKey(previousText, previousFile));
  return { secrets: secretKeyring(current, previous), source: { kind: 'file', file }, describe: file };
}

interface CheckValue {
  keyId: string;
  sealed: string;
}

function parseCheck(value: string): CheckValue | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<CheckValue>;
    return typeof parsed.keyId === 'string' && typeof parsed.sealed === 'string' ? { keyId: parsed.keyId, sealed: parsed.sealed } : undefined;
  } catch {
    return undefined;
  }
}

/** The `secret-key-check` value for `secrets` (sealed with its current key). */
export function secretKeyCheckValue(secrets: SecretBox): string {
  return JSON.stringify({ keyId: secrets.keyId, sealed: secrets.seal(CHECK_PLAIN) } satisfies CheckValue);
}

const remedyFor = (describe: string, keyId: string) =>
  `Start with the key whose id is ${keyId} (${describe === SECRET_KEY_ENV ? `set ${SECRET_KEY_ENV} to it` : `restore ${describe} from a backup, or set ${SECRET_KEY_ENV}`}); ` +
  `if you were rotating the key, set the new key and the one it replaced (${PREVIOUS_SECRET_KEY_ENV}) and run \`npm run portal -- rotate-secret-key\` again.`;

/**
 * Checks at start that `secrets` opens the database's sealed values; the first time, writes the
 * `secret-key-check` row (concurrent starts: one wins, the others check against it). Throws a
 * {@link SecretKeyError} naming the key id expected and what to do. `describe` names where the
 * key came from (`LoadedSecretKey.describe`).
 */
export async function checkSecretKey(database: SealedRows, secrets: SecretKeyring, describe: string = SECRET_KEY_ENV): Promise<void> {
  const db = database.db;
  const readCheck = async () => (await db.selectFrom('settings').select('value').where('name', '=', SECRET_KEY_CHECK_SETTING).executeTakeFirst())?.value;
  const verify = (value: string) => {
    const check = parseCheck(value);
    if (!check) throw new SecretKeyError(`The database's ${SECRET_KEY_CHECK_SETTING} setting is damaged; restore the database from a backup.`);
    try {
      if (secrets.open(check.sealed) !== CHECK_PLAIN) throw new SecretBoxError('unexpected value');
    } catch {
      throw new SecretKeyError(
        `Wrong secret key: the database's secrets are sealed with the key whose id is ${check.keyId}, but ${describe} holds the key ${secrets.keyId}. ${remedyFor(describe, check.keyId)}`,
      );
    }
  };
  const existing = await readCheck();
  if (existing !== undefined) verify(existing);
  // Rows sealed with a key that is neither the current nor the previous one (e.g. saved with another key before
  // the check row existed): checked before the check row is written, so a wrong key never writes it.
  const foreign = await db
    .selectFrom('client_secrets')
    .select('key_id')
    .where('key_id', 'not in', secrets.keyIds)
    .union(db.selectFrom('keys').select('key_id').where('key_id', 'not in', secrets.keyIds))
    .union(db.selectFrom('webhook_endpoints').select('key_id').where('key_id', 'not in', secrets.keyIds))
    .execute();
  if (foreign.length > 0) {
    const ids = [...new Set(foreign.map((r) => r.key_id))].sort();
    throw new SecretKeyError(
      `Wrong secret key: some of the database's secrets are sealed with the key${ids.length === 1 ? '' : 's'} ${ids.join(', ')}, which ${describe} (key ${secrets.keyIds.join(' or ')}) cannot open. ${remedyFor(describe, ids[0]!)}`,
    );
  }
  if (existing !== undefined) return;
  // The first start: concurrent first starts agree on the row written first.
  await db
    .insertInto('settings')
    .values({ name: SECRET_KEY_CHECK_SETTING, value: secretKeyCheckValue(secrets) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  verify((await readCheck()) ?? '');
}

export interface RotationCounts {
  clientSecrets: number;
  keys: number;
  /** Webhook endpoints' signing secrets. */
  webhookSecrets: number;
}

/**
 * Re-seals every sealed value of the database (client secrets, private keys, the check row)
 * with `next`, opening them with `current` (a keyring may open several keys), in ONE
 * transaction: a failure anywhere (a value `current` cannot open, the database going away)
 * leaves every row as it was. Rows already sealed with `next` are re-sealed too (harmless).
 */
export async function rotateSecretKey(database: SealedRows, current: SecretBox, next: SecretBox): Promise<RotationCounts> {
  const box = secretKeyring(next, current);
  return database.db.transaction().execute(async (trx) => {
    const secrets = await trx.selectFrom('client_secrets').select(['connection_id', 'ciphertext']).forUpdate().execute();
    for (const row of secrets) {
      const plain = openOrExplain(box, row.ciphertext, `the client secret of connection ${row.connection_id}`);
      await trx.updateTable('client_secrets').set({ ciphertext: next.seal(plain), key_id: next.keyId }).where('connection_id', '=', row.connection_id).execute();
    }
    const keys = await trx.selectFrom('keys').select(['name', 'private_key_ciphertext']).forUpdate().execute();
    for (const row of keys) {
      const plain = openOrExplain(box, row.private_key_ciphertext, `the private key ${row.name}`);
      await trx.updateTable('keys').set({ private_key_ciphertext: next.seal(plain), key_id: next.keyId }).where('name', '=', row.name).execute();
    }
    const endpoints = await trx.selectFrom('webhook_endpoints').select(['id', 'secret_ciphertext']).forUpdate().execute();
    for (const row of endpoints) {
      const plain = openOrExplain(box, row.secret_ciphertext, `the signing secret of webhook endpoint ${row.id}`);
      await trx.updateTable('webhook_endpoints').set({ secret_ciphertext: next.seal(plain), key_id: next.keyId }).where('id', '=', row.id).execute();
    }
    await trx
      .insertInto('settings')
      .values({ name: SECRET_KEY_CHECK_SETTING, value: secretKeyCheckValue(next) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute();
    return { clientSecrets: secrets.length, keys: keys.length, webhookSecrets: endpoints.length };
  });
}

function openOrExplain(box: SecretBox, sealed: string, what: string): string {
  try {
    return box.open(sealed);
  } catch (error) {
    throw new SecretKeyError(`Cannot rotate: ${what} cannot be opened with the current key (${box.keyId}) or the previous one. Nothing was changed.`, { cause: error });
  }
}

export interface FileRotation extends RotationCounts {
  keyId: string;
  previousKeyId: string;
}

/**
 * Rotation of the key file (`secrets.key`), crash-safe at every step:
 * 1. an interrupted earlier rotation is finished first (values re-sealed with the current key);
 * 2. the current key is kept as `secrets.key.previous`, then a new key replaces `secrets.key`
 *    (a start in between opens values sealed with either);
 * 3. every value is re-sealed in one transaction; 4. `secrets.key.previous` is removed.
 * Run it with the server stopped when the database is the embedded one (one process per PGlite folder).
 */
export async function rotateSecretKeyFile(database: SealedRows, dataDir: string): Promise<FileRotation> {
  const loaded = await loadSecretKey(dataDir, {});
  const previousFile = join(dataDir, PREVIOUS_SECRETS_KEY_FILE);
  await checkSecretKey(database, loaded.secrets, loaded.describe);
  if (loaded.secrets.keyIds.length > 1) {
    await rotateSecretKey(database, loaded.secrets, loaded.secrets);
    await unlink(previousFile);
  }
  const file = join(dataDir, SECRETS_KEY_FILE);
  const currentKey = await loadOrCreateSecretsKeyFile(dataDir, null, 'the database');
  const current = createSecretBox(currentKey);
  const nextKey = randomBytes(32);
  const next = createSecretBox(nextKey);
  await writeFileAtomically(previousFile, `${currentKey.toString('base64url')}\n`, 0o600);
  await writeFileAtomically(file, `${nextKey.toString('base64url')}\n`, 0o600);
  const counts = await rotateSecretKey(database, current, next);
  await unlink(previousFile);
  return { ...counts, keyId: next.keyId, previousKeyId: current.keyId };
}
