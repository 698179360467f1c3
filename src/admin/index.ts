/**
 * `sso-admin-portal/admin`: for the host's backend (Node, Deno, Workers; the standard `fetch`
 * and WebCrypto only, no DOM, no Lit). The admin API's typed client, and `verifyWebhook` for the
 * webhooks the SSO portal sends.
 */
export * from './admin-client.js';
export * from './verify-webhook.js';
export { HOST_ERROR_CODES } from './host-error-codes.js';
export { ERROR_CODES, PortalError, describeError, errorCodeInfo, isPortalError, isPortalErrorCode, type ErrorCodeInfo, type HostErrorCode, type PortalErrorCode } from '../core/errors.js';
