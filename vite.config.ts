/**
 * Builds, by mode:
 * - `vite build --mode lib`: the npm library (ES modules; `lit`, `@lit/*`, `valibot`, `@xmldom/xmldom`
 *   and `@peculiar/*` external)
 *   in dist/lib: `index.js`, `core.js`, `adapters.js`, `admin.js` (the host backend's admin SDK: no Lit, no DOM, no Node),
 *   `embed.js` (the host page's iframe helper), `react.js` (the React wrapper; `react` external too, a peer).
 * - `vite build --mode cdn`: minified ES modules for `<script type="module">`: the element alone
 *   (dist/cdn/sso-admin-portal.js), the MemoryAdapter with demo data and schemas
 *   (dist/cdn/demo.js), the host page's iframe helper (dist/cdn/embed.js), and the chunks they
 *   load on demand (dist/cdn/chunks/).
 * - `vite build --mode cdn-iife`: one self-contained file for classic `<script>` tags with
 *   everything in it (dist/cdn/sso-admin-portal.iife.js, global `SsoAdminPortal`).
 * - `vite` (no build): the dev page, index.html, on a MemoryAdapter.
 */
import { fileURLToPath } from 'node:url';
import { minifyHTMLLiterals } from 'minify-literals';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * Minifies the markup and styles inside Lit's `html` and `css` templates of our own sources
 * (the JS minifier leaves template text alone). Conservative: runs of whitespace become one
 * space (never none, so text around inline elements keeps its spacing), attributes, entities
 * and empty attributes stay as written.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'sso-minify-templates',
    apply: 'build',
    async transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !/\b(html|css|svg)`/.test(code)) return null;
      const result = await minifyHTMLLiterals(code, {
        fileName: id,
        html: { collapseWhitespace: true, conservativeCollapse: true, decodeEntities: false, removeEmptyAttributes: false, minifyJS: false, removeComments: true },
      });
      return result ? { code: result.code, map: result.map } : null;
    },
  };
}

// Runtime dependencies stay external in the npm build (the app's bundler dedupes them).
const external = [/^lit($|\/)/, /^@lit\//, /^valibot($|\/)/, /^@xmldom\/xmldom($|\/)/, /^@peculiar\//, /^react($|\/)/, /^react-dom($|\/)/];

function libConfig(): UserConfig {
  return {
    plugins: [minifyTemplates()],
    build: {
      outDir: 'dist/lib',
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: true,
      lib: {
        entry: { index: 'src/index.ts', core: 'src/core/index.ts', adapters: 'src/adapters/index.ts', admin: 'src/admin/index.ts', embed: 'src/embed/index.ts', react: 'src/react/index.ts' },
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
  // The wizard's path through a SAML setup: its shell, the provider list and guide, the SAML step,
  // attributes, the test. One file: it is fetched ahead while the admin reads the overview, and the
  // steps are taken in a row. (Activation comes only after a successful test: its own chunk.)
  { name: 'wizard', test: /src[\\/](adapters[\\/]read-metadata|portal[\\/]wizard[\\/](sso-wizard|draft-storage|step-element|sso-step-provider|sso-step-guide|sso-step-saml|saml-certificate-card|reader-words|sso-step-attributes|sso-step-test)|portal[\\/]ui[\\/]sso-stepper|core[\\/](lazy|wizard|providers[\\/](choose|load|summaries|logo|common)))\.ts$/ },
  // The SAML metadata and certificate reader: only where the adapter's backend cannot read
  // metadata (`PortalAdapter.readSamlMetadata`), and for a certificate entered by hand.
  { name: 'saml', test: /src[\\/]core[\\/](saml-metadata|saml-metadata-reader|xml-limits|xml-dom|x509|der|loopback)\.ts$|node_modules[\\/]@noble[\\/]hashes[\\/]/ },
  // The domains panel, with the form controls and Lit directives the wizard shares (the overview
  // shows the panel, so the wizard reuses this file rather than the overview loading the wizard).
  // Not the domain input's rules (core/domains.ts): the panel loads them as the admin types one.
  // Also plurals and lists (core/text-forms.ts), which the panel, the wizard and the test result share.
  { name: 'domains', test: /src[\\/](portal[\\/](domains[\\/]sso-domains-panel(\.styles)?|ui[\\/](domain-text|field|sso-copy-field|clipboard))|core[\\/](domain-txt-record|text-forms)|portal[\\/]localize[\\/]plural)\.ts$|node_modules[\\/]lit(-html)?[\\/](directive|directive-helpers|directives[\\/](live|if-defined|repeat|unsafe-html|unsafe-svg))\.js$/ },
  // The error codes' texts and the text machinery every part uses (core's msg, the runtime's msg and
  // str): one file of the first load, shared by the element and the demo entry. With them the
  // formats of dates and numbers (core/format.ts), which the demo entry reaches too (the metadata
  // reader's plurals): left out, they would be a first-load file of their own.
  { name: 'errors', test: /src[\\/]core[\\/](errors|text|format)\.ts$|node_modules[\\/]@lit[\\/]localize[\\/](init[\\/]install|internal[\\/](str-tag|default-msg))\.js$/ },
  // Named `http-adapter`: the server's hosted page preloads the chunk of that name (server/cdn-preloads.ts). The contract's
  // schemas, and the activation rule the wizard and the MemoryAdapter's rules share (here rather than a chunk of its own).
  { name: 'http-adapter', test: /src[\\/](adapters[\\/]http-adapter|core[\\/](rest-contract|rest-routes|rest-client|model|schema-helpers|test-codes|activation))\.ts$|node_modules[\\/]valibot[\\/]/ },
].map((group) => ({ ...group, includeDependenciesRecursively: false }));

/** The CDN's ES modules: the element alone, the demo entry, and the chunks they load on demand. */
function cdnConfig(): UserConfig {
  return {
    plugins: [minifyTemplates()],
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    resolve: {
      conditions: ['production', 'module', 'browser', 'import', 'default'],
      // Browsers parse XML natively (core/xml-dom.ts): no xmldom, nor the CommonJS helpers it needs, on the CDN.
      alias: { '@xmldom/xmldom': fileURLToPath(new URL('src/core/xmldom-absent.ts', import.meta.url)) },
    },
    build: {
      outDir: 'dist/cdn',
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: true,
      // Which file holds which module: the server's hosted page preloads what its first paint needs.
      manifest: 'manifest.json',
      lib: {
        entry: { 'sso-admin-portal': 'src/element.ts', demo: 'src/demo.ts', embed: 'src/embed/index.ts' },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        preserveEntrySignatures: 'allow-extension',
        // The CDN files are final: no bundler reads their /* @__PURE__ */ marks after this one (the npm build keeps them).
        output: { minify: true, comments: { legal: false, annotation: false, jsdoc: false }, chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: { groups: CDN_CHUNKS } },
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
