// Every Storybook story (the catalogue of states a person can meet) in real Chromium, opened once
// and checked three ways: the accessibility sweep, and the WCAG 2.2 checks axe's defaults leave out.
// 1. As it loads (light theme, 1280 px): renders with no page error, and no axe violation.
// 2. In the dark theme (its `theme` attribute switched in place, as the story's `theme` arg does):
//    1.4.3 Contrast (Minimum), axe's `color-contrast` rule.
// 3. As a person with the strictest settings sees it: 320 CSS px wide (400 % zoom of a 1280 px
//    window), forced colours (Windows High Contrast) and reduced motion; once settled:
//    - 1.4.10 Reflow: nothing scrolls sideways;
//    - 2.5.8 Target Size (Minimum): axe's `target-size` rule (off by default): every control is 24 by
//      24 CSS px or has the spacing the criterion allows;
//    - 2.4.7 Focus Visible and 1.4.11 in forced colours: Tab through the story; every control the
//      focus reaches has an outline at least 1 px wide whose colour stands 3:1 against the forced Canvas;
//    - 2.2.2 and reduced motion: no transition lasts longer than 0 s; the only animation is the busy
//      spinner, slowed to at least 2.4 s a turn (it stands beside text that says what is going on).
// One page per story for all three (a page load and an axe injection are most of a check's time).
// Needs `npm run build-storybook` first (CI runs it just before); the states are in story-states.mjs.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveStorybook, settledSelector, stories, storyRoot } from './story-states.mjs';
import { findings, motion, tabThrough } from './wcag-probes.mjs';

const NARROW = 320;
/**
 * Stories known to scroll sideways at 320 px (story id -> why it is not fixed yet; docs/accessibility.md,
 * "Known gaps"), none today. Their other checks still run; the test fails once one reflows, so the entry goes.
 */
const REFLOW_GAPS = {};
/** Tab presses per story: more than any story has controls, so every one is reached. */
const MAX_TABS = 80;

/**
 * Runs in the page: sets the `theme` attribute of the story's themed elements (the portal or the
 * context host standing in for it), then waits for them to render and paint. Returns the themes
 * they had. The caller emulates reduced motion first, so no colour transition is under way (the
 * document's getAnimations() would not list those inside shadow roots).
 */
async function setTheme(theme) {
  const themed = [...document.querySelectorAll('[theme]')];
  const before = themed.map((el) => el.getAttribute('theme'));
  themed.forEach((el, i) => el.setAttribute('theme', Array.isArray(theme) ? theme[i] : theme));
  await Promise.all(themed.map((el) => el.updateComplete));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return before;
}

/**
 * Runs only `rules` of axe on `root`, with the axe the page already has (AxeBuilder's first run put
 * it there; AxeBuilder would inject its half-megabyte source again for every run).
 */
async function axeRules(page, root, rules) {
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) return new AxeBuilder({ page }).include(root).withRules(rules).analyze();
  return page.evaluate(([selector, values]) => window.axe.run({ include: [[selector]] }, { runOnly: { type: 'rule', values } }), [root, rules]);
}

describe('Storybook stories: axe-clean, dark-theme contrast, and at 320 px in forced colours with reduced motion', { concurrency: 3 }, () => {
  const sb = serveStorybook();

  it('lists stories', () => assert.ok(stories.length >= 10, `only ${stories.length} stories`));

  for (const story of stories) {
    it(`${story.title} / ${story.name}`, async (t) => {
      const context = await sb.browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const root = storyRoot(story.id);
      try {
        await t.test('renders, no page error, axe-clean', async () => {
          await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story`);
          await page.locator(settledSelector(story.id)).first().waitFor({ timeout: 10_000 });
          const axe = await new AxeBuilder({ page }).include(root).analyze();
          assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
          assert.deepEqual(errors, []);
        });

        let themes;
        await t.test('dark theme: axe colour contrast', async () => {
          // Reduced motion first: the theme's colours then change at once, with no transition to
          // measure half-way (every story's transitions last 0 s then, as the third pass checks).
          await page.emulateMedia({ reducedMotion: 'reduce' });
          themes = await page.evaluate(setTheme, 'dark');
          assert.deepEqual(findings(await axeRules(page, root, ['color-contrast'])), []);
        });

        await t.test(`at ${NARROW} px in forced colours with reduced motion: reflows, targets of 24 px, focus visible, no motion`, async () => {
          if (themes) await page.evaluate(setTheme, themes);
          await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
          await page.setViewportSize({ width: NARROW, height: 800 });
          await page.locator(settledSelector(story.id, { narrow: true })).first().waitFor({ timeout: 10_000 });
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (REFLOW_GAPS[story.id]) assert.ok(overflow > 0, `it reflows now: remove it from REFLOW_GAPS (${REFLOW_GAPS[story.id]})`);
          else assert.ok(overflow <= 0, `the page scrolls ${overflow} px sideways at ${NARROW} px`);

          assert.deepEqual(findings(await axeRules(page, root, ['target-size'])), []);

          assert.deepEqual(await page.evaluate(motion, root), []);

          // Tab from the top of the story until the focus leaves it or comes back to the first stop.
          const { seen, unseen } = await tabThrough(page, MAX_TABS);
          assert.deepEqual(unseen, [], `focus not visible in forced colours (stops: ${seen.join(', ')})`);
        });
      } finally {
        await context.close();
      }
    });
  }
});
