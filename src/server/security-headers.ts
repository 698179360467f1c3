/**
 * The host-origin allow-list and the security headers of the mock server.
 *
 * - {@link resolveAllowedOrigins}: the origins that may call the portal API from a browser (CORS)
 *   and frame the server's pages (`frame-ancestors`); default: the server's own origin, and in
 *   demo mode the demo origin ({@link DEMO_ORIGIN}, `npm start`); `SSO_PORTAL_ALLOWED_ORIGINS`
 *   ({@link parseOriginList}) adds more.
 * - {@link pageSecurityHeaders} / {@link applyPageSecurityHeaders}: for HTML pages
 *   (Content-Security-Policy with `frame-ancestors` from the same list, nosniff, no referrer).
 * - {@link API_SECURITY_HEADERS}: for JSON / XML answers (nothing may run or frame them), set by
 *   {@link apiSecurityHeaders} (Hono's `secureHeaders`).
 */

import { secureHeaders } from 'hono/secure-headers';
import { LogoUrlSchema, validate } from '../core/model.js';

/** Where the demo host pages run (`npm start`: the mock server itself, on 127.0.0.1:4400). */
export const DEMO_ORIGIN = 'http://127.0.0.1:4400';

/** `scheme://host[:port]` of an http(s) URL or origin; throws on anything else (including `*`). */
export function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`Not an origin: ${JSON.stringify(value)} (expected e.g. https://app.example.com).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Not an http(s) origin: ${JSON.stringify(value)}.`);
  return url.origin;
}

/**
 * The allow-list: `allowedOrigins` when given (normalised, deduplicated), else the server's
 * own origin (from `publicBaseUrl`), and {@link DEMO_ORIGIN} only in demo mode.
 */
export function resolveAllowedOrigins(publicBaseUrl: string, allowedOrigins?: readonly string[], o: { demo?: boolean } = {}): string[] {
  const list = allowedOrigins ?? [publicBaseUrl, ...(o.demo ? [DEMO_ORIGIN] : [])];
  return [...new Set(list.map(normalizeOrigin))];
}

/**
 * Parses a comma- or space-separated list of origins (`SSO_PORTAL_ALLOWED_ORIGINS`); empty:
 * undefined (the default). Strict: each entry must be exactly `scheme://host[:port]` (http or
 * https, no path, query, user name or `*`); a bad one throws an Error naming it and `name`.
 */
export function parseOriginList(value: string | undefined, name = 'SSO_PORTAL_ALLOWED_ORIGINS'): string[] | undefined {
  const items = (value ?? '').split(/[\s,]+/).filter(Boolean);
  if (items.length === 0) return undefined;
  return items.map((item) => {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    const exact = url && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && item.replace(/\/$/, '') === url.origin;
    if (!url || !exact) {
      throw new Error(`${name}: ${JSON.stringify(item)} is not an origin. Give origins as scheme://host[:port], comma-separated, e.g. https://app.example.com,http://localhost:5173 (no path, no *).`);
    }
    return url.origin;
  });
}

export interface PageSecurityOptions {
  /** Origins that may frame the page, besides the page's own ('self'). */
  frameAncestors: readonly string[];
  /** False: only `frameAncestors` may frame the page, not its own origin (the embedded portal). Default true. */
  frameSelf?: boolean;
  /** Extra `connect-src` sources (e.g. an API on another origin). */
  connectSrc?: readonly string[];
  /** Extra `form-action` sources (e.g. an IdP a page posts a SAMLRequest to). */
  formAction?: readonly string[];
  /** Extra `script-src` sources. */
  scriptSrc?: readonly string[];
  /** Extra `img-src` sources (e.g. {@link logoImageSources} of an organization's branding). */
  imgSrc?: readonly string[];
}

/** The Content-Security-Policy of an HTML page of this server. */
export function contentSecurityPolicy(options: PageSecurityOptions): string {
  const list = (base: string[], extra: readonly string[] = []) => [...new Set([...base, ...extra])].join(' ');
  return [
    "default-src 'self'",
    `script-src ${list(["'self'"], options.scriptSrc)}`,
    // Lit falls back to <style> elements where constructable stylesheets are missing.
    "style-src 'self' 'unsafe-inline'",
    `img-src ${list(["'self'", 'data:'], options.imgSrc)}`,
    `connect-src ${list(["'self'"], options.connectSrc)}`,
    `form-action ${list(["'self'"], options.formAction)}`,
    `frame-ancestors ${list(options.frameSelf === false ? [] : ["'self'"], options.frameAncestors.map(normalizeOrigin)) || "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * The `img-src` source for a branding logo: its origin, when the URL passes `LogoUrlSchema`
 * (https, or http on loopback; no quotes or spaces), else nothing (the logo does not show).
 */
export function logoImageSources(logoUrl: string | undefined): string[] {
  if (logoUrl === undefined || !validate(LogoUrlSchema, logoUrl).ok) return [];
  return [new URL(logoUrl).origin];
}

/** Headers for an HTML page: CSP, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`. */
export function pageSecurityHeaders(options: PageSecurityOptions): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** Sets {@link pageSecurityHeaders} on a response's headers (e.g. `c.res.headers` in Hono). */
export function applyPageSecurityHeaders(headers: Headers, options: PageSecurityOptions): void {
  for (const [name, value] of Object.entries(pageSecurityHeaders(options))) headers.set(name, value);
}

/** Headers for API answers (JSON, problem+json, XML): nothing in them may run or be framed. */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Middleware that sets {@link API_SECURITY_HEADERS} on every answer after its handler, except a
 * header the handler set itself (a page's own CSP): Hono's `secureHeaders` with its other headers
 * off (HSTS belongs to the TLS-terminating proxy; framing is refused by `frame-ancestors`).
 */
export const apiSecurityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xContentTypeOptions: true,
    referrerPolicy: 'no-referrer',
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    removePoweredBy: false,
    overwrite: false,
  });
