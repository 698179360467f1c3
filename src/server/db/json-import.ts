/// <reference types="node" />
/**
 * The one-time import of a data folder written by the JSON store (`<data>/store.json` and its
 * `secrets.key`) into the database, at the first start that finds it (issue 11 point 4:
 * nothing a user already set up is lost).
 *
 * When `store.json` exists and the `settings` table has no `imported-json-store` row, the
 * document is read with `JsonFileStore.open` (which decrypts the client secrets with
 * `secrets.key`) and everything goes in ONE transaction with that marker: organizations, links,
 * connections, client secrets (sealed again with the database's SecretBox), test results,
 * domains and settings. A failure anywhere leaves the database as it was; instances starting
 * together import once (the marker is written first, so the second waits on its row lock and
 * then finds it). `store.json` stays as it is (a backup).
 *
 * Accepted SAML assertions (the JSON store's replay cache) are not imported: they are digests
 * without a connection, and the database's replay cache is keyed by connection, so they could
 * never match a lookup there. The replay window this leaves is at most their own expiry
 * (NotOnOrAfter, minutes); the summary counts the unexpired ones dropped.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretBox } from '../secret-box.js';
import { JsonFileStore, STORE_FILE } from '../store/json-file-store.js';
import type { Database } from './database.js';
import { connectionToRow, domainToRow, linkToRow, organizationToRow, testResultToRow } from './rows.js';
import { withinCertificateLimit } from './signing-certificates.js';

export const JSON_IMPORT_SETTING = 'imported-json-store';

export interface JsonImportSummary {
  /** The file imported. */
  file: string;
  organizations: number;
  links: number;
  connections: number;
  clientSecrets: number;
  tests: number;
  domains: number;
  settings: number;
  /** Accepted SAML assertions not yet expired that were not imported (see the module comment). */
  droppedAssertions: number;
}

/** Thrown when the data folder cannot be imported; the message names the file and the cause. */
export class JsonImportError extends Error {
  override name = 'JsonImportError';
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** One line for the start banner. */
export function describeJsonImport(s: JsonImportSummary): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return (
    `Imported ${s.file} into the database: ${n(s.organizations, 'organization')}, ${n(s.links, 'link')}, ${n(s.connections, 'connection')} ` +
    `(${n(s.clientSecrets, 'client secret')}), ${n(s.tests, 'test')}, ${n(s.domains, 'domain')}, ${n(s.settings, 'setting')}` +
    `${s.droppedAssertions ? `; ${n(s.droppedAssertions, 'accepted SAML assertion')} not carried over` : ''}. The file is kept as a backup.`
  );
}

/**
 * Imports `<dataDir>/store.json` once (see the module comment). Resolves to the summary, or
 * null when there is nothing to do (no `store.json`, or already imported). A `store.json` that
 * cannot be read (damaged, not a store, a secret `secrets.key` cannot decrypt) is a
 * {@link JsonImportError} naming the file; so is a failed insert (e.g. the database already holds
 * an organization of the file), with the database error as `cause`. `now` decides
 * which accepted assertions had expired (for the summary only).
 */
export async function importJsonStore(database: Database, secrets: SecretBox, dataDir: string, now: Date = new Date()): Promise<JsonImportSummary | null> {
  const file = join(dataDir, STORE_FILE);
  if (!(await exists(file))) return null;
  const marker = () => database.db.selectFrom('settings').select('value').where('name', '=', JSON_IMPORT_SETTING).executeTakeFirst();
  if (await marker()) return null;

  let store: JsonFileStore;
  try {
    store = await JsonFileStore.open(dataDir);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `it is not valid JSON (${error.message})` : error instanceof Error ? error.message : String(error);
    throw new JsonImportError(`Cannot import ${file} into the database: ${reason}. Fix or restore the file (the database was not changed).`, { cause: error });
  }
  try {
    const organizations = store.listOrganizations();
    const summary: JsonImportSummary = {
      file,
      organizations: organizations.length,
      links: 0,
      connections: 0,
      clientSecrets: 0,
      tests: 0,
      domains: 0,
      settings: 0,
      droppedAssertions: Object.values(store.getAcceptedAssertions()).filter((until) => until > now.getTime()).length,
    };
    const imported = await database.db.transaction().execute(async (trx) => {
      // The marker first: a second instance importing at the same time waits on this row, then gets a conflict and stops.
      const claimed = await trx
        .insertInto('settings')
        .values({ name: JSON_IMPORT_SETTING, value: JSON.stringify({ file, at: now.toISOString() }) })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst();
      if (!claimed) return false;
      if (organizations.length) await trx.insertInto('organizations').values(organizations.map(organizationToRow)).execute();
      for (const organization of organizations) {
        const links = store.listLinks(organization.id);
        const data = store.getOrganizationData(organization.id);
        if (links.length) await trx.insertInto('portal_links').values(links.map(linkToRow)).execute();
        // Written when a connection held up to 10 signing certificates: the best 5 are kept.
        const connections = data.connections.map((c) => (c.saml ? { ...c, saml: { ...c.saml, signingCertificates: withinCertificateLimit(c.saml.signingCertificates, now) } } : c));
        if (connections.length) await trx.insertInto('connections').values(connections.map((c) => connectionToRow(organization.id, c))).execute();
        const known = new Set(data.connections.map((c) => c.id));
        // A secret of a connection that was deleted has nowhere to go.
        const secretRows = Object.entries(data.secrets)
          .filter(([connectionId]) => known.has(connectionId))
          .map(([connectionId, plain]) => ({
            connection_id: connectionId,
            organization_id: organization.id,
            ciphertext: secrets.seal(plain),
            key_id: secrets.keyId,
            updated_at: data.connections.find((c) => c.id === connectionId)!.updatedAt,
          }));
        if (secretRows.length) await trx.insertInto('client_secrets').values(secretRows).execute();
        const tests = data.tests.filter((t) => known.has(t.connectionId));
        if (tests.length) await trx.insertInto('test_results').values(tests.map((t) => testResultToRow(organization.id, t))).execute();
        if (data.domains.length) await trx.insertInto('domains').values(data.domains.map((d) => domainToRow(organization.id, d))).execute();
        summary.links += links.length;
        summary.connections += data.connections.length;
        summary.clientSecrets += secretRows.length;
        summary.tests += tests.length;
        summary.domains += data.domains.length;
      }
      const settings = Object.entries(store.listSettings()).filter(([name]) => name !== JSON_IMPORT_SETTING);
      if (settings.length) {
        await trx
          .insertInto('settings')
          .values(settings.map(([name, value]) => ({ name, value })))
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
      }
      summary.settings = settings.length;
      return true;
    });
    return imported ? summary : null;
  } catch (error) {
    if (error instanceof JsonImportError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonImportError(`Cannot import ${file} into the database: ${reason}. The database was not changed (one transaction); ${file} is kept as it is.`, { cause: error });
  } finally {
    await store.close();
  }
}

