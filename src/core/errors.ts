/**
 * Errors that cross the adapter boundary.
 *
 * Every failure an adapter reports is a {@link PortalError} with a stable `code` from
 * {@link ERROR_CODES}. Codes never change meaning once published: hosts may switch on them,
 * and the element maps each one to plain-language text that tells the admin what to do.
 */

// Core's msg (text.ts): no module of Lit, so the admin SDK (sso-admin-portal/admin) that names
// these codes carries none; English there, the portal's language in the portal.
import { msg } from './text.js';

/** What a code means, whether trying again can help, and what the admin is told. */
export interface ErrorCodeInfo {
  /** HTTP status a REST backend answers with for this code. */
  readonly status: number;
  /** Whether the same request may succeed if simply tried again. */
  readonly retryable: boolean;
  /** Short headline shown to the admin. */
  readonly title: string;
  /** What the admin can do about it, in plain words. */
  readonly action: string;
}

/**
 * The stable error codes. Adding a code is a minor change; changing or removing one is a
 * breaking change.
 */
export const ERROR_CODES = {
  // Session and access
  session_expired: {
    status: 401,
    retryable: false,
    get title() {
      return msg('This setup link has expired');
    },
    get action() {
      return msg('Ask the person who sent you this link for a new one. Anything you entered is kept in this browser.');
    },
  },
  forbidden: {
    status: 403,
    retryable: false,
    get title() {
      return msg('You are not allowed to do this');
    },
    get action() {
      return msg('This setup link does not grant this action. Ask the person who sent it to you.');
    },
  },
  not_found: {
    status: 404,
    retryable: false,
    get title() {
      return msg('Not found');
    },
    get action() {
      return msg('It may have been deleted in another tab or by a colleague. Reload to see the current state.');
    },
  },
  conflict: {
    status: 409,
    retryable: false,
    get title() {
      return msg('Changed somewhere else');
    },
    get action() {
      return msg('Someone saved a newer version meanwhile (another tab or a colleague). Review the latest values, then save again; your input is kept.');
    },
  },
  validation_failed: {
    status: 422,
    retryable: false,
    get title() {
      return msg('Some values are not valid');
    },
    get action() {
      return msg('Correct the highlighted fields and try again.');
    },
  },
  rate_limited: {
    status: 429,
    retryable: true,
    get title() {
      return msg('Too many requests');
    },
    get action() {
      return msg('Wait a moment, then try again.');
    },
  },
  // Transport
  network: {
    status: 0,
    retryable: true,
    get title() {
      return msg('Could not reach the server');
    },
    get action() {
      return msg('Check your connection, then try again.');
    },
  },
  request_timeout: {
    status: 504,
    retryable: true,
    get title() {
      return msg('The server took too long to answer');
    },
    get action() {
      return msg('Try again. If it keeps happening, the service may be having trouble.');
    },
  },
  server_error: {
    status: 500,
    retryable: true,
    get title() {
      return msg('Something went wrong on the server');
    },
    get action() {
      return msg('Try again in a moment. If it keeps happening, contact the application’s support.');
    },
  },
  unavailable: {
    status: 503,
    retryable: true,
    get title() {
      return msg('The service is not available right now');
    },
    get action() {
      return msg('Try again in a minute. If it keeps happening, contact the application’s support.');
    },
  },
  aborted: {
    status: 0,
    retryable: true,
    get title() {
      return msg('Cancelled');
    },
    get action() {
      return msg('The request was cancelled. Start it again when you are ready.');
    },
  },
  // Host configuration
  not_configured: {
    status: 0,
    retryable: false,
    get title() {
      return msg('The SSO portal is not configured');
    },
    get action() {
      return msg('The page embedding this portal must set its `adapter` property, or its `api-base` and `token` attributes.');
    },
  },
  not_available: {
    status: 501,
    retryable: false,
    get title() {
      return msg('This feature is not available');
    },
    get action() {
      return msg('This version of the portal does not support it. Contact the application’s support.');
    },
  },
  // Connections
  test_required: {
    status: 409,
    retryable: false,
    get title() {
      return msg('Test the connection first');
    },
    get action() {
      return msg('Run a successful test of the current configuration before activating it.');
    },
  },
  // Identity provider configuration
  metadata_fetch_failed: {
    status: 502,
    retryable: true,
    get title() {
      return msg('Could not download the metadata');
    },
    get action() {
      return msg('Check that the metadata URL is correct and publicly reachable, or upload the metadata file instead.');
    },
  },
  metadata_url_refused: {
    status: 422,
    retryable: false,
    get title() {
      return msg('This metadata URL is not allowed');
    },
    get action() {
      return msg('Use the public https:// metadata URL from your identity provider’s console.');
    },
  },
  metadata_too_large: {
    status: 413,
    retryable: false,
    get title() {
      return msg('The metadata is too large');
    },
    get action() {
      return msg('Make sure this is your identity provider’s metadata for this one application.');
    },
  },
  metadata_invalid: {
    status: 422,
    retryable: false,
    get title() {
      return msg('This is not valid SAML metadata');
    },
    get action() {
      return msg('Download the IdP metadata XML from your identity provider’s console and try again.');
    },
  },
  oidc_discovery_failed: {
    status: 502,
    retryable: true,
    get title() {
      return msg('Could not read the OpenID configuration');
    },
    get action() {
      return msg('Check the issuer URL: it should serve /.well-known/openid-configuration.');
    },
  },
  // Tests
  test_not_found: {
    status: 404,
    retryable: false,
    get title() {
      return msg('This test is no longer available');
    },
    get action() {
      return msg('Start a new test.');
    },
  },
  // Domains
  domain_invalid: {
    status: 422,
    retryable: false,
    get title() {
      return msg('This is not a domain you can verify');
    },
    get action() {
      return msg('Enter a domain name such as example.com, without https:// or a path.');
    },
  },
  domain_taken: {
    status: 409,
    retryable: false,
    get title() {
      return msg('This domain is already in use');
    },
    get action() {
      return msg('Another organization has verified this domain. Contact support if it belongs to you.');
    },
  },
  domain_verification_failed: {
    status: 422,
    retryable: true,
    get title() {
      return msg('The DNS record was not found yet');
    },
    get action() {
      return msg('Check the TXT record’s name and value at your DNS provider. Changes can take a few minutes to spread; then verify again.');
    },
  },
  // Anything else
  unknown: {
    status: 500,
    retryable: true,
    get title() {
      return msg('Something went wrong');
    },
    get action() {
      return msg('Try again. If it keeps happening, contact the application’s support.');
    },
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/**
 * Codes raised in the host's own code by `sso-admin-portal/admin` (`verifyWebhook`), never by an
 * adapter or the server: their texts are in `admin/host-error-codes.ts`, which adds them when
 * the admin entry loads, so the element's bundle does not carry them.
 */
export type HostErrorCode = 'webhook_headers_missing' | 'webhook_timestamp_out_of_range' | 'webhook_signature_invalid' | 'webhook_payload_invalid' | 'webhook_secret_invalid';

export type PortalErrorCode = keyof typeof ERROR_CODES | HostErrorCode;

/** The codes adapters and the server use (not the host's own, above). */
export const PORTAL_ERROR_CODES = Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[];

const hostCodes: Partial<Record<HostErrorCode, ErrorCodeInfo>> = {};

/** Adds the texts of the host's codes (`admin/host-error-codes.ts` does, once). */
export function defineHostErrorCodes(table: Readonly<Record<HostErrorCode, ErrorCodeInfo>>): void {
  Object.assign(hostCodes, table);
}

/** What a code means (a host code whose texts were not added reads as `unknown`'s). */
export function errorCodeInfo(code: PortalErrorCode): ErrorCodeInfo {
  return (Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as keyof typeof ERROR_CODES] : hostCodes[code as HostErrorCode]) ?? ERROR_CODES.unknown;
}

export function isPortalErrorCode(value: unknown): value is PortalErrorCode {
  return typeof value === 'string' && (Object.hasOwn(ERROR_CODES, value) || Object.hasOwn(hostCodes, value));
}

export interface PortalErrorInit {
  message?: string;
  status?: number;
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type adapters reject with. */
export class PortalError extends Error {
  override readonly name = 'PortalError';
  readonly code: PortalErrorCode;
  readonly status?: number;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: PortalErrorCode, init: PortalErrorInit = {}) {
    const info = errorCodeInfo(code);
    super(init.message ?? info.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? (info.status || undefined);
    this.retryable = init.retryable ?? info.retryable;
    if (init.details) this.details = init.details;
  }

  /** A plain object for JSON, logs and `postMessage`. */
  toJSON(): { code: PortalErrorCode; message: string; status?: number; retryable: boolean; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, status: this.status, retryable: this.retryable, details: this.details };
  }
}

export function isPortalError(value: unknown): value is PortalError {
  return value instanceof PortalError;
}

function isAbortError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'AbortError';
}

/**
 * Turns anything thrown into a PortalError, so that callers never show a raw exception.
 * Unknown errors keep their original in `cause` for debugging but never leak its text.
 */
export function toPortalError(value: unknown): PortalError {
  if (value instanceof PortalError) return value;
  if (isAbortError(value)) return new PortalError('aborted', { cause: value });
  if (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'TimeoutError') {
    return new PortalError('request_timeout', { cause: value });
  }
  // Chromium: "Failed to fetch"; Firefox: "NetworkError when attempting..."; Safari: "Load failed".
  if (value instanceof TypeError && /fetch|network|load failed/i.test(value.message)) {
    return new PortalError('network', { cause: value });
  }
  return new PortalError('unknown', { cause: value });
}

/** The admin-facing headline and next step for an error. */
export function describeError(error: PortalError): { title: string; action: string } {
  const info = errorCodeInfo(error.code);
  return { title: info.title, action: info.action };
}
