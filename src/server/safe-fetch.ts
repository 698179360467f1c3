/// <reference types="node" />
/**
 * The server-side fetch behind `POST /api/portal/metadata` and `POST /api/portal/oidc-discovery`:
 * it downloads a document from a URL an admin typed, without letting that URL reach anything
 * but the public internet (SSRF guard).
 *
 * - https only; plain http only to a loopback host (`localhost`, 127.0.0.0/8, [::1]) in dev mode.
 * - No user name or password in the URL. Any port.
 * - The host is resolved first (`dns.lookup(host, {all: true})`, injectable) and refused if ANY
 *   of its addresses is not public ({@link isForbiddenAddress}); loopback only in dev mode.
 * - The connection goes to the vetted addresses only: the request's `lookup` returns them, so a
 *   DNS answer that changes between the check and the connect (rebinding) is never used. TLS
 *   still verifies the certificate against the host name.
 * - At most `maxRedirects` redirects, followed by hand; every hop is checked again.
 * - One deadline for everything (`timeoutMs`); the body is streamed and cut off past `maxBytes`.
 * - The content type is checked loosely (XML or text for metadata, JSON for discovery) and a
 *   web page (HTML) is refused.
 *
 * Every failure is a {@link PortalError} with a plain-language message; internal details (the
 * addresses a name resolved to, raw socket errors) stay in `cause`, never in the message.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import { PortalError, type PortalErrorCode } from '../core/errors.js';
import { isLoopbackHostname } from '../core/loopback.js';
import { SAML_METADATA_MAX_BYTES } from '../core/saml-metadata.js';
import { ADDRESS_KIND_LABELS, isForbiddenAddress } from './address-policy.js';

export type DocumentKind = 'saml-metadata' | 'oidc-discovery';

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Resolves a host name to all its addresses, like `dns.lookup(host, {all: true})`. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** One request the fetcher has vetted; the connector must connect to `addresses` only. */
export interface PinnedRequest {
  url: URL;
  /** Host name as in the URL, without IPv6 brackets (for the Host header and TLS SNI). */
  hostname: string;
  /** The vetted addresses. Connect to one of these and to nothing else. */
  addresses: readonly ResolvedAddress[];
  headers: Readonly<Record<string, string>>;
  /** Aborted on timeout or when the caller gives up; the connection and body must stop. */
  signal: AbortSignal;
  /** Default GET (documents); the OIDC relying party also POSTs (token endpoint). */
  method?: string;
  body?: string | Uint8Array;
}

export interface PinnedResponse {
  status: number;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: AsyncIterable<Uint8Array>;
  /** Stop reading and release the connection (redirects, errors). */
  discard(): void;
}

/** Performs one pinned GET (no redirects). The default uses `node:http(s)`. */
export type PinnedFetch = (request: PinnedRequest) => Promise<PinnedResponse>;

export interface SafeFetcherOptions {
  /** Development: allow loopback addresses, and plain http to loopback hosts. */
  devMode: boolean;
  resolve?: Resolver;
  fetchImpl?: PinnedFetch;
  /** Deadline for the whole fetch, redirects and body included. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export type FetchDocument = (url: string, kind: DocumentKind, signal?: AbortSignal) => Promise<string>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

/** `node:http(s)` request (GET unless `method`) whose DNS lookup answers only with the vetted addresses. */
export const pinnedNodeFetch: PinnedFetch = (request) =>
  new Promise<PinnedResponse>((resolve, reject) => {
    const { url, addresses, signal } = request;
    const pinned = addresses.map((a) => ({ address: a.address, family: a.family }));
    const first = pinned[0];
    if (!first) {
      reject(new Error('no vetted address'));
      return;
    }
    const lookup = (
      _hostname: string,
      options: { all?: boolean },
      callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      if (options.all) callback(null, pinned);
      else callback(null, first.address, first.family);
    };
    const isHttps = url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: request.method ?? 'GET',
      // A literal IP never goes through `lookup`; it is the vetted address itself.
      host: request.hostname,
      port: url.port || (isHttps ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...request.headers },
      lookup,
      // A fresh connection every time: a pooled socket may lead elsewhere.
      agent: false,
      signal,
    };
    const req = (isHttps ? https : http).request(options);
    req.on('error', reject);
    req.on('response', (res) => {
      const stop = (): void => {
        res.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal.addEventListener('abort', stop, { once: true });
      res.on('close', () => signal.removeEventListener('abort', stop));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: res,
        discard: () => {
          res.destroy();
          req.destroy();
        },
      });
    });
    req.end(request.body);
  });

export interface UrlVetting {
  /** Loopback addresses allowed, and plain http to a loopback host (development). */
  allowLoopback: boolean;
  resolve: Resolver;
  /** What the URL is, in messages ("metadata URL", "webhook URL"). */
  noun: string;
  /** A URL this server does not contact (`reason`: `scheme`, `credentials`, an address kind...). */
  refuse: (message: string, reason: string) => Error;
  /** The host name could not be resolved. */
  fail: (message: string, init?: { cause?: unknown }) => Error;
  /** The last sentence of a refusal for a forbidden address (default: use the IdP's public URL). */
  remedy?: string;
  /** Races the DNS lookup against the caller's deadline (default: none). */
  race?: <T>(promise: Promise<T>) => Promise<T>;
  /** The error of a lookup cut by the deadline, or null. */
  mapAbort?: (error: unknown) => Error | null;
}

/**
 * The SSRF check of one URL before any connection: https (http only to a loopback host when
 * `allowLoopback`), no credentials, and every address the host resolves to public (loopback only
 * when `allowLoopback`). Returns the vetted addresses to connect to (and nothing else).
 */
export async function vetUrl(url: URL, options: UrlVetting): Promise<{ hostname: string; addresses: ResolvedAddress[] }> {
  const { allowLoopback, resolve, noun, refuse, fail, race = (p) => p, mapAbort = () => null, remedy = "Use your identity provider's public https:// URL." } = options;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refuse(`The ${noun} must start with https://.`, 'scheme');
  }
  if (url.protocol === 'http:' && !(allowLoopback && isLoopbackHostname(url.hostname))) {
    throw refuse(`The ${noun} must start with https://, not http://.`, 'scheme');
  }
  if (url.username || url.password) {
    throw refuse(`The ${noun} must not contain a user name or password.`, 'credentials');
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: ResolvedAddress[];
  if (isIpLiteral(url.hostname)) {
    addresses = [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }];
  } else {
    try {
      // The family is derived from the address, whatever the resolver said.
      addresses = (await race(resolve(hostname))).map(({ address }) => ({ address, family: address.includes(':') ? 6 : 4 }));
    } catch (error) {
      throw mapAbort(error) ?? fail(`The host name ${hostname} could not be found. Check the ${noun} for typos.`, { cause: error });
    }
    if (addresses.length === 0) throw fail(`The host name ${hostname} could not be found. Check the ${noun} for typos.`);
  }
  for (const { address } of addresses) {
    const verdict = isForbiddenAddress(address, { allowLoopback });
    if (verdict.forbidden) {
      const kindLabel = ADDRESS_KIND_LABELS[verdict.reason ?? 'invalid'];
      throw refuse(`The ${noun} leads to ${kindLabel}, which this server does not contact. ${remedy}`, verdict.reason ?? 'invalid');
    }
    // Plain http is for this machine only.
    if (url.protocol === 'http:' && verdict.reason !== 'loopback') {
      throw refuse(`The ${noun} must start with https://, not http://.`, 'scheme');
    }
  }
  return { hostname, addresses };
}

/**
 * Creates the guarded fetch. `fetchDocument(url, kind, signal?)` resolves to the document text
 * or rejects with a PortalError: `metadata_url_refused`, `metadata_fetch_failed` (or
 * `oidc_discovery_failed` for discovery), `metadata_too_large`, `request_timeout`, `aborted`.
 */
export function createSafeFetcher(options: SafeFetcherOptions): { fetchDocument: FetchDocument } {
  const {
    devMode,
    resolve = defaultResolver,
    fetchImpl = pinnedNodeFetch,
    timeoutMs = 10_000,
    maxBytes = SAML_METADATA_MAX_BYTES,
    maxRedirects = 3,
  } = options;

  async function fetchDocument(input: string, kind: DocumentKind, signal?: AbortSignal): Promise<string> {
    const noun = kind === 'saml-metadata' ? 'metadata URL' : 'issuer URL';
    const failCode: PortalErrorCode = kind === 'saml-metadata' ? 'metadata_fetch_failed' : 'oidc_discovery_failed';
    const refuse = (message: string, reason: string): PortalError =>
      new PortalError('metadata_url_refused', { message, details: { reason } });
    const fail = (message: string, init: { status?: number; cause?: unknown; retryable?: boolean } = {}): PortalError =>
      new PortalError(failCode, {
        message,
        cause: init.cause,
        retryable: init.retryable,
        details: init.status === undefined ? undefined : { status: init.status },
      });

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The fetch timed out.', 'TimeoutError'));
    }, timeoutMs);
    const onCallerAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) onCallerAbort();
    else signal?.addEventListener('abort', onCallerAbort, { once: true });
    const live = controller.signal;

    /** Rejects as soon as the deadline passes or the caller aborts. */
    const untilAborted = new Promise<never>((_, reject) => {
      const stop = (): void => reject(live.reason instanceof Error ? live.reason : new Error('aborted'));
      if (live.aborted) stop();
      else live.addEventListener('abort', stop, { once: true });
    });
    untilAborted.catch(() => undefined);
    const race = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, untilAborted]);

    const mapAbort = (error: unknown): PortalError | null => {
      if (!live.aborted) return null;
      if (timedOut) return new PortalError('request_timeout', { message: `The server at the ${noun} did not answer within ${formatDuration(timeoutMs)}.`, cause: error });
      return new PortalError('aborted', { cause: error });
    };

    /** Checks scheme, credentials and every address; returns the vetted addresses. */
    const vet = (url: URL) => vetUrl(url, { allowLoopback: devMode, resolve, noun, refuse, fail, race, mapAbort });

    try {
      let url = parseUrl(input);
      if (!url) throw refuse(`The ${noun} is not a valid https:// URL.`, 'invalid_url');
      for (let hop = 0; ; hop++) {
        const { hostname, addresses } = await vet(url);
        if (live.aborted) throw mapAbort(live.reason) ?? new PortalError('aborted');
        let response: PinnedResponse;
        try {
          response = await race(
            fetchImpl({
              url,
              hostname,
              addresses,
              headers: {
                host: url.host,
                accept: kind === 'saml-metadata' ? 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1' : 'application/json, */*;q=0.1',
                'accept-encoding': 'identity',
                'user-agent': 'sso-admin-portal',
              },
              signal: live,
            }),
          );
        } catch (error) {
          throw mapAbort(error) ?? fail(describeConnectError(error, hostname), { cause: error });
        }

        if (REDIRECT_STATUSES.has(response.status)) {
          response.discard();
          const location = header(response.headers, 'location');
          if (!location) throw fail(`The server at the ${noun} answered with a redirect (HTTP ${response.status}) but did not say where to.`, { status: response.status, retryable: false });
          if (hop >= maxRedirects) {
            throw refuse(`The ${noun} redirected more than ${maxRedirects} times. Use the final URL from your identity provider's console.`, 'too_many_redirects');
          }
          const next = parseUrl(location, url);
          if (!next) throw refuse(`The ${noun} redirected to an address that is not a valid https:// URL.`, 'invalid_url');
          url = next;
          continue;
        }
        if (response.status < 200 || response.status > 299) {
          response.discard();
          throw fail(`The server at the ${noun} answered with HTTP ${response.status}${statusText(response.status)}.`, {
            status: response.status,
            retryable: response.status >= 500 || response.status === 429,
          });
        }
        return await readDocument(response);
      }
    } catch (error) {
      throw error instanceof PortalError ? error : (mapAbort(error) ?? fail(`The ${noun} could not be downloaded.`, { cause: error }));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }

    async function readDocument(response: PinnedResponse): Promise<string> {
      const contentType = (header(response.headers, 'content-type') ?? '').toLowerCase();
      const mediaType = contentType.split(';')[0]?.trim() ?? '';
      const encoding = (header(response.headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
      const tooLarge = (): PortalError =>
        new PortalError('metadata_too_large', {
          message: `The document at the ${noun} is larger than ${formatBytes(maxBytes)}, the most this server downloads.`,
          details: { limitBytes: maxBytes },
        });
      try {
        if (encoding !== 'identity' && encoding !== '') throw fail(`The server at the ${noun} sent a compressed answer this server cannot read.`, { retryable: false });
        if (!acceptableType(kind, mediaType)) {
          throw fail(
            mediaType === 'text/html' || mediaType === 'application/xhtml+xml'
              ? `The ${noun} returned a web page, not ${kind === 'saml-metadata' ? 'SAML metadata' : 'an OpenID configuration'}. Copy the exact URL from your identity provider's console.`
              : `The ${noun} returned ${mediaType} content, not ${kind === 'saml-metadata' ? 'XML metadata' : 'JSON'}.`,
            { retryable: false },
          );
        }
        const declared = Number(header(response.headers, 'content-length'));
        if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
        const chunks: Uint8Array[] = [];
        let total = 0;
        for await (const chunk of response.body) {
          total += chunk.byteLength;
          if (total > maxBytes) throw tooLarge();
          chunks.push(chunk);
        }
        const bytes = new Uint8Array(total);
        let offset = 0;
        for (const chunk of chunks) {
          bytes.set(chunk, offset);
          offset += chunk.byteLength;
        }
        const text = decode(bytes, contentType);
        if (looksLikeHtml(text) || (kind === 'oidc-discovery' && text.trimStart().startsWith('<'))) {
          throw fail(`The ${noun} returned a web page, not ${kind === 'saml-metadata' ? 'SAML metadata' : 'an OpenID configuration'}. Copy the exact URL from your identity provider's console.`, { retryable: false });
        }
        return text;
      } catch (error) {
        response.discard();
        if (error instanceof PortalError) throw error;
        throw mapAbort(error) ?? fail(`The download from the ${noun} was interrupted. Try again.`, { cause: error });
      }
    }
  }

  return { fetchDocument };
}

// ---------------------------------------------------------------------------------------
// Helpers

function parseUrl(value: string, base?: URL): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

function isIpLiteral(hostname: string): boolean {
  // The URL parser normalises IPv4 forms (127.1, 0x7f.0.0.1) to dotted quads and keeps IPv6 in brackets.
  return hostname.startsWith('[') || /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function header(headers: PinnedResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function acceptableType(kind: DocumentKind, mediaType: string): boolean {
  if (mediaType === '' || mediaType === 'application/octet-stream') return true;
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return false;
  if (kind === 'saml-metadata') return mediaType.endsWith('/xml') || mediaType.endsWith('+xml') || mediaType.startsWith('text/');
  return mediaType.endsWith('/json') || mediaType.endsWith('+json') || mediaType === 'text/plain';
}

function looksLikeHtml(text: string): boolean {
  const start = text
    .slice(0, 4096)
    .replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*/i, '')
    .toLowerCase();
  return /^<(!doctype\s+html|html|head|body)[\s>]/.test(start);
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function statusText(status: number): string {
  const text = http.STATUS_CODES[status];
  return text ? ` (${text})` : '';
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 100) / 10;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} kB`;
  return `${bytes} bytes`;
}

/** A plain-language reason for a failed connection; the raw error stays in `cause`. */
function describeConnectError(error: unknown, hostname: string): string {
  const raw = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const code = typeof raw === 'string' ? raw : '';
  if (code === 'ECONNREFUSED') return `The server at ${hostname} refused the connection. Check the port in the URL.`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `The server at ${hostname} closed the connection. Try again.`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return `The server at ${hostname} could not be reached.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name ${hostname} could not be found.`;
  if (/CERT|DEPTH_ZERO|SELF_SIGNED|HOSTNAME|ALTNAME/i.test(code)) {
    return `The secure connection to ${hostname} failed: its certificate is not valid or not trusted for this host name.`;
  }
  if (/SSL|TLS/i.test(code) || /ssl|tls/i.test(error instanceof Error ? error.message : '')) {
    return `A secure (TLS) connection to ${hostname} could not be established. Check that the URL uses the server's https port.`;
  }
  return `The server at ${hostname} could not be reached.`;
}
