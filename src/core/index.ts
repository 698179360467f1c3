/**
 * `sso-admin-portal/core`: the contract and pure logic. No DOM, no Lit: imports in Node 20
 * and in browsers with no setup.
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
export * from './certificate-usage.js';
