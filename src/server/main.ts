/// <reference types="node" />
/**
 * `npm run server`: the mock SSO backend on HOST:PORT (default 127.0.0.1:4400).
 *
 * Environment: HOST, PORT, SSO_PORTAL_DATA_DIR (default `.data/`), SSO_PORTAL_ADMIN_KEY (else
 * generated once into `<data>/admin-key`, mode 0600), SSO_PORTAL_PUBLIC_URL (default
 * `http://HOST:PORT`), SSO_PORTAL_DEMO (`1`: serve the demo host app "Acme", its dashboard at
 * `/` and settings pages; `npm start` sets it), SSO_PORTAL_DNS_SERVERS (`127.0.0.1:5353,...`:
 * the resolvers domain verification asks; default the system's), SSO_PORTAL_TRUSTED_PROXIES
 * (`127.0.0.1,10.0.0.0/8`: reverse proxies whose X-Forwarded-For is believed),
 * SSO_PORTAL_ALLOWED_ORIGINS (`https://app.example.com,...`: host pages that may embed the portal),
 * SSO_PORTAL_LOG (`info`, `error`, `off`; default `info`, `error` in demo mode) and
 * SSO_PORTAL_LOG_FORMAT (`json`, `text`), SSO_PORTAL_SHUTDOWN_GRACE_MS (default 10 s: how long
 * requests in flight may take to finish on SIGTERM/SIGINT). Seeds the organization
 * "Megacorp" on first start and prints a fresh portal link on every start. Pages: `pages.ts`.
 *
 * Test logins are real (SAML SP and OIDC RP, `login/`), and the IdP simulator answers under
 * `/simulator/saml` and `/simulator/oidc` (its keys are in the database, private keys sealed).
 *
 * The data is in a database (`db/`): PostgreSQL when DATABASE_URL is set, else PGlite in
 * `<data>/pglite`; migrations are applied at start (a failed one stops the start, saying which
 * and why). Secrets at rest are sealed with SSO_PORTAL_SECRET_KEY (32 bytes, base64), else the key
 * in `<data>/secrets.key` (made on first start); SSO_PORTAL_PREVIOUS_SECRET_KEY during a rotation
 * (`secret-key.ts`). A `store.json` of an earlier version in the data folder is imported once.
 */
import { loadOrCreateAdminKey } from './admin-key.js';
import type { PortalApp } from './app.js';
import { databaseOptionsFromEnv, openDatabase } from './db/database.js';
import { listen, shutdownGraceFromEnv } from './listen.js';
import { createLogger, logSettingsFromEnv } from './log.js';
import { metadataRefreshIntervalFromEnv, startMetadataRefresh } from './metadata-refresh.js';
import { domainCheckOf, createTxtChecker, dnsServersFromEnv } from './domains/dns-txt-check.js';
import { createMockServer } from './mock-server.js';
import { startingResponse } from './operations.js';
import { createSafeFetcher } from './safe-fetch.js';
import { startCertificateExpiryJob } from './certificate-expiry.js';
import { DEMO_ORIGIN, parseOriginList, resolveAllowedOrigins } from './security-headers.js';
import { describeJsonImport, importJsonStore, type JsonImportSummary } from './db/json-import.js';
import type { SecretBox } from './secret-box.js';
import { checkSecretKey, loadSecretKey } from './secret-key.js';
import { defaultDataDir } from './store/json-file-store.js';
import type { OrganizationRecord } from './types.js';

const DEMO_ORGANIZATION = 'Megacorp';
const DEMO_BRANDING = { name: 'Acme', accentColor: '#0a6b3a' };

async function adminCall<T>(app: PortalApp['app'], adminKey: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function main(): Promise<void> {
  const host = process.env.HOST || '127.0.0.1';
  const port = Number(process.env.PORT || 4400);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${process.env.PORT}.`);
  // Checked before anything starts: a bad value is a clear start error.
  const extraOrigins = parseOriginList(process.env.SSO_PORTAL_ALLOWED_ORIGINS) ?? [];
  const demo = /^(1|true|yes|on)$/i.test(process.env.SSO_PORTAL_DEMO ?? '');
  const webhookLoopback = demo || /^(1|true|yes|on)$/i.test(process.env.SSO_PORTAL_WEBHOOK_ALLOW_LOOPBACK ?? '');
  const logger = createLogger(logSettingsFromEnv(process.env, { demo }));
  const graceMs = shutdownGraceFromEnv(process.env.SSO_PORTAL_SHUTDOWN_GRACE_MS);
  const dataDir = defaultDataDir();
  const { key: adminKey, source } = await loadOrCreateAdminKey(dataDir);
  const databaseOptions = databaseOptionsFromEnv();
  // A failed migration throws a MigrationError that names it and why: the start stops there.
  const database = await openDatabase(databaseOptions);
  let secrets: SecretBox;
  let imported: JsonImportSummary | null;
  try {
    // The key of the sealed secrets (SSO_PORTAL_SECRET_KEY, else <data>/secrets.key); a wrong
    // one stops the start here, saying which key the database's secrets need.
    const sealed = await database.db.selectFrom('client_secrets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const key = await loadSecretKey(dataDir, process.env, { sealedSecrets: Number(sealed.n) });
    await checkSecretKey(database, key.secrets, key.describe);
    secrets = key.secrets;
    // A data folder of an earlier version (store.json): imported once, kept as a backup.
    imported = await importJsonStore(database, secrets, dataDir);
  } catch (error) {
    await database.close();
    throw error;
  }
  if (imported) console.log(describeJsonImport(imported));

  let stopping = false;
  // The app needs the public URL, which needs the port, which PORT=0 only gives after listening.
  const ready: { app?: PortalApp['app'] } = {};
  const server = await listen((request: Request, env: unknown) => (ready.app ? ready.app.fetch(request, env) : startingResponse(request)), {
    hostname: host,
    port,
  });
  const publicBaseUrl = (process.env.SSO_PORTAL_PUBLIC_URL || server.origin).replace(/\/+$/, '');
  // Dev mode: loopback IdPs (the simulator, a local Keycloak) are allowed, over http too.
  const { fetchDocument } = createSafeFetcher({ devMode: true });
  const checkTxt = createTxtChecker({ servers: dnsServersFromEnv(process.env.SSO_PORTAL_DNS_SERVERS) });
  const mock = await createMockServer({
    database,
    secrets,
    adminKey,
    publicBaseUrl,
    fetchDocument,
    checkDns: async (recordName, expected) => domainCheckOf(await checkTxt(recordName, expected)),
    dataDir,
    demo,
    allowedHosts: [new URL(server.origin).host],
    // Host pages that may embed the portal (CORS, frame-ancestors): ours, the demo's in demo mode, and the configured ones.
    allowedOrigins: resolveAllowedOrigins(publicBaseUrl, [publicBaseUrl, ...(demo ? [DEMO_ORIGIN] : []), ...extraOrigins]),
    // Reverse proxies whose X-Forwarded-For names the client (rate limits); default none.
    trustedProxies: (process.env.SSO_PORTAL_TRUSTED_PROXIES ?? '').split(','),
    logger,
    // GET /readyz answers 503 once the shutdown began: load balancers stop sending requests here.
    stopping: () => stopping,
    // Webhooks: every instance delivers (each delivery once); receivers on this machine only in
    // demo mode or when SSO_PORTAL_WEBHOOK_ALLOW_LOOPBACK=1.
    webhooks: { allowLoopback: webhookLoopback, worker: {} },
  });
  const { app, services, store } = mock;
  // IdP certificate rotation: saved metadata URLs are read again (default every 6 h; 0 = off).
  const refresh = startMetadataRefresh({
    services,
    fetchDocument,
    intervalMs: metadataRefreshIntervalFromEnv(process.env.SSO_PORTAL_METADATA_REFRESH_MS),
  });
  // Signing certificates about to expire: connection.certificate_expiring (30 and 7 days before).
  const expiry = startCertificateExpiryJob({ database, store, onRecorded: () => mock.webhookWorker?.wake() });
  ready.app = app;

  let organization = (await store.listOrganizations()).find((o) => o.name === DEMO_ORGANIZATION);
  organization ??= await adminCall<OrganizationRecord>(app, adminKey, 'POST', '/api/admin/organizations', {
    name: DEMO_ORGANIZATION,
    branding: DEMO_BRANDING,
  });
  const link = await adminCall<{ id: string; url: string; expiresAt: string }>(app, adminKey, 'POST', `/api/admin/organizations/${organization.id}/links`, {});
  // The dashboard lists it with its URL (the store keeps only its token's hash).
  mock.pages.rememberLink(link);

  // One block, printed once and last, so the URLs are what the terminal shows.
  const lines: [string, string][] = [
    ['Server', `${server.origin}${publicBaseUrl === server.origin ? '' : ` (public URL ${publicBaseUrl})`}`],
    ['Data', databaseOptions.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `${databaseOptions.dataDir ?? 'in memory'} (PGlite)`],
    ['Admin key in', source],
    ...(demo
      ? ([
          ['Dashboard', `${publicBaseUrl}/`],
          ['Portal link', link.url],
          ['Link expires', `${link.expiresAt} (organization ${organization.name}, ${organization.id})`],
          ['Settings page', `${publicBaseUrl}/settings/${organization.id}`],
          ['Login page', `${publicBaseUrl}/demo/login`],
          ['IdP simulator', `${mock.saml.metadataUrl} (SAML metadata), ${mock.oidc.issuer} (OIDC issuer)`],
          ['SCIM simulator', `${publicBaseUrl}/simulator/directory (directory sync: provisions as Okta or Entra ID do)`],
        ] as [string, string][])
      : ([
          ['Portal link', link.url],
          ['Link expires', `${link.expiresAt} (organization ${organization.name}, ${organization.id})`],
          ['Demo pages', 'off (set SSO_PORTAL_DEMO=1, or use npm start)'],
        ] as [string, string][])),
    ['Admin key', adminKey],
  ];
  const stop = (signal: string) => {
    if (stopping) {
      console.log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    refresh.stop();
    expiry.stop();
    // No new connections from here on; requests in flight finish (and their writes land) before
    // the database closes, or are cut after the grace period.
    const closed = server.close({
      graceMs,
      onCut: (requests) => logger.error('shutdown: requests still running after the grace period were cut', { requests, graceMs }),
    });
    console.log(`${signal}: shutting down...`);
    void closed
      .then(() => mock.close()).then(() => mock.webhookWorker?.stop()).then(() => database.close()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // Before the banner: whoever reads it may stop the server at once (a signal before the handlers
  // would kill it without closing the database).
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by scripts/start.mjs (an IPC channel): stop when it goes away, even if it was killed.
  if (process.connected) process.on('disconnect', () => stopping || stop('parent exited'));

  console.log(['', ...lines.map(([label, value]) => `  ${`${label}:`.padEnd(16)}${value}`), '', 'Press Ctrl-C to stop.'].join('\n'));
}

// A terminal or parent that went away before the server (`npm start ... | head`, a closed
// pipe) must not turn a log line into an unhandled EPIPE crash in the middle of a shutdown.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
