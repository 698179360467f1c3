/**
 * The CDN's demo entry (`dist/cdn/demo.js`): what a page needs to show the portal without a
 * backend, apart from the element itself: the in-browser MemoryAdapter, its demo data, and the
 * contract's schemas and codes (the MemoryAdapter validates with them).
 *
 * ```html
 * <script type="module">
 *   import 'https://cdn.example/sso-admin-portal/sso-admin-portal.js';
 *   import { MemoryAdapter, demoSeed } from 'https://cdn.example/sso-admin-portal/demo.js';
 *   document.querySelector('sso-admin-portal').adapter = new MemoryAdapter({ seed: demoSeed() });
 * </script>
 * ```
 */
export * from './adapters/memory-adapter.js';
export * from './adapters/demo-data.js';
export * from './core/contract.js';
