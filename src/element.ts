/**
 * The CDN's main entry (`dist/cdn/sso-admin-portal.js`): the element alone. Importing it
 * registers `<sso-admin-portal>` (once) and exports its class and events. Everything else loads
 * when it is needed: the HttpAdapter with its schemas when the page sets `api-base` and `token`,
 * the wizard when the admin opens it, each step and provider guide on its way. The MemoryAdapter
 * and its demo data are in `dist/cdn/demo.js`.
 */
export { SsoAdminPortal, type PortalTheme } from './portal/sso-admin-portal.js';
export * from './portal/events.js';
export { defineElement } from './portal/define.js';
export type * from './adapters/portal-adapter.js';
export type * from './core/model.js';
