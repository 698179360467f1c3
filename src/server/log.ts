/// <reference types="node" />
/**
 * Structured logs (`SSO_PORTAL_LOG`, `SSO_PORTAL_LOG_FORMAT`): one line per request, with its
 * request id, and one line per unexpected error, with its message and stack (only ever in the
 * log, never in an answer).
 *
 * Never a secret: no query string (tokens, codes, `state`, SAMLResponse, RelayState), no body,
 * no header value (Authorization, Cookie), and path segments that carry a credential (a portal
 * link's token, a login key, an IdP interaction) are replaced by their name.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

export const LOG_LEVELS = ['info', 'error', 'off'] as const;
/** `info`: requests and errors; `error`: unexpected errors only; `off`: nothing. */
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'text'] as const;
/** `json`: one JSON object a line (for log collectors); `text`: one readable line (for a terminal). */
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  readonly level: LogLevel;
  info(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** Default `error`. */
  level?: LogLevel;
  /** Default `json`. */
  format?: LogFormat;
  /** Where a finished line goes (default: `info` lines to stdout, `error` lines to stderr). */
  write?: (line: string, level: 'info' | 'error') => void;
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { off: 0, error: 1, info: 2 };
const RESERVED = new Set(['time', 'level', 'msg']);

const defaultWrite = (line: string, level: 'info' | 'error') => (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);

function textLine(entry: Record<string, unknown>): string {
  const { time, level, msg, stack, ...fields } = entry;
  const pairs = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`);
  const line = [String(time), String(level).toUpperCase().padEnd(5), String(msg), ...pairs].join(' ');
  return typeof stack === 'string' ? `${line}\n${stack}` : line;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'error';
  const format = options.format ?? 'json';
  const now = options.now ?? (() => new Date());
  const write = options.write ?? defaultWrite;
  const emit = (lineLevel: 'info' | 'error', msg: string, fields: LogFields = {}) => {
    if (RANK[lineLevel] > RANK[level]) return;
    const entry: Record<string, unknown> = { time: now().toISOString(), level: lineLevel, msg };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && !RESERVED.has(k)) entry[k] = v;
    write(format === 'json' ? JSON.stringify(entry) : textLine(entry), lineLevel);
  };
  return { level, info: (msg, fields) => emit('info', msg, fields), error: (msg, fields) => emit('error', msg, fields) };
}

/**
 * The log settings of `main.ts`: `SSO_PORTAL_LOG` (default `info`, and `error` in demo mode so
 * that `npm start` shows only its URLs) and `SSO_PORTAL_LOG_FORMAT` (default `json`). A bad value
 * is a start error.
 */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv, { demo }: { demo: boolean }): { level: LogLevel; format: LogFormat } {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = (env[name] ?? '').trim().toLowerCase();
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new Error(`${name} must be one of ${allowed.join(', ')}, not "${env[name]}".`);
  };
  return { level: pick('SSO_PORTAL_LOG', LOG_LEVELS, demo ? 'error' : 'info'), format: pick('SSO_PORTAL_LOG_FORMAT', LOG_FORMATS, 'json') };
}

/** The message and stack of anything thrown, for an error line. */
export function errorFields(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}

// ---------------------------------------------------------------------------------------
// Requests

export const REQUEST_ID_HEADER = 'x-request-id';
/** A request id a proxy or client sent that we keep (UUIDs, hex, `Root=1-...`): anything else is replaced. */
const REQUEST_ID_SHAPE = /^[\w.:=-]{1,128}$/;
/** Paths answered to load-balancer probes: logged only when they fail. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);
const MAX_PATH = 300;

/** The request id of a request: its `X-Request-Id` when well-formed, else a new one. */
export function requestIdOf(header: string | undefined): string {
  return header !== undefined && REQUEST_ID_SHAPE.test(header) ? header : randomUUID();
}

/** Path segments that carry a credential, replaced by their name. */
const SECRET_PATHS: [RegExp, string][] = [
  [/^\/portal\/[^/]+/, '/portal/:token'],
  [/^\/sso\/start\/[^/]+/, '/sso/start/:key'],
  [/^\/simulator\/oidc\/(interaction|auth)\/[^/]+/, '/simulator/oidc/$1/:uid'],
];

/**
 * A request's path as it may be logged: no query string, credential segments named instead
 * of shown, and (in case a future route carries one) any segment that looks like a random token
 * (24 or more URL-safe characters, no dot) likewise; at most 300 characters.
 */
export function loggablePath(pathname: string): string {
  let path = pathname.split('?')[0] ?? '';
  for (const [pattern, name] of SECRET_PATHS) path = path.replace(pattern, name);
  path = path
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_%-]{24,}$/.test(segment) ? ':redacted' : segment))
    .join('/');
  return path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
}

export type RequestLogEnv = { Variables: { requestId: string } };

/**
 * The first middleware: gives the request its id (`c.var.requestId`, echoed in `X-Request-Id`
 * on every answer) and logs one `request` line when it is answered.
 */
export function requestLog(logger: Logger): MiddlewareHandler<RequestLogEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    // Answers written straight to Node's response (the OIDC simulator) get it from here.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing && !outgoing.headersSent && !outgoing.hasHeader(REQUEST_ID_HEADER)) outgoing.setHeader(REQUEST_ID_HEADER, requestId);
    let status = 500;
    try {
      await next();
      const sent = c.res === RESPONSE_ALREADY_SENT;
      status = sent && outgoing ? outgoing.statusCode : c.res.status;
      if (!sent) c.header(REQUEST_ID_HEADER, requestId);
    } finally {
      const path = new URL(c.req.url).pathname;
      if (logger.level === 'info' && !(PROBE_PATHS.has(path) && status < 400)) {
        logger.info('request', {
          requestId,
          method: c.req.method,
          path: loggablePath(path),
          status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        });
      }
    }
  };
}
