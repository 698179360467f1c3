/**
 * The light part of core that the element's main entry re-exports: the contract (schemas,
 * types), error codes and test failure codes. The parsers and the provider catalog, which are
 * heavier, are in `sso-admin-portal/core` and load lazily inside the element.
 */
export * from './errors.js';
export * from './model.js';
export * from './test-failures.js';
