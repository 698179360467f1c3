/**
 * `sso-admin-portal/admin`: for the host's backend (Node, Deno, Workers; the standard `fetch`
 * only, no DOM, no Lit): the admin API's typed client.
 */
export * from './admin-client.js';
export { ERROR_CODES, PortalError, describeError, isPortalError, isPortalErrorCode, type ErrorCodeInfo, type PortalErrorCode } from '../core/errors.js';
