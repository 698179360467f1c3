/**
 * `sso-admin-portal/core`: the contract and pure logic. No DOM, no Lit: imports in Node 20
 * and in browsers with no setup.
 *
 * @module sso-admin-portal/core
 */
export * from './contract.js';
export * from './format.js';
export * from './wizard.js';
export * from './sp-metadata.js';
export * from './providers/catalog.js';
export * from './saml-metadata.js';
export * from './oidc-discovery.js';
export * from './domains.js';
export * from './test-diagnosis.js';
export { loadTestRemedies } from './providers/test-remedies.js';
export type { ProviderTestRemedies } from './providers/types.js';
export * from './certificate-usage.js';
// Types the public functions and adapters take or return, so the API reference can show them.
export type { TestLink, TestLinkSchema } from './test-link-model.js';
export type { RestRoute, RestRouteDefinition, RestMethod, RestAuth } from './rest-routes.js';
export type { RoutingDecision, RoutingReason, RoutingReasonCode } from './routing.js';
export type { TestOutcomeFields } from './rules/tests.js';
