// parseSamlMetadata over every SAML file of the IdP corpus (test/fixtures/idp-corpus: metadata,
// aggregates, malicious files, responses pasted by mistake; the entries of its SOURCES.tsv, a
// subset of the shared corpus's INDEX.tsv), compared with a snapshot of the whole result
// (test/fixtures/parse-snapshot.json). Each file is read twice, as the bytes of a file and as
// UTF-8 text; each identity provider an aggregate offers to choose is read once chosen.
//
// The snapshot was written by the parser as it was before the DER reader and the native
// DOMParser replaced asn1js and xmldom in the browser: any difference is a change of behaviour.
// To write it again (only for a deliberate change, said in the commit):
//   npm run build:lib && PARSE_SNAPSHOT_UPDATE=1 node --test test/node/saml-metadata-snapshot.test.mjs
// test/browser/core/saml-metadata-snapshot.test.ts compares Chromium's results with the same file.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSamlMetadata } from 'sso-admin-portal/core';

const CORPUS = new URL('../fixtures/idp-corpus/', import.meta.url);
const SNAPSHOT = new URL('../fixtures/parse-snapshot.json', import.meta.url);
const NOW = '2026-11-29T12:00:00.000Z';
const FOLDERS = ['saml-metadata', 'saml-aggregate', 'saml-malicious', 'saml-responses'];

/** Every SAML file of the corpus, as listed in SOURCES.tsv (checked against the folders). */
function corpusFiles() {
  const listed = readFileSync(new URL('SOURCES.tsv', CORPUS), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t')[0])
    .filter((file) => file && FOLDERS.includes(file.split('/')[0]));
  const present = FOLDERS.flatMap((folder) => readdirSync(new URL(`${folder}/`, CORPUS)).map((name) => `${folder}/${name}`));
  assert.deepEqual([...listed].sort(), [...present].sort(), 'SOURCES.tsv lists exactly the SAML files of the corpus');
  return listed.sort();
}

async function cases() {
  const out = [];
  const now = new Date(NOW);
  for (const file of corpusFiles()) {
    const bytes = new Uint8Array(readFileSync(new URL(file, CORPUS)));
    const result = await parseSamlMetadata(bytes, { now });
    out.push({ file, input: 'bytes', result });
    out.push({ file, input: 'text', result: await parseSamlMetadata(new TextDecoder().decode(bytes), { now }) });
    if (!result.ok && result.error.code === 'metadata_entity_choice_required') {
      for (const { entityId } of result.error.entities) {
        out.push({ file, input: 'bytes', entityId, result: await parseSamlMetadata(bytes, { now, entityId }) });
      }
    }
  }
  return out;
}

describe('parseSamlMetadata: the whole corpus gives the results of the snapshot', () => {
  it('every case, field by field', async () => {
    const actual = await cases();
    if (process.env.PARSE_SNAPSHOT_UPDATE === '1') {
      writeFileSync(SNAPSHOT, `${JSON.stringify({ now: NOW, cases: actual }, null, 1)}\n`);
    }
    const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
    assert.equal(expected.now, NOW);
    assert.deepEqual(
      actual.map((c) => `${c.input} ${c.file} ${c.entityId ?? ''}`),
      expected.cases.map((c) => `${c.input} ${c.file} ${c.entityId ?? ''}`),
    );
    for (const [i, c] of actual.entries()) {
      // JSON round trip: the snapshot holds JSON, the result may hold `undefined` members.
      assert.deepEqual(JSON.parse(JSON.stringify(c.result)), expected.cases[i].result, `${c.input} ${c.file} ${c.entityId ?? ''}`);
    }
  });

  it('covers successes, each refusal of the corpus, and many certificates', () => {
    const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
    const ok = expected.cases.filter((c) => c.result.ok);
    const codes = new Set(expected.cases.filter((c) => !c.result.ok).map((c) => c.result.error.code));
    assert.ok(ok.length >= 60, `${ok.length} successes`);
    for (const code of ['metadata_malformed', 'metadata_doctype_forbidden', 'metadata_not_saml', 'metadata_not_xml', 'metadata_entity_choice_required', 'metadata_certificate_invalid']) {
      assert.ok(codes.has(code), code);
    }
    const certificates = new Set(ok.flatMap((c) => [...c.result.metadata.signingCertificates, ...c.result.metadata.encryptionCertificates].map((x) => x.fingerprintSha256)));
    assert.ok(certificates.size >= 40, `${certificates.size} distinct certificates`);
  });
});

describe('parseSamlMetadata: malformed XML is refused with the same code and sentence in Node and in Chromium', () => {
  // test/fixtures/malformed-xml.json: each input with the code and the plain-language sentence that
  // starts the message (the "Details:" and the position are the parser's own).
  it('every input of test/fixtures/malformed-xml.json', async () => {
    const cases = JSON.parse(readFileSync(new URL('../fixtures/malformed-xml.json', import.meta.url), 'utf8'));
    assert.ok(cases.length >= 10);
    for (const c of cases) {
      const result = await parseSamlMetadata(c.xml);
      assert.equal(result.ok, false, c.name);
      assert.equal(result.error.code, c.code, c.name);
      assert.ok(result.error.message.startsWith(`${c.sentence} (line `), `${c.name}: ${result.error.message}`);
      assert.ok(result.error.line >= 1, c.name);
    }
  });
});

