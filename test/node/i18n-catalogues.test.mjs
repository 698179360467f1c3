// The catalogues (docs/i18n.md): xliff/ holds every msg() of the source with a translation in
// each language, and src/portal/localize/generated/ (what a browser loads) and
// src/server/localize/generated/ (messages only the server's pages use) are what `npm run i18n` builds from them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { pseudoContents } from '../../scripts/i18n.mjs';

test('`npm run i18n -- --check` passes: catalogues up to date, every message translated', () => {
  const out = execFileSync(process.execPath, ['scripts/i18n.mjs', '--check'], { encoding: 'utf8' });
  assert.match(out, /Catalogues up to date/);
});

test('messages only the server’s pages use are in its catalogues, not in those a browser downloads', async () => {
  const { generateMsgId } = await import('@lit/localize/internal/id-generation.js');
  // The IdP Simulator's sign-in heading (src/server/simulator/saml-routes.ts) and the portal's "Try again".
  const simulatorOnly = generateMsgId(['Sign in to the IdP Simulator'], false);
  const portal = generateMsgId(['Try again'], false);
  for (const locale of ['de', 'ar', 'en-XA']) {
    const browser = readFileSync(`src/portal/localize/generated/${locale}.ts`, 'utf8');
    const server = readFileSync(`src/server/localize/generated/${locale}.ts`, 'utf8');
    assert.ok(!browser.includes(`'${simulatorOnly}'`) && server.includes(`'${simulatorOnly}'`), `${locale}: the simulator's heading is in the server's catalogue only`);
    assert.ok(browser.includes(`'${portal}'`) && !server.includes(`'${portal}'`), `${locale}: "Try again" is in the portal's catalogue`);
  }
});

test('the pseudo-locale accents letters, keeps placeholders, and is 30% longer', () => {
  assert.deepEqual(pseudoContents(['Save']), ['[', 'Šåṽé', ' ··]']);
  const placeholder = { untranslatable: '${domain}', index: 0 };
  const contents = pseudoContents(['Add ', placeholder, ' & go']);
  assert.deepEqual(contents, ['[', 'Åđđ ', placeholder, ' & ĝö', ' ···]']);
});
