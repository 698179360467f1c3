/**
 * CORS for the portal API and home-realm discovery: only origins on the host allow-list
 * (`security-headers.ts` `resolveAllowedOrigins`) get `Access-Control-Allow-Origin`; bearer
 * tokens, no cookies: no credentials. Our own rather than `hono/cors` (src/server/README.md: a
 * refused preflight answers 403 `forbidden`, an `OPTIONS` that is no preflight goes on to auth).
 */
import type { MiddlewareHandler } from 'hono';
import { PortalError } from '../core/errors.js';
import { problemResponse } from './problem.js';

const CORS_METHODS = 'GET, POST, PATCH, PUT, DELETE';
const CORS_HEADERS = 'authorization, content-type';

/**
 * The CORS middleware, first after the request log, so that every answer, errors included,
 * carries the headers (a host page on an allowed origin must be able to read a 401, a 413 or a 429).
 */
export function allowListCors(allowed: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const listed = origin !== undefined && allowed.has(origin);
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method') !== undefined) {
      const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
      if (!listed) {
        const refused = problemResponse(new PortalError('forbidden', { message: 'This origin may not call the portal API.', details: { origin } }));
        refused.headers.set('vary', vary);
        return refused;
      }
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': CORS_METHODS,
        'access-control-allow-headers': CORS_HEADERS,
        'access-control-max-age': '600',
        vary,
      });
    }
    await next();
    c.res.headers.append('vary', 'Origin');
    if (listed) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-expose-headers', 'Retry-After');
    }
  };
}
