/**
 * Where the server finds its files on disk: the pages' templates and assets (`pages/`) and the
 * repository's root (the CDN build in `dist/cdn`). Computed here alone, from this module's URL,
 * so the server still finds them when its modules are bundled into one file: the server tests'
 * bundle (test/support/server-entry.ts) sets this module's `import.meta.url`.
 */
import { fileURLToPath } from 'node:url';

/** `src/server/pages/`, with its trailing slash. */
export const PAGES_DIR = fileURLToPath(new URL('./pages/', import.meta.url));

/** The repository's root, with its trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
