/// <reference types="node" />
/**
 * The SCIM request log's words (`core/directory-request-text.ts`): every summary code and every
 * remedy case has English text (none empty, no value left out), unknown codes are left to the
 * stored English, and each has a German translation in which the IdP consoles' labels stay English.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import { DIRECTORY_PROVIDERS, type DirectoryRequestFacts } from '../../src/core/directory-model.js';
import { DIRECTORY_SUMMARY_CODES, directoryRemedyText, directorySummaryText } from '../../src/core/directory-request-text.js';
import { setDisplayLocale } from '../../src/core/format.js';
import { inEnglish, setCoreText } from '../../src/core/text.js';
import { templates as de } from '../../src/portal/localize/generated/de.js';

const VALUES = { user: 'ada@acme.example', group: 'Sales', name: 'User', count: 2, total: 5, found: 1, members: 3, added: 2, removed: 1, attributes: ['userName', 'emails.value'], method: 'PATCH', resource: 'Users', id: 'usr_1' };
/** Every branch of the remedy: status, method, resource, scimType, token problem. */
const FACTS: DirectoryRequestFacts[] = [
  { status: 401, method: 'GET', resource: 'Users', tokenProblem: 'missing' },
  { status: 401, method: 'GET', resource: 'Users', tokenProblem: 'wrong' },
  { status: 403, method: 'POST', resource: 'Users' },
  { status: 404, method: 'GET', resource: 'Users' },
  { status: 404, method: 'PATCH', resource: 'Groups' },
  { status: 404, method: 'GET', resource: 'Nope' },
  { status: 409, method: 'POST', resource: 'Users', scimType: 'uniqueness' },
  { status: 412, method: 'PUT', resource: 'Users' },
  { status: 412, method: 'PUT', resource: 'Groups' },
  { status: 413, method: 'POST', resource: 'Groups' },
  { status: 429, method: 'GET', resource: 'Users' },
  { status: 501, method: 'POST', resource: 'Bulk' },
  { status: 500, method: 'GET', resource: 'Users' },
  { status: 503, method: 'GET', resource: 'Users' },
  { status: 400, method: 'PATCH', resource: 'Users', scimType: 'invalidPath' },
  { status: 400, method: 'GET', resource: 'Users', scimType: 'invalidFilter' },
  { status: 400, method: 'POST', resource: 'Users', scimType: 'invalidValue' },
];
const FULL_SENTENCE = /^\S.*[.)]$/s;
const LEFT_OUT = /undefined|NaN|\[object|\$\{|\{\d\}/;

function inGerman<T>(read: () => T): T {
  setCoreText(((template: Parameters<typeof runtimeMsg>[1]) => runtimeMsg(de, template, {})) as Parameters<typeof setCoreText>[0]);
  setDisplayLocale('de');
  try {
    return read();
  } finally {
    setCoreText(String as Parameters<typeof setCoreText>[0]);
    setDisplayLocale(undefined);
  }
}
after(() => setCoreText(String as Parameters<typeof setCoreText>[0]));

describe('directory request log words', () => {
  test('every summary code has English text, with its values; an unknown code is left to the stored text', () => {
    for (const code of DIRECTORY_SUMMARY_CODES) {
      const text = inEnglish(() => directorySummaryText(code, VALUES));
      assert.ok(text && text.length > 6, code);
      assert.doesNotMatch(text, LEFT_OUT, code);
    }
    assert.equal(directorySummaryText('user_created', { user: 'ada@acme.example' }), 'Created user ada@acme.example');
    assert.equal(directorySummaryText('users_looked_up', { attributes: ['userName', 'externalId'], found: 0 }), 'Looked up users by userName, externalId (0 found)');
    assert.equal(directorySummaryText('users_looked_up', { attributes: [], found: 2 }), 'Looked up users by a filter (2 found)');
    assert.equal(directorySummaryText('group_updated', { group: 'Sales', removed: 1 }), 'Updated group Sales (1 member removed)');
    assert.equal(directorySummaryText('group_created', { group: 'Sales' }), 'Created group Sales');
    assert.equal(directorySummaryText('request_refused', { method: 'POST', resource: 'Groups' }), 'Refused: Create a group');
    assert.equal(directorySummaryText('request', { method: 'GET' }), 'GET request');
    assert.equal(directorySummaryText('user_teleported', { user: 'ada@acme.example' }), undefined);
  });

  test('every remedy case has an English sentence for every provider, naming its console', () => {
    for (const provider of DIRECTORY_PROVIDERS) {
      const texts = FACTS.map((facts) => inEnglish(() => directoryRemedyText(provider, facts)));
      for (const [i, text] of texts.entries()) {
        assert.match(text, FULL_SENTENCE, `${provider} ${JSON.stringify(FACTS[i])}`);
        assert.doesNotMatch(text, LEFT_OUT, `${provider} ${JSON.stringify(FACTS[i])}`);
      }
      assert.equal(new Set(texts).size, provider === 'entra-id' ? FACTS.length - 1 : FACTS.length - 2, `${provider}: 500 and 503 share a text; so do the default cases`);
    }
    assert.equal(
      directoryRemedyText('okta', FACTS[1]!),
      "Copy the token again from the portal into Okta's API Token field (the application's Provisioning tab, Integration). A token stops working as soon as a new one is generated; generate one in the portal if it was lost.",
    );
    assert.match(directoryRemedyText('entra-id', FACTS[14]!), /\?aadOptscim062020/);
    assert.match(directoryRemedyText('generic-scim', FACTS[6]!), /^Another user of this directory already has this userName\. In your SCIM client, /);
  });

  test('each is translated (German here), the consoles’ own labels kept in English', () => {
    for (const code of DIRECTORY_SUMMARY_CODES) {
      const [english, german] = [inEnglish(() => directorySummaryText(code, VALUES)), inGerman(() => directorySummaryText(code, VALUES))];
      assert.ok(german && german !== english, `${code}: ${german}`);
      assert.doesNotMatch(german, LEFT_OUT, code);
    }
    for (const provider of DIRECTORY_PROVIDERS) {
      for (const facts of FACTS) {
        const german = inGerman(() => directoryRemedyText(provider, facts));
        assert.notEqual(german, inEnglish(() => directoryRemedyText(provider, facts)), `${provider} ${JSON.stringify(facts)}`);
        assert.doesNotMatch(german, LEFT_OUT);
      }
    }
    const okta = inGerman(() => directoryRemedyText('okta', FACTS[1]!));
    assert.match(okta, /^Kopieren Sie das Token erneut aus dem Portal in das Feld „API Token“ von Okta \(Registerkarte „Provisioning“ der Anwendung, „Integration“\)\./);
    assert.equal(inGerman(() => directorySummaryText('group_updated', { group: 'Sales', added: 3 })), 'Gruppe Sales aktualisiert (3 Mitglieder hinzugefügt)');
  });
});
