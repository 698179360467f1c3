/**
 * A SAML connection holds at most 5 IdP signing certificates (`MAX_SIGNING_CERTIFICATES`; it was
 * 10 before). A connection stored with more keeps the best 5 (`bestSigningCertificates`: valid
 * now first, then the latest to expire, in their order), with a new version, so the portal can
 * read and save it again. A certificate that cannot be read ranks last.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { MAX_SIGNING_CERTIFICATES } from '../../../core/model.js';
import { withinCertificateLimit } from '../signing-certificates.js';

export const fiveSigningCertificates: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const rows = await sql<{ id: string; config: { saml?: { signingCertificates?: unknown } | null } }>`select id, config from connections where protocol = 'saml'`.execute(db);
    const now = new Date();
    for (const row of rows.rows) {
      const config = typeof row.config === 'string' ? (JSON.parse(row.config) as typeof row.config) : row.config;
      const pems = config.saml?.signingCertificates;
      if (!Array.isArray(pems) || pems.length <= MAX_SIGNING_CERTIFICATES) continue;
      const kept = withinCertificateLimit(pems.filter((p): p is string => typeof p === 'string'), now);
      const next = { ...config, saml: { ...config.saml, signingCertificates: kept } };
      await sql`update connections set config = ${JSON.stringify(next)}::jsonb, version = version + 1, updated_at = now() where id = ${row.id}`.execute(db);
    }
  },
};
