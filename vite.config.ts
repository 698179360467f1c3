/**
 * Builds, by mode:
 * - `vite build --mode lib`: the npm library (ES modules; `lit`, `@lit/*`, `zod`, `@xmldom/xmldom`
 *   and `@peculiar/*` external)
 *   in dist/lib: `index.js`, `core.js`, `adapters.js`.
 * - `vite build --mode cdn`: one self-contained, minified file for `<script type="module">`
 *   (dist/cdn/sso-admin-portal.js) and its IIFE twin for classic `<script>` tags
 *   (dist/cdn/sso-admin-portal.iife.js, global `SsoAdminPortal`).
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
      lib: {
        entry: 'src/index.ts',
        name: 'SsoAdminPortal',
        formats: ['es', 'iife'],
        fileName: (format) => (format === 'es' ? 'sso-admin-portal.js' : 'sso-admin-portal.iife.js'),
      },
      rolldownOptions: { output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'lib') return libConfig();
  if (mode === 'cdn') return cdnConfig();
  return { server: { host: '127.0.0.1' } };
});
