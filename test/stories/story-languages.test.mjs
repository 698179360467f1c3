// Every Storybook story in every language (issue 16, point 2), one page per story:
// 1. In the pseudo-locale en-XA (every translated letter accented, the text 30 % longer), loaded in
//    it from the start at 320 CSS px: no page error, no English left in the text a person reads
//    (text nodes and aria-label, title, placeholder, alt, through the shadow roots), nothing
//    scrolls sideways, and axe is clean.
// 2. Then, in place, in each shipped language (de, fr, es, ja, ar): renders with no page error and
//    still shows its state; in Arabic (right to left) nothing scrolls sideways either.
// What is not text to translate (docs/i18n.md, "Values"): values, which the templates render in
// `<code>`, `<pre>`, `<time>` or an element of class `value`, or mark `translate="no"`; text quoted
// in English on purpose, marked `lang="en"` (an IdP console's field and option names, the titles
// of English documentation, the server's evidence in a login trace); the stories' data (names of
// organizations, connections, people, groups) and values inside sentences, listed in VALUES
// below; and what `Intl` writes in the pseudo-locale's English formats (dates, relative times).
// Needs `npm run build-storybook` first (CI runs it just before).
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveStorybook, settle, settledSelector, stories, storyRoot } from './story-states.mjs';

const NARROW = 320;
const PSEUDO = 'en-XA';
const LANGUAGES = ['de', 'fr', 'es', 'ja', 'ar'];
const RIGHT_TO_LEFT = new Set(['ar']);

/**
 * Values in the stories that stay as they are in every language (regular expressions, as
 * strings: they go to the page). Each is a name, an address, a code or a format's output.
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
];

/**
 * Runs in the page: the text under `selector` (through open shadow roots) a person reads, text
 * nodes and the attributes aria-label, title, placeholder and alt, that still holds an English
 * word (three unaccented ASCII letters in a row: the pseudo-locale accents every letter it
 * translates) once the `values` are taken out. Left out: `<style>`, `<script>`, `<svg>`, values
 * (`<code>`, `<pre>`, `<kbd>`, `<samp>`, `<time>`, class `value`, `translate="no"`) and English
 * on purpose (`lang="en"`).
 */
function untranslated([selector, values]) {
  const patterns = values.map((source) => new RegExp(source, 'g'));
  const found = new Set();
  const check = (value) => {
    if (!value?.trim()) return;
    let rest = value;
    for (const pattern of patterns) rest = rest.replace(pattern, ' ');
    if (/[A-Za-z]{3,}/.test(rest)) found.add(value.trim().replace(/\s+/g, ' ').slice(0, 160));
  };
  // Text runs: the text nodes between two elements, across Lit's comment markers and `<wbr>` (a
  // domain name is split at its dots by `<wbr>`).
  const visitChildren = (parent) => {
    let run = '';
    for (const child of parent.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) run += child.textContent;
      else if (child.nodeType === Node.COMMENT_NODE || child.localName === 'wbr') continue;
      else {
        check(run);
        run = '';
        if (child instanceof Element) visit(child);
      }
    }
    check(run);
  };
  const visit = (element) => {
    if (['style', 'script', 'svg', 'template', 'code', 'pre', 'kbd', 'samp', 'time'].includes(element.localName)) return;
    if (element.classList.contains('value') || element.getAttribute('translate') === 'no' || element.getAttribute('lang') === 'en') return;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) check(element.getAttribute(name));
    if (element.shadowRoot) visitChildren(element.shadowRoot);
    visitChildren(element);
  };
  for (const root of document.querySelectorAll(selector)) visit(root);
  return [...found];
}

const overflow = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;

describe(`Storybook stories in every language: ${PSEUDO} from the start (no English left, reflows at ${NARROW} px, axe-clean), then ${LANGUAGES.join(', ')} in place`, { concurrency: 3 }, () => {
  const sb = serveStorybook();

  for (const story of stories) {
    it(`${story.title} / ${story.name}`, async (t) => {
      const context = await sb.browser.newContext({ viewport: { width: NARROW, height: 800 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const root = storyRoot(story.id);
      const settled = settledSelector(story.id, { narrow: true });
      try {
        await t.test(`${PSEUDO}: renders from the start`, async () => {
          await page.goto(`${sb.origin}/sb/iframe.html?id=${story.id}&viewMode=story&globals=locale:${PSEUDO}`);
          await page.locator(settled).first().waitFor({ timeout: 10_000 });
          await page.evaluate(settle);
          assert.deepEqual(errors, []);
        });
        await t.test(`${PSEUDO}: no English left`, async () => assert.deepEqual(await page.evaluate(untranslated, [root, VALUES]), []));
        await t.test(`${PSEUDO}: reflows at ${NARROW} px`, async () => {
          const sideways = await page.evaluate(overflow);
          assert.ok(sideways <= 0, `the page scrolls ${sideways} px sideways at ${NARROW} px`);
        });
        await t.test(`${PSEUDO}: axe-clean`, async () => {
          const axe = await new AxeBuilder({ page }).include(root).analyze();
          assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
        });

        for (const language of LANGUAGES) {
          await t.test(`${language}: renders${RIGHT_TO_LEFT.has(language) ? `, reflows at ${NARROW} px right to left` : ''}`, async () => {
            await page.evaluate((locale) => window.storyLocale(locale), language);
            await page.evaluate(settle);
            assert.equal(await page.evaluate(() => document.querySelector('[data-story-locale]')?.getAttribute('lang')), language);
            await page.locator(settled).first().waitFor({ timeout: 10_000 });
            if (RIGHT_TO_LEFT.has(language)) {
              const sideways = await page.evaluate(overflow);
              assert.ok(sideways <= 0, `the page scrolls ${sideways} px sideways at ${NARROW} px`);
            }
            assert.deepEqual(errors, []);
          });
        }
      } finally {
        await context.close();
      }
    });
  }
});
