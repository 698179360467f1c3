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
import { findings, motion, tabThrough } from './wcag-probes.mjs';

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
        assert.deepEqual(findings(targets), []);

        assert.deepEqual(await page.evaluate(motion, root), []);

        // Tab from the top of the story until the focus leaves it or comes back to the first stop.
        const { seen, unseen } = await tabThrough(page, MAX_TABS);
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
        assert.deepEqual(findings(axe), []);
      } finally {
        await context.close();
      }
    });
  }
});
