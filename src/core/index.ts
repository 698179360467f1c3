/**
 * `sso-admin-portal/core`: the contract and pure logic. No DOM, no Lit: imports in Node 20
 * and in browsers with no setup.
 */
export * from './errors.js';
export * from './model.js';
export * from './test-failures.js';
export * from './providers/catalog.js';
