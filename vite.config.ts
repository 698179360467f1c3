/**
 * Builds, by mode:
 * - `vite build --mode lib`: the npm library (ES modules; `lit`, `@lit/*`, `zod`, `@xmldom/xmldom`
 *   and `@peculiar/*` external)
 *   in dist/lib: `index.js`, `core.js`, `adapters.js`.
 * - `vite build --mode cdn`: minified ES modules for `<script type="module">`: the element alone
 *   (dist/cdn/sso-admin-portal.js), the MemoryAdapter with demo data and schemas
 *   (dist/cdn/demo.js), and the chunks they load on demand (dist/cdn/chunks/).
 * - `vite build --mode cdn-iife`: one self-contained file for classic `<script>` tags with
 *   everything in it (dist/cdn/sso-admin-portal.iife.js, global `SsoAdminPortal`).
 * - `vite` (no build): the dev page, index.html, on a MemoryAdapter.
 */
import { defineConfig, type UserConfig } from 'vite';

// Runtime dependencies stay external in the npm build (the app's bundler dedupes them).
const external = [/^lit($|\/)/, /^@lit\//, /^zod($|\/)/, /^@xmldom\/xmldom($|\/)/, /^@peculiar\//];

function libConfig(): UserConfig {
  return {
    build: {
      outDir: 'dist/lib',
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: true,
      lib: {
        entry: { index: 'src/index.ts', core: 'src/core/index.ts', adapters: 'src/adapters/index.ts' },
        formats: ['es'],
      },
      rolldownOptions: { external },
    },
  };
}

/**
 * The CDN's lazy chunks, by what the admin does: a few larger files compress better than many
 * small ones (gzip learns each file's words anew) and cost fewer requests. Modules not named here
 * (provider guides, the OIDC step, the test result, ...) get a chunk each, loaded when needed.
 */
const CDN_CHUNKS = [
  // Form controls the domains panel shares with the wizard (in neither, or the overview would load the wizard).
  { name: 'controls', test: /src[\\/]portal[\\/]ui[\\/](field|sso-copy-field|clipboard)\.ts$|node_modules[\\/]lit(-html)?[\\/](directive|directive-helpers|directives[\\/](live|if-defined))\.js$/ },
  { name: 'wizard', test: /src[\\/](portal[\\/]wizard[\\/](sso-wizard|draft-storage|step-element|sso-step-provider|sso-step-guide)|portal[\\/]ui[\\/]sso-stepper|core[\\/](wizard|sp-metadata|providers[\\/](choose|load|summaries|logo|common)))\.ts$/ },
  { name: 'saml', test: /src[\\/](portal[\\/]wizard[\\/]sso-step-saml|core[\\/](saml-metadata|saml-metadata-reader|xml-limits|xml-dom|x509|der|loopback))\.ts$/ },
  { name: 'domains', test: /src[\\/](portal[\\/](domains[\\/]sso-domains-panel(\.styles)?|ui[\\/]domain-text)|core[\\/]domains)\.ts$/ },
  // Named `http-adapter`: the server's hosted page preloads the chunk of that name (server/cdn-preloads.ts).
  { name: 'http-adapter', test: /src[\\/](adapters[\\/]http-adapter|core[\\/](rest-contract|model|test-failures))\.ts$|node_modules[\\/]zod[\\/]/ },
].map((group) => ({ ...group, includeDependenciesRecursively: false }));

/** The CDN's ES modules: the element alone, the demo entry, and the chunks they load on demand. */
function cdnConfig(): UserConfig {
  return {
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    resolve: { conditions: ['production', 'module', 'browser', 'import', 'default'] },
    build: {
      outDir: 'dist/cdn',
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: true,
      // Which file holds which module: the server's hosted page preloads what its first paint needs.
      manifest: 'manifest.json',
      lib: {
        entry: { 'sso-admin-portal': 'src/element.ts', demo: 'src/demo.ts' },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        preserveEntrySignatures: 'allow-extension',
        output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: { groups: CDN_CHUNKS } },
      },
    },
  };
}

/** The CDN's classic-script twin: one file with everything (element, demo, lazy parts inlined), global `SsoAdminPortal`. */
function cdnIifeConfig(): UserConfig {
  const config = cdnConfig();
  return {
    ...config,
    build: {
      ...config.build,
      emptyOutDir: false,
      manifest: false, // the ES build's manifest stays
      lib: { entry: 'src/index.ts', name: 'SsoAdminPortal', formats: ['iife'], fileName: () => 'sso-admin-portal.iife.js' },
      rolldownOptions: { output: { minify: true } },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'lib') return libConfig();
  if (mode === 'cdn') return cdnConfig();
  if (mode === 'cdn-iife') return cdnIifeConfig();
  return { server: { host: '127.0.0.1' } };
});
