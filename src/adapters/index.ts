/**
 * `sso-admin-portal/adapters`: the adapter contract and the implementations.
 *
 * @module sso-admin-portal/adapters
 */
export type * from './portal-adapter.js';
export * from './memory-adapter.js';
export * from './demo-data.js';
export * from './http-adapter.js';
