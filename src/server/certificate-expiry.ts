/**
 * The periodic job behind `connection.certificate_expiring` (`recordCertificateExpiries` of
 * `events.ts`): every instance runs it (at start, then every `intervalMs`, default hourly); the
 * event log's unique `dedupe_key` records each certificate's 30- and 7-day warning once, whichever
 * instance finds it first. The clock is injectable; tests call `runOnce()`.
 */
import type { Database } from './db/database.js';
import { recordCertificateExpiries } from './events.js';
import type { Store } from './store/store.js';

export const DEFAULT_CERTIFICATE_CHECK_MS = 3_600_000;

export interface CertificateExpiryJob {
  runOnce(): Promise<number>;
  stop(): void;
}

export function startCertificateExpiryJob(options: {
  database: Database;
  store: Store;
  now?: () => Date;
  /** 0: no timer (`runOnce()` only). */
  intervalMs?: number;
  /** After a run that recorded events (the webhook worker's `wake`). */
  onRecorded?: () => void;
  onError?: (error: unknown) => void;
}): CertificateExpiryJob {
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? ((error: unknown) => console.error('[sso-portal] certificate expiry check:', error));
  const runOnce = () =>
    recordCertificateExpiries(options.database.db, async (organizationId) => (await options.store.getOrganizationData(organizationId)).connections, now(), options.onRecorded);
  const intervalMs = options.intervalMs ?? DEFAULT_CERTIFICATE_CHECK_MS;
  let handle: ReturnType<typeof setInterval> | undefined;
  if (intervalMs > 0) {
    runOnce().catch(onError);
    handle = setInterval(() => void runOnce().catch(onError), intervalMs);
    handle.unref();
  }
  return {
    runOnce,
    stop() {
      if (handle) clearInterval(handle);
    },
  };
}
