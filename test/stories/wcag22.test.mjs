// WCAG 2.2 checks axe's default rules leave out, run on every Storybook story (every state a person
// can meet; a new state gets its story, and with it these checks). Each story is opened as a person
// with the strictest settings would see it: 320 CSS px wide (400 % zoom of a 1280 px window), forced
// colours (Windows High Contrast) and reduced motion; once settled:
// - 1.4.10 Reflow: nothing scrolls sideways;
// - 2.5.8 Target Size (Minimum): axe's `target-size` rule (off by default): every control is 24 by
//   24 CSS px or has the spacing the criterion allows;
// - 2.4.7 Focus Visible and 1.4.11 in forced colours: Tab through the story; every control the focus
//   reaches has an outline at least 1 px wide whose colour stands 3:1 against the forced Canvas;
// - 2.2.2 and reduced motion: no transition lasts longer than 0 s; the only animation is the busy
//   spinner, slowed to at least 2.4 s a turn (it stands beside text that says what is going on).
// And each story again in the dark theme (its `theme` arg; stories.test.mjs audits the light one):
// - 1.4.3 Contrast (Minimum): axe's `color-contrast` rule.
// Needs `npm run build-storybook` first; the states are in story-states.mjs.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveStorybook, settledSelector, stories, storyRoot } from './story-states.mjs';

const WIDTH = 320;
/**
 * Stories known to scroll sideways at 320 px, and why they are not fixed here (docs/accessibility.md,
 * "Known gaps"). Their other checks still run; the test fails once one reflows, so the entry goes.
 */
const REFLOW_GAPS = {
  'portal-domains--wrong-txt-value':
    'the TXT record card of the domains panel keeps the width of the DNS name "_sso-verification.megacorp.example," quoted in its text (22 px too wide); the panel is being changed in parallel (routing preview)',
};
/** Tab presses per story: more than any story has controls, so every one is reached. */
const MAX_TABS = 80;

/** Runs in the page: under `selector`, through shadow roots, transitions longer than 0 s and animations other than a slowed spinner. */
function motion(selector) {
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
function focusIndicator() {
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
  return { what: `<${el.localName}${el.id ? `#${el.id}` : ''}> "${name}"`, tabbable: el.tabIndex >= 0, outline };
}

describe('Storybook stories at 320 px, in forced colours, with reduced motion (WCAG 2.2 beyond axe\'s defaults)', { concurrency: 3 }, () => {
  const sb = serveStorybook();

  for (const story of stories) {
    it(`${story.title} / ${story.name}: reflows at 320 px, targets of 24 px, focus visible in forced colours, no motion`, async () => {
      const context = await sb.browser.newContext({ viewport: { width: WIDTH, height: 800 }, forcedColors: 'active', reducedMotion: 'reduce' });
      const page = await context.newPage();
      try {
        await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story`);
        await page.locator(settledSelector(story.id, { narrow: true })).first().waitFor({ timeout: 10_000 });
        const root = storyRoot(story.id);

        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (REFLOW_GAPS[story.id]) assert.ok(overflow > 0, `it reflows now: remove it from REFLOW_GAPS (${REFLOW_GAPS[story.id]})`);
        else assert.ok(overflow <= 0, `the page scrolls ${overflow} px sideways at ${WIDTH} px`);

        const targets = await new AxeBuilder({ page }).include(root).withRules(['target-size']).analyze();
        assert.deepEqual(
          targets.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' > ')}: ${n.any.map((c) => c.message).join('; ')}`)),
          [],
        );

        assert.deepEqual(await page.evaluate(motion, root), []);

        // Tab from the top of the story until the focus leaves it or comes back to the first stop.
        const seen = [];
        const unseen = [];
        for (let i = 0; i < MAX_TABS; i++) {
          await page.keyboard.press('Tab');
          const focus = await page.evaluate(focusIndicator);
          if (!focus || (seen.length > 0 && focus.what === seen[0])) break;
          seen.push(focus.what);
          if (!focus.outline || focus.outline.contrast < 3) unseen.push(`${focus.what}: ${focus.outline ? `outline ${focus.outline.color} at ${focus.outline.contrast}:1` : 'no outline'}`);
        }
        assert.deepEqual(unseen, [], `focus not visible in forced colours (stops: ${seen.join(', ')})`);
      } finally {
        await context.close();
      }
    });

    it(`${story.title} / ${story.name}: dark theme, axe colour contrast`, async () => {
      const context = await sb.browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story&args=theme:dark`);
        await page.locator(settledSelector(story.id)).first().waitFor({ timeout: 10_000 });
        const axe = await new AxeBuilder({ page }).include(storyRoot(story.id)).withRules(['color-contrast']).analyze();
        assert.deepEqual(axe.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' > ')}: ${n.any.map((c) => c.message).join('; ')}`)), []);
      } finally {
        await context.close();
      }
    });
  }
});
