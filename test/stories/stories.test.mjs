// Every Storybook story renders in real Chromium with no page error and no axe violation.
// Stories are the catalogue of states a person can meet, so this is the accessibility sweep.
// Needs `npm run build-storybook` first (CI runs it just before); the states are in story-states.mjs.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveStorybook, settledSelector, stories, storyRoot } from './story-states.mjs';

describe('Storybook stories', { concurrency: 3 }, () => {
  const sb = serveStorybook();

  it('lists stories', () => assert.ok(stories.length >= 10, `only ${stories.length} stories`));

  for (const story of stories) {
    it(`${story.title} / ${story.name}: renders, no page error, axe-clean`, async () => {
      const context = await sb.browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story`);
        await page.locator(settledSelector(story.id)).first().waitFor({ timeout: 10_000 });
        const axe = await new AxeBuilder({ page }).include(storyRoot(story.id)).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
