// The catalogues (docs/i18n.md): xliff/ holds every msg() of the source with a translation in
// each language, and src/portal/localize/generated/ is what `npm run i18n` builds from them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { pseudoContents } from '../../scripts/i18n.mjs';

test('`npm run i18n -- --check` passes: catalogues up to date, every message translated', () => {
  const out = execFileSync(process.execPath, ['scripts/i18n.mjs', '--check'], { encoding: 'utf8' });
  assert.match(out, /Catalogues up to date/);
});

test('the pseudo-locale accents letters, keeps placeholders, and is 30% longer', () => {
  assert.deepEqual(pseudoContents(['Save']), ['[', 'Šåṽé', ' ··]']);
  const placeholder = { untranslatable: '${domain}', index: 0 };
  const contents = pseudoContents(['Add ', placeholder, ' & go']);
  assert.deepEqual(contents, ['[', 'Åđđ ', placeholder, ' & ĝö', ' ···]']);
});
