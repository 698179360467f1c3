/**
 * `sso-admin-portal`: importing this module registers `<sso-admin-portal>` (once) and
 * exports its class, its events, the adapters and the contract. Parsers and the provider
 * catalog are in `sso-admin-portal/core` (the element loads them lazily).
 *
 * @module sso-admin-portal
 */
export { SsoAdminPortal, type PortalTheme } from './portal/sso-admin-portal.js';
export * from './portal/events.js';
export * from './portal/directory/directory-events.js';
export { defineElement } from './portal/define.js';
export type * from './adapters/portal-adapter.js';
export * from './adapters/memory-adapter.js';
export * from './adapters/demo-data.js';
// The HttpAdapter is in `sso-admin-portal/adapters`; the element loads it by itself for
// `api-base` + `token`, so it stays out of the first bundle.
export * from './core/contract.js';
export { OVERVIEW, wizardEntry, WIZARD_STEPS, type PortalView, type WizardStep } from './core/wizard.js';
