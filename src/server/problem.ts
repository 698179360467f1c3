/** PortalError <-> `application/problem+json` (docs/rest-api.md). */
import { PortalError, errorCodeInfo, toPortalError } from '../core/errors.js';

export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  code: string;
  detail: string;
  retryable: boolean;
  details?: Record<string, unknown>;
}

/** The problem document and HTTP status for anything thrown; unknown errors never leak their text. */
export function toProblem(error: unknown): Problem {
  const e = toPortalError(error);
  const status = e.status ?? (errorCodeInfo(e.code).status || 500);
  const problem: Problem = {
    type: 'about:blank',
    title: errorCodeInfo(e.code).title,
    status,
    code: e.code,
    detail: e.message,
    retryable: e.retryable,
  };
  if (e.details) problem.details = e.details;
  return problem;
}

export function problemResponse(error: unknown): Response {
  const problem = toProblem(error);
  const headers = new Headers({ 'content-type': 'application/problem+json' });
  if (problem.status === 401) headers.set('www-authenticate', 'Bearer');
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

export { PortalError };
