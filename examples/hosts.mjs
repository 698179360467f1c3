// The example hosts: what each serves where, for `npm run example:<name>` (serve.mjs) and the
// test that drives each in Chromium (test/e2e/examples.e2e.mjs).
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** By name: `workspace`, the npm workspace that builds it (none: nothing to build); `mounts`, URL prefix to folder. */
export const hosts = {
  'react-19': { workspace: 'example-react-19', mounts: { '': here('react-19/dist') } },
  'react-18': { workspace: 'example-react-18', mounts: { '': here('react-18/dist') } },
  vue: { workspace: 'example-vue', mounts: { '': here('vue/dist') } },
  svelte: { workspace: 'example-svelte', mounts: { '': here('svelte/dist') } },
  angular: { workspace: 'example-angular', mounts: { '': here('angular/dist/browser') } },
  // The page and the repository's CDN build (`npm run build:cdn`), as a site would host them.
  html: { mounts: { '/cdn': here('../dist/cdn'), '': here('html') } },
};
