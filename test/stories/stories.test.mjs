// Every Storybook story (the catalogue of states a person can meet) in real Chromium, in every
// language and as a person with the strictest settings meets it: the accessibility sweep, the WCAG
// 2.2 checks axe's defaults leave out, and the languages (issue 16, point 2). One browser context
// and one page per story, in this order:
// 1. In the pseudo-locale en-XA (every translated letter accented, the text 30 % longer), loaded in
//    it from the start at 320 CSS px, so its first render is already translated: no page error, no
//    English left in the text a person reads (text nodes and aria-label, title, placeholder, alt,
//    through the shadow roots), nothing scrolls sideways, and no axe violation.
// 2. Then, in place, in each shipped language (de, fr, es, ja, ar): renders with no page error and
//    still shows its state; in Arabic (right to left) nothing scrolls sideways either.
// 3. Then the same page loads the story again, in English at 1280 px (light theme): renders with no
//    page error, and no axe violation. Loaded, not switched back in place: the English checks then
//    see the English a page loads with (text the stories' setup words as it loads, such as their
//    errors and results, stays in the language it loaded in), and a story's clock (the slow
//    network's) starts again.
// 4. In the dark theme (its `theme` attribute switched in place, as the story's `theme` arg does):
//    1.4.3 Contrast (Minimum), axe's `color-contrast` rule.
// 5. At 320 CSS px wide (400 % zoom of a 1280 px window), in forced colours (Windows High
//    Contrast) and with reduced motion; once settled:
//    - 1.4.10 Reflow: nothing scrolls sideways;
//    - 2.5.8 Target Size (Minimum): axe's `target-size` rule (off by default): every control is 24 by
//      24 CSS px or has the spacing the criterion allows;
//    - 2.4.7 Focus Visible and 1.4.11 in forced colours: Tab through the story; every control the
//      focus reaches has an outline at least 1 px wide whose colour stands 3:1 against the forced Canvas;
//    - 2.2.2 and reduced motion: no transition lasts longer than 0 s; the only animation is the busy
//      spinner, slowed to at least 2.4 s a turn (it stands beside text that says what is going on).
// 6. Last, en-XA switched in place (a live switch, as a host changing `locale` makes): no English
//    left, so text a state holds (an error under a field, the live region's last words, a refused
//    file) is worded again. Not the UI primitives' stories, whose labels are the story's own args.
// Why one page: a new context, a page load and an axe injection are most of a check's time. The
// languages go in place, so a story loads twice (en-XA, English), and each load gets axe once (its
// first run); the later runs use the page's `window.axe`.
// What is not text to translate (docs/i18n.md, "Values"): values, which the templates render in
// `<code>`, `<pre>`, `<time>` or an element of class `value`, or mark `translate="no"`; text quoted
// in English on purpose, marked `lang="en"` (an IdP console's field and option names, the titles
// of English documentation, the server's evidence in a login trace); the stories' data (names of
// organizations, connections, people, groups) and values inside sentences, listed in VALUES
// below; and what `Intl` writes in the pseudo-locale's English formats (dates, relative times).
// Needs `npm run build-storybook` first (CI runs it just before); the states are in story-states.mjs.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveStorybook, settle, settledSelector, stories, storyRoot } from './story-states.mjs';
import { findings, motion, tabThrough } from './wcag-probes.mjs';

const NARROW = 320;
/** Where the English checks start: Playwright's default viewport. */
const WIDE = { width: 1280, height: 720 };
const PSEUDO = 'en-XA';
const LANGUAGES = ['de', 'fr', 'es', 'ja', 'ar'];
const RIGHT_TO_LEFT = new Set(['ar']);
/**
 * Stories known to scroll sideways at 320 px in English (story id -> why it is not fixed yet;
 * docs/accessibility.md, "Known gaps"), none today. Their other checks still run; the test fails
 * once one reflows, so the entry goes.
 */
const REFLOW_GAPS = {};
/** Tab presses per story: more than any story has controls, so every one is reached. */
const MAX_TABS = 80;

/**
 * Values in the stories that stay as they are in every language (regular expressions, as
 * strings). Each is a name, an address, a code or a format's output.
 */
const VALUES = [
  // The stories' data: organizations, connections, people, groups (hostile ones too).
  String.raw`<img src=x onerror=alert\(1\)> "Megacorp" & Co\.|Entra ID <contractors> & "partners"|Bob <b>Sales</b>|Grace \(left the team\)`,
  String.raw`Okta \((employees|contractors|partners)\)|_?sso-verification\S*`,
  String.raw`\b(Megacorp|Acme|Ada Lovelace|Ada|Lovelace|Alan|Linus|Bob|Grace|Finance|Sales|Engineering|SSO Admins)\b`,
  // Provider and product names, protocols and formats.
  String.raw`Microsoft AD FS|Microsoft Entra ID|Entra ID|Google Workspace|OneLogin|JumpCloud|Ping ?Identity|PingOne|PingFederate|AD FS|Keycloak|Auth0|Okta|Authentik|SimpleSAMLphp|Azure`,
  String.raw`\b(SAML|OIDC|OpenID Connect|SCIM|SSO|XML|DNS|TXT|HTTPS?|PEM|RSA|ECDSA|SHA-?\d+|X\.509|URL|URI|ID|IdP|SP|ACS|JSON|JWKS|CSV|PDF|API)\b`,
  // Addresses, domains, e-mail addresses, URNs, paths.
  String.raw`[a-z][a-z0-9+.-]*://\S+`,
  String.raw`urn:[^\s"'<>]+`,
  String.raw`[\w.+-]+@([\w-]+(\.[\w-]+)+)?`,
  String.raw`\b[\w-]+(\.[\w-]+)+\b`,
  // Codes (snake_case, camelCase attribute names, ids like conn_okta_1), hex, base64.
  String.raw`\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b|\bscim_[\w-]+`,
  String.raw`\b[a-z]+[A-Z]\w*\b`,
  String.raw`\b[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){3,}\b`,
  // Dates and relative times: the pseudo-locale formats them as English does.
  String.raw`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b|\b(AM|PM|UTC|GMT)\b`,
  String.raw`\b(just now|ago|in|yesterday|today|tomorrow|now|seconds?|minutes?|hours?|days?|weeks?|months?|years?|sec|min|hr)\b\.?`,
].map((source) => new RegExp(source, 'g'));

/**
 * Runs in the page: the text under `selector` (through open shadow roots) a person reads, text
 * runs and the attributes aria-label, title, placeholder and alt. Left out: `<style>`, `<script>`,
 * `<svg>`, values (`<code>`, `<pre>`, `<kbd>`, `<samp>`, `<time>`, class `value`, `translate="no"`)
 * and English on purpose (`lang="en"`).
 */
function readableText(selector) {
  const found = new Set();
  const add = (value) => {
    if (value?.trim()) found.add(value);
  };
  // Text runs: the text nodes between two elements, across Lit's comment markers and `<wbr>` (a
  // domain name is split at its dots by `<wbr>`).
  const visitChildren = (parent) => {
    let run = '';
    for (const child of parent.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) run += child.textContent;
      else if (child.nodeType === Node.COMMENT_NODE || child.localName === 'wbr') continue;
      else {
        add(run);
        run = '';
        if (child instanceof Element) visit(child);
      }
    }
    add(run);
  };
  const visit = (element) => {
    if (['style', 'script', 'svg', 'template', 'code', 'pre', 'kbd', 'samp', 'time'].includes(element.localName)) return;
    if (element.classList.contains('value') || element.getAttribute('translate') === 'no' || element.getAttribute('lang') === 'en') return;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) add(element.getAttribute(name));
    if (element.shadowRoot) visitChildren(element.shadowRoot);
    visitChildren(element);
  };
  for (const root of document.querySelectorAll(selector)) visit(root);
  return [...found];
}

const shown = (texts) => [...new Set(texts.map((text) => text.trim().replace(/\s+/g, ' ').slice(0, 160)))];

/** The texts that still hold an English word (three unaccented ASCII letters in a row: the pseudo-locale accents every letter it translates) once the values are taken out. */
const untranslated = (texts) => shown(texts.filter((text) => /[A-Za-z]{3,}/.test(VALUES.reduce((rest, pattern) => rest.replace(pattern, ' '), text))));

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
 * axe on `root`: the rules axe runs by default, or only `rules`. A document's first run injects axe
 * with AxeBuilder; the later ones use the axe the page already has (AxeBuilder would inject its
 * half-megabyte source again for every run). AxeBuilder's legacy mode runs `axe.run` in the page,
 * as the later runs do, where its default would inject axe once more into a blank page to finish
 * the run there (about twice as slow); that mode is for iframes of other origins, which no story has.
 */
async function axe(page, root, rules) {
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) {
    const builder = new AxeBuilder({ page }).include(root).setLegacyMode();
    return (rules ? builder.withRules(rules) : builder).analyze();
  }
  return page.evaluate(([selector, values]) => window.axe.run({ include: [[selector]] }, values ? { runOnly: { type: 'rule', values } } : {}), [root, rules]);
}

const overflow = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;
const sidewaysAt = (width, sideways) => `the page scrolls ${sideways} px sideways at ${width} px`;

describe(`Storybook stories: ${PSEUDO} from the start (no English left, reflows at ${NARROW} px, axe-clean), ${LANGUAGES.join(', ')} in place, then English: axe-clean, dark-theme contrast, and at ${NARROW} px in forced colours with reduced motion`, { concurrency: 3 }, () => {
  const sb = serveStorybook();

  it('lists stories', () => assert.ok(stories.length >= 10, `only ${stories.length} stories`));

  for (const story of stories) {
    it(`${story.title} / ${story.name}`, async (t) => {
      const context = await sb.browser.newContext({ viewport: { width: NARROW, height: 800 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const root = storyRoot(story.id);
      const settledNarrow = settledSelector(story.id, { narrow: true });
      try {
        await t.test(`${PSEUDO}: renders from the start`, async () => {
          await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story&globals=locale:${PSEUDO}`);
          await page.locator(settledNarrow).first().waitFor({ timeout: 10_000 });
          await page.evaluate(settle);
          assert.deepEqual(errors, []);
        });
        await t.test(`${PSEUDO}: no English left`, async () => assert.deepEqual(untranslated(await page.evaluate(readableText, root)), []));
        await t.test(`${PSEUDO}: reflows at ${NARROW} px`, async () => {
          const sideways = await page.evaluate(overflow);
          assert.ok(sideways <= 0, sidewaysAt(NARROW, sideways));
        });
        await t.test(`${PSEUDO}: axe-clean`, async () => assert.deepEqual(findings(await axe(page, root)), []));

        for (const language of LANGUAGES) {
          await t.test(`${language}: renders${RIGHT_TO_LEFT.has(language) ? `, reflows at ${NARROW} px right to left` : ''}`, async () => {
            await page.evaluate((locale) => window.storyLocale(locale), language);
            await page.evaluate(settle);
            assert.equal(await page.evaluate(() => document.querySelector('[data-story-locale]')?.getAttribute('lang')), language);
            await page.locator(settledNarrow).first().waitFor({ timeout: 10_000 });
            if (RIGHT_TO_LEFT.has(language)) {
              const sideways = await page.evaluate(overflow);
              assert.ok(sideways <= 0, sidewaysAt(NARROW, sideways));
            }
            assert.deepEqual(errors, []);
          });
        }

        await t.test(`en, loaded at ${WIDE.width} px: renders, no page error, axe-clean`, async () => {
          await page.setViewportSize(WIDE);
          await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story`);
          await page.locator(settledSelector(story.id)).first().waitFor({ timeout: 10_000 });
          assert.equal(await page.evaluate(() => document.querySelector('[data-story-locale]')?.getAttribute('lang')), 'en');
          assert.deepEqual(findings(await axe(page, root)), []);
          assert.deepEqual(errors, []);
        });

        let themes;
        await t.test('en, dark theme: axe colour contrast', async () => {
          // Reduced motion first: the theme's colours then change at once, with no transition to
          // measure half-way (every story's transitions last 0 s then, as the last pass checks).
          await page.emulateMedia({ reducedMotion: 'reduce' });
          themes = await page.evaluate(setTheme, 'dark');
          assert.deepEqual(findings(await axe(page, root, ['color-contrast'])), []);
        });

        await t.test(`en, at ${NARROW} px in forced colours with reduced motion: reflows, targets of 24 px, focus visible, no motion`, async () => {
          if (themes) await page.evaluate(setTheme, themes);
          await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
          await page.setViewportSize({ width: NARROW, height: 800 });
          await page.locator(settledNarrow).first().waitFor({ timeout: 10_000 });
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

          const sideways = await page.evaluate(overflow);
          if (REFLOW_GAPS[story.id]) assert.ok(sideways > 0, `it reflows now: remove it from REFLOW_GAPS (${REFLOW_GAPS[story.id]})`);
          else assert.ok(sideways <= 0, sidewaysAt(NARROW, sideways));

          assert.deepEqual(findings(await axe(page, root, ['target-size'])), []);

          assert.deepEqual(await page.evaluate(motion, root), []);

          // Tab from the top of the story until the focus leaves it or comes back to the first stop.
          const { seen, unseen } = await tabThrough(page, MAX_TABS);
          assert.deepEqual(unseen, [], `focus not visible in forced colours (stops: ${seen.join(', ')})`);
          assert.deepEqual(errors, []);
        });

        // A live switch: what a state holds (an error, an announcement, a refused file) is worded
        // again. Not the UI primitives' stories: their labels are the story's args, given once as a
        // host passes them; in the portal, their parent renders them again with the new words.
        if (!story.id.startsWith('ui-primitives--')) {
          await t.test(`en, then ${PSEUDO} in place: no English left`, async () => {
            await page.evaluate((locale) => window.storyLocale(locale), PSEUDO);
            await page.evaluate(settle);
            assert.deepEqual(untranslated(await page.evaluate(readableText, root)), []);
            assert.deepEqual(errors, []);
          });
        }
      } finally {
        await context.close();
      }
    });
  }
});
