/**
 * Every migration, in order, by name. A static list (no folder read at run time), so it works
 * the same under tsx, in a bundle and in tests. Add a migration as `NNNN_what.ts` and list it
 * here; never edit or rename one that was released.
 */
import type { Migration } from 'kysely';
import { initial } from './0001_initial.js';
import { staleTests } from './0002_stale_tests.js';
import { fiveSigningCertificates } from './0003_five_signing_certificates.js';
import { eventsAndWebhooks } from './0004_events_and_webhooks.js';
import { embed } from './0005_embed.js';
import { directories } from './0006_directories.js';
import { testLinks } from './0007_test_links.js';
import { loginAttempts } from './0008_login_attempts.js';
import { directoryRequestCodes } from './0009_directory_request_codes.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_stale_tests': staleTests,
  '0003_five_signing_certificates': fiveSigningCertificates,
  '0004_events_and_webhooks': eventsAndWebhooks,
  '0005_embed': embed,
  '0006_directories': directories,
  '0007_test_links': testLinks,
  '0008_login_attempts': loginAttempts,
  '0009_directory_request_codes': directoryRequestCodes,
});
