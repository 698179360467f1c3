// custom-elements.json: the element's attributes, properties, events, parts and CSS properties,
// read from the source and its JSDoc (`npm run build:manifest`).

/** Events children send to their parent inside the portal; never seen by a host. */
const INTERNAL = new Set(['sso-navigate', 'sso-draft-change']);

/** Keeps only the documented public events (`sso-*`), not internal ones the analyzer infers. */
function publicEventsOnly() {
  return {
    name: 'public-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.events) continue;
          const seen = new Set();
          decl.events = decl.events.filter((e) => {
            const keep = e.name?.startsWith('sso-') && !INTERNAL.has(e.name) && !seen.has(e.name);
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
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [publicEventsOnly()],
};
