import { isServer } from 'lit';

/** The portals on the page: where exported parts stop climbing (the host page styles them there). */
export const portals = new WeakSet<Element>();

/**
 * Exports `host`'s parts to the page as `<prefix>-<part>` (a part already named for its prefix
 * keeps it): `exportparts` on `host`, and the new names passed on by each element above it up to
 * `<sso-admin-portal>`. Each element names only its own parts, so the lists stay in the chunks
 * that render them (the first load carries the overview's alone), and an element nested one
 * level deeper needs no change in its parents. The shell's `@csspart` list documents them all.
 */
export function exportParts(host: Element, prefix: string, parts: string): void {
  const own = parts.split(' ');
  const names = own.map((part) => (part.startsWith(prefix) ? part : `${prefix}-${part}`));
  let add = own.map((part, i) => `${part}:${names[i]}`);
  // Server-rendered (@lit-labs/ssr) there is no tree to climb: only the overview calls this there, right inside the shell.
  if (isServer) return void host.setAttribute('exportparts', add.join());
  for (let el = host, root; (root = el.getRootNode()) instanceof ShadowRoot; el = root.host, add = names) {
    const had = el.getAttribute('exportparts');
    el.setAttribute('exportparts', [...new Set([...(had ? had.split(',') : []), ...add])].join());
    if (portals.has(root.host)) break;
  }
}
