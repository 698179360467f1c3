import process from 'node:process';

// custom-elements.json: the element's attributes, properties, events, parts and CSS properties,
// read from the source and its JSDoc (`npm run build:manifest`). Only what a host may use is
// listed: the elements inside the portal's shadow root and the events they send each other are
// internal, and test/node/manifest-public.test.mjs fails if one leaks in.

/** The elements a host puts in its page (the README's "Public API"); every other tag is internal. */
const PUBLIC_TAGS = new Set(['sso-admin-portal']);

/** Modules of the package's entry that hold public JavaScript (event classes, `defineElement`). */
const PUBLIC_MODULES = new Set(['src/portal/events.ts', 'src/portal/directory/directory-events.ts', 'src/portal/define.ts']);

/** Events children send to their parent inside the portal; never seen by a host. */
const INTERNAL_EVENTS = new Set(['sso-navigate', 'sso-draft-change']);

const isPublicElement = (decl) => decl.customElement && PUBLIC_TAGS.has(decl.tagName);

/**
 * Drops the internal elements (and the modules left with nothing public), the public element's
 * private and protected members, and every event but the documented `sso-*` ones.
 */
function publicSurfaceOnly() {
  return {
    name: 'public-surface-only',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules = customElementsManifest.modules.filter((mod) => {
        if (PUBLIC_MODULES.has(mod.path)) return true;
        mod.declarations = (mod.declarations ?? []).filter(isPublicElement);
        mod.exports = (mod.exports ?? []).filter((e) => mod.declarations.some((d) => d.name === e.declaration?.name || d.tagName === e.name));
        return mod.declarations.length > 0;
      });
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations.filter(isPublicElement)) {
          decl.members = decl.members?.filter((m) => !m.privacy || m.privacy === 'public');
          const seen = new Set();
          decl.events = decl.events?.filter((e) => {
            const keep = e.name?.startsWith('sso-') && !INTERNAL_EVENTS.has(e.name) && !seen.has(e.name);
            seen.add(e.name);
            return keep;
          });
        }
      }
    },
  };
}

export default {
  globs: ['src/portal/**/*.ts'],
  exclude: ['src/portal/**/*.styles.ts', 'src/portal/styles/**'],
  // test/node/manifest-public.test.mjs builds into a temporary folder (relative to here) and
  // leaves package.json alone.
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  packagejson: !process.env.CEM_OUTDIR,
  plugins: [publicSurfaceOnly()],
};
