/// <reference types="node" />
/**
 * The hosted portal page's overview, server-rendered (issue 12): `<sso-admin-portal>` rendered
 * by @lit-labs/ssr with the page's first answers, as declarative shadow DOM (`<template
 * shadowrootmode>`), so the browser paints the overview while it parses the HTML, before any
 * script has run.
 *
 * No hydration: in the browser the element renders into that shadow root anew (`attachShadow`
 * on an element with a declarative shadow root empties it and hands it over). Its first render
 * comes from the same first answers, in the task of its upgrade (the page runs the HttpAdapter
 * before the element: `adapters/http-adapter-loader.ts`), so no frame shows anything but the
 * overview. Lit's hydration support would add its bytes to the page and need the browser's first
 * render to be the server's to the character (times, the clock, the locale).
 *
 * Until then the server's overview is `inert`: painted, but neither focusable nor clicked (its
 * buttons would do nothing yet), so no focus is lost when the element replaces it.
 *
 * Its `<style>` elements are what Lit adopts in the browser; the pages' CSP allows them
 * (`style-src 'self' 'unsafe-inline'`, security-headers.ts). Text and attribute values are
 * escaped by Lit's renderer, as in the browser.
 */
import type { PortalSession, Connection } from '../core/model.js';
import type { Loaded } from '../portal/sso-admin-portal.js';

/** Renders the shadow root of `<sso-admin-portal>` showing `answers`: the `<template shadowrootmode>` to put inside the element. */
export type PortalShadowRenderer = (answers: { session: PortalSession; connections: Connection[] }) => string;

const TAG = 'sso-admin-portal';
/** The shell's outer box (`render()` of portal/sso-admin-portal.ts), which the server's render makes inert. */
const BASE = '<div class="portal" part="base"';

/**
 * Loads Lit's server renderer and the element's modules (once: a few hundred milliseconds under
 * tsx, so the server starts this when it mounts the pages, not on the first page).
 */
export async function loadPortalShadowRenderer(): Promise<PortalShadowRenderer> {
  const [{ render, LitElementRenderer }, { html }] = await Promise.all([import('@lit-labs/ssr'), import('lit')]);
  const { collectResultSync } = await import('@lit-labs/ssr/lib/render-result.js');
  // connectedCallback runs on the server too for the portal's own elements: the shell's context
  // (portal/context.ts) then gives the overview its session (the organization's name in the
  // heading), as in the browser.
  LitElementRenderer.renderOptions.push((element) => (element.localName.startsWith('sso-') ? { connectedCallback: true } : undefined));
  await import('../portal/sso-admin-portal.js');
  return (answers) => {
    const serverAnswers: Loaded = answers;
    const out = collectResultSync(render(html`<sso-admin-portal .serverAnswers=${serverAnswers}></sso-admin-portal>`));
    const start = out.indexOf('<template shadowroot');
    const end = out.lastIndexOf(`</${TAG}>`);
    const open = out.indexOf(`<${TAG} `);
    if (open < 0 || start < open || end < start) {
      throw new Error(`@lit-labs/ssr rendered no declarative shadow root for <${TAG}>`);
    }
    // Lit's markers serve hydration alone, which the browser does not do here. A page's text
    // cannot forge one: `<` in values comes out as `&lt;`.
    const shadow = out.slice(start, end).replace(/<!--\/?lit-(?:part|node)[^>]*-->|<\?>/g, '');
    if (!shadow.includes(BASE)) throw new Error(`the server's render of <${TAG}> has no ${BASE}>`);
    return shadow.replace(BASE, `${BASE} inert`);
  };
}
