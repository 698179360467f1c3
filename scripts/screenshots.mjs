#!/usr/bin/env node
// The README's screenshots, one per language: the wizard (a provider's guide) and a failed test
// login with its remedy, from the Storybook build, in headless Chromium (issue 16, point 2).
// Needs `npm run build-storybook` first. Writes docs/screenshots/<story>-<locale>.png.
//   npm run screenshots
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { settle, settledSelector } from '../test/stories/story-states.mjs';
import { startStaticServer } from '../test/node/static-server.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'];
const SHOTS = [
  { name: 'wizard', story: 'portal-wizard--guide-okta-saml' },
  { name: 'test-failure', story: 'portal-test-and-activate--test-audience-mismatch' },
];
const staticDir = fileURLToPath(new URL('../storybook-static', import.meta.url));
const outDir = fileURLToPath(new URL('../docs/screenshots', import.meta.url));
if (!existsSync(`${staticDir}/index.json`)) {
  console.error('storybook-static/ is missing: run `npm run build-storybook` first.');
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

const { server, origin } = await startStaticServer({ '/sb': staticDir }, { csp: false });
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
try {
  for (const { name, story } of SHOTS) {
    for (const locale of LOCALES) {
      const page = await browser.newPage({ viewport: { width: 760, height: 820 }, reducedMotion: 'reduce' });
      await page.goto(`${origin}/sb/iframe.html?id=${story}&viewMode=story&globals=locale:${locale}`);
      await page.locator(settledSelector(story)).first().waitFor({ timeout: 10_000 });
      // Every element rendered in the language, and painted.
      await page.evaluate(settle);
      const file = `${outDir}/${name}-${locale}.png`;
      await page.screenshot({ path: file });
      console.log(`  ${file.slice(outDir.length - 'docs/screenshots'.length)}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
