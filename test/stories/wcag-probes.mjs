// Probes for the WCAG 2.2 checks axe leaves out, run in the page (passed to page.evaluate): the
// story sweep (stories.test.mjs) and the server pages' sweep (test/e2e/pages-wcag22.e2e.mjs).

/** Runs in the page: under `selector`, through shadow roots, transitions longer than 0 s and animations other than a slowed spinner. */
export function motion(selector) {
  const top = document.querySelector(selector);
  const elements = [top];
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i];
    elements.push(...el.children);
    if (el.shadowRoot) elements.push(...el.shadowRoot.children);
  }
  const found = [];
  const seconds = (value) => Math.max(...value.split(',').map((v) => (v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v))));
  for (const el of elements) {
    const style = getComputedStyle(el);
    // A light-DOM child no slot shows is outside the flat tree: Chromium gives it no computed style
    // (every value empty), and it cannot move. (The test step's "Test link for a colleague" button,
    // once the panel it loaded shows instead.)
    if (style.animationName === '') continue;
    if (seconds(style.transitionDuration) > 0) found.push(`<${el.localName} class="${el.className}"> transition ${style.transitionDuration}`);
    if (style.animationName !== 'none' && !(style.animationName === 'sso-spin' && seconds(style.animationDuration) >= 2.4)) {
      found.push(`<${el.localName} class="${el.className}"> animation ${style.animationName} ${style.animationDuration}`);
    }
  }
  return found;
}

/**
 * Runs in the page: the deepest focused element (through shadow roots) and how its focus shows:
 * its outline, or the outline of the `.option` card around a radio or checkbox, with the contrast
 * of that outline's colour against the forced colours' Canvas.
 */
export function focusIndicator() {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgb = (color) => {
    const probe = document.createElement('span');
    probe.style.color = color;
    document.body.append(probe);
    const [r, g, b] = getComputedStyle(probe).color.match(/[\d.]+/g).map(Number);
    probe.remove();
    return [r, g, b];
  };
  const luminance = ([r, g, b]) => {
    const channel = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const canvas = rgb('Canvas');
  const outlineOf = (node) => {
    const style = getComputedStyle(node);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 1) return null;
    const [a, b] = [luminance(rgb(style.outlineColor)), luminance(canvas)].sort((x, y) => y - x);
    return { width: style.outlineWidth, color: style.outlineColor, contrast: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100 };
  };
  const card = el.closest('.option');
  const outline = outlineOf(el) ?? (card ? outlineOf(card) : null);
  const name = (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.id || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  return { what: `<${el.localName}${el.id ? `#${el.id}` : ''}> "${name}"`, outline };
}

/**
 * Presses Tab from where the focus is until it leaves the page or comes back to the first stop
 * (at most `max` presses): `seen`, every stop; `unseen`, those without an outline ≥ 1 px at 3:1.
 */
export async function tabThrough(page, max) {
  const seen = [];
  const unseen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(focusIndicator);
    if (!focus || (seen.length > 0 && focus.what === seen[0])) break;
    seen.push(focus.what);
    if (!focus.outline || focus.outline.contrast < 3) unseen.push(`${focus.what}: ${focus.outline ? `outline ${focus.outline.color} at ${focus.outline.contrast}:1` : 'no outline'}`);
  }
  return { seen, unseen };
}

/** axe's findings as lines: "<target>: <why>". */
export const findings = (result) => result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' > ')}: ${[...n.any, ...n.all, ...n.none].map((c) => c.message).join('; ')}`));
