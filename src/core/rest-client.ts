/**
 * The client side of the REST contract (docs/rest-api.md), shared by the portal's `HttpAdapter`
 * and the admin SDK (`sso-admin-portal/admin`): a fetch that failed, an error answer
 * (`application/problem+json` or anything else) and a success answer that is not JSON or not what
 * the contract says, each turned into a PortalError with the code the server answered or the
 * code of that transport failure.
 *
 * Pure: the standard fetch types only (browsers, Node, Deno, Workers), no DOM, no Node.
 */
import { PortalError, isPortalErrorCode, type PortalErrorCode } from './errors.js';
import { parseOrThrow, type Schema } from './model.js';

/** The code of an error answer whose body names no known code. */
export function codeForStatus(status: number): PortalErrorCode {
  switch (status) {
    case 401:
      // What the server itself answers for a missing or wrong credential (docs/rest-api.md).
      return 'forbidden';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'validation_failed';
    case 422:
      return 'validation_failed';
    case 429:
      return 'rate_limited';
    case 501:
      return 'not_available';
    case 504:
      return 'request_timeout';
    default:
      return status >= 500 ? 'server_error' : 'unknown';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ProblemOptions {
  /** The code of every 401 answer, whatever its body says (the portal API: the link expired or was revoked). */
  unauthorizedCode?: PortalErrorCode;
}

/**
 * The PortalError of an error answer: the problem's `code` when it is a known one (else the
 * status's, with the server's code in `details.serverCode`), its `detail` as the message, its
 * `details` and `retryable`. A body that is not a problem (a proxy's HTML page, nothing) leaves
 * the status to decide.
 */
export function problemError(status: number, text: string, options: ProblemOptions = {}): PortalError {
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) problem = parsed;
  } catch {
    // Not JSON: the status decides.
  }
  const known = isPortalErrorCode(problem.code) ? problem.code : undefined;
  const code: PortalErrorCode = (status === 401 ? options.unauthorizedCode : undefined) ?? known ?? codeForStatus(status);
  const message = typeof problem.detail === 'string' && problem.detail ? problem.detail : undefined;
  const details: Record<string, unknown> | undefined = isRecord(problem.details) ? { ...problem.details } : undefined;
  return new PortalError(code, {
    message,
    status,
    details: !known && typeof problem.code === 'string' ? { ...details, serverCode: problem.code } : details,
    retryable: typeof problem.retryable === 'boolean' ? problem.retryable : undefined,
  });
}

/**
 * The PortalError of a fetch that threw: `aborted` when the caller's signal fired,
 * `request_timeout` when the attempt's timeout did, else `network` (no answer at all).
 */
export function fetchFailure(error: unknown, callerSignal: AbortSignal | undefined, timeout: AbortSignal): PortalError {
  if (callerSignal?.aborted) return new PortalError('aborted', { cause: callerSignal.reason });
  if (timeout.aborted) return new PortalError('request_timeout', { cause: error });
  return new PortalError('network', { cause: error });
}

/**
 * A success answer's body, parsed and validated with the route's answer schema; `what` names it
 * in messages ("Connection"). Throws `server_error` (not retryable) when it is not JSON or not
 * what the contract says: the server broke the contract, nothing the caller can correct.
 */
export function answerOf<T>(schema: Schema<T>, text: string, status: number, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PortalError('server_error', { message: `${what}: the server's answer is not JSON.`, status, retryable: false, cause: error });
  }
  try {
    return parseOrThrow(schema, json, what);
  } catch (error) {
    const invalid = error as PortalError;
    throw new PortalError('server_error', {
      message: `The server's answer is not valid. ${invalid.message}`,
      status,
      retryable: false,
      details: invalid.details,
      cause: error,
    });
  }
}
