/// <reference types="node" />
// POST /api/portal/metadata/read: SAML metadata read on the server with core's reader, so the
// browser need not load it. The answers are the reader's own results, refusals included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PortalError } from '../../src/core/errors.js';
import { SAML_METADATA_MAX_BYTES, parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { DEFAULT_MAX_BODY_BYTES, METADATA_READ_MAX_BODY_BYTES } from '../../src/server/app.js';
import { startHarness, type Harness } from './helpers.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/idp-corpus/${path}`, import.meta.url), 'utf8');
const OKTA = fixture('saml-metadata/ssoready-ssoready__okta__metadata.xml');
const XXE = fixture('saml-malicious/SAML-Toolkits-php-saml__UtilsTest.php__attackXXE.xml');
const AGGREGATE = fixture('saml-aggregate/SAML-Toolkits-ruby-saml__idp_multiple_descriptors.xml');
/** 1.3 MB: far over the API's usual body limit, under the reader's. */
const LARGE_AGGREGATE = fixture('saml-aggregate/IdentityPython-pysaml2__metadata.aaitest.xml');
const READ = '/api/portal/metadata/read';

describe('portal API: SAML metadata read on the server', () => {
  let h: Harness;
  const fetched: string[] = [];
  let downloads = 0;
  before(async () => {
    h = await startHarness({
      // Never a real download: the server's SSRF-guarded fetcher is replaced (names are not resolved).
      fetchDocument: (url, kind) => {
        fetched.push(`${kind} ${url}`);
        downloads++;
        if (url.includes('refused')) return Promise.reject(new PortalError('metadata_url_refused'));
        return Promise.resolve(url.includes('aggregate') ? AGGREGATE : OKTA);
      },
      rateLimits: { limits: { documentFetch: { capacity: 4, windowMs: 60_000 } } },
    });
  });
  after(() => h.close());

  test('pasted XML: the answer is the reader’s result, the same as parseSamlMetadata gives', async () => {
    const { token } = await h.organization('Reader');
    const answer = await h.portal(token, 'POST', READ, { xml: OKTA });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, await parseSamlMetadata(OKTA, { now: h.clock.now }));
    assert.equal(answer.body.ok, true);
    assert.equal(answer.body.metadata.entityId, 'http://www.okta.com/exkdoocxa1VmjpXmX697');
  });

  test('metadata that cannot be used is an answer with the reader’s code, message and remedy, not an error', async () => {
    const { token } = await h.organization('Refusals');
    const hostile = await h.portal(token, 'POST', READ, { xml: XXE });
    assert.equal(hostile.status, 200);
    const local = await parseSamlMetadata(XXE, { now: h.clock.now });
    assert.equal(local.ok, false);
    assert.deepEqual(hostile.body, local);
    const notXml = await h.portal(token, 'POST', READ, { xml: '{"issuer":"https://idp.example"}' });
    assert.equal(notXml.body.ok, false);
    assert.equal(notXml.body.error.code, 'metadata_not_xml');
    assert.equal(notXml.body.error.kind, 'json');
    assert.ok(notXml.body.error.remedy.length > 10);
  });

  test('the answer stays English whatever the browser’s language (the element words known codes itself)', async () => {
    const { token } = await h.organization('Language');
    const read = async (xml: string) => {
      const response = await fetch(`${h.origin}${READ}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'de-DE,de;q=0.9' },
        body: JSON.stringify({ xml }),
      });
      return (await response.json()) as unknown;
    };
    const refused = '<config><x/></config>';
    assert.deepEqual(await read(refused), await parseSamlMetadata(refused, { now: h.clock.now }));
    assert.match(JSON.stringify(await read(refused)), /This XML is not SAML metadata: its top element is <config>/);
    assert.deepEqual(await read(XXE), await parseSamlMetadata(XXE, { now: h.clock.now }));
  });

  test('an aggregate asks for a choice; entityId picks the IdP', async () => {
    const { token } = await h.organization('Aggregate');
    const choice = await h.portal(token, 'POST', READ, { xml: AGGREGATE });
    assert.equal(choice.body.ok, false);
    assert.equal(choice.body.error.code, 'metadata_entity_choice_required');
    const entities = choice.body.error.entities as { entityId: string }[];
    assert.ok(entities.length >= 2);
    const picked = await h.portal(token, 'POST', READ, { xml: AGGREGATE, entityId: entities[1]!.entityId });
    assert.equal(picked.body.ok, true);
    assert.equal(picked.body.metadata.entityId, entities[1]!.entityId);
  });

  test('a URL is downloaded by the server’s fetcher and read in the same call; a refused URL is the fetcher’s error', async () => {
    const { token } = await h.organization('By URL');
    fetched.length = 0;
    const entityId = 'https://bar.example.com/access/saml/idp.xml';
    const answer = await h.portal(token, 'POST', READ, { url: 'https://idp.example/aggregate', entityId });
    assert.deepEqual(fetched, ['saml-metadata https://idp.example/aggregate']);
    assert.equal(answer.body.ok, true);
    assert.equal(answer.body.metadata.entityId, entityId);
    assert.deepEqual(answer.body, await parseSamlMetadata(AGGREGATE, { entityId, now: h.clock.now }));
    const refused = await h.portal(token, 'POST', READ, { url: 'https://refused.example/md' });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'metadata_url_refused');
  });

  test('downloads share the metadata downloads’ rate limit; pasted XML does not count', async () => {
    const { token } = await h.organization('Limited');
    downloads = 0;
    for (let i = 0; i < 6; i++) assert.equal((await h.portal(token, 'POST', READ, { xml: OKTA })).status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.portal(token, 'POST', READ, { url: 'https://idp.example/md' })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    assert.equal(downloads, 4, 'the refused request downloaded nothing');
    const limited = await h.portal(token, 'POST', READ, { url: 'https://idp.example/md' });
    assert.equal(limited.body.code, 'rate_limited');
  });

  test('exactly one of xml and url; the fields are checked', async () => {
    const { token } = await h.organization('Checks');
    for (const body of [{}, { xml: OKTA, url: 'https://idp.example/md' }]) {
      const answer = await h.portal(token, 'POST', READ, body);
      assert.equal(answer.status, 422);
      assert.equal(answer.body.code, 'validation_failed');
      assert.match(answer.body.detail, /either xml .* or url/);
    }
    const badUrl = await h.portal(token, 'POST', READ, { url: 'file:///etc/passwd' });
    assert.equal(badUrl.body.code, 'validation_failed');
    assert.match(badUrl.body.detail, /url: must be an http\(s\) URL/);
    assert.equal((await h.portal(token, 'POST', READ, { xml: OKTA, entityId: '' })).body.code, 'validation_failed');
  });

  test('takes metadata up to the reader’s limit (over the API’s usual body limit); larger is metadata_too_large', async () => {
    const { token } = await h.organization('Sizes');
    assert.ok(JSON.stringify({ xml: LARGE_AGGREGATE }).length > DEFAULT_MAX_BODY_BYTES);
    const large = await h.portal(token, 'POST', READ, { xml: LARGE_AGGREGATE });
    assert.equal(large.status, 200);
    assert.equal(large.body.error.code, 'metadata_entity_choice_required');
    // Other routes keep the usual limit.
    const elsewhere = await h.portal(token, 'POST', '/api/portal/domains', { name: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) });
    assert.equal(elsewhere.status, 413);
    // Over the reader's limit but within the route's body limit: the reader's refusal, as an answer.
    const justOver = `<?xml version="1.0"?><!--${' '.repeat(SAML_METADATA_MAX_BYTES)}-->${OKTA}`;
    const tooLarge = await h.portal(token, 'POST', READ, { xml: justOver });
    assert.equal(tooLarge.status, 200);
    assert.equal(tooLarge.body.error.code, 'metadata_too_large');
    // Over the route's body limit: refused before it is read, with the same code.
    const huge = await h.request('POST', READ, { token, rawBody: JSON.stringify({ xml: 'a'.repeat(METADATA_READ_MAX_BODY_BYTES) }) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.code, 'metadata_too_large');
  });

  test('needs a portal token', async () => {
    assert.equal((await h.request('POST', READ, { body: { xml: OKTA } })).status, 401);
  });
});
