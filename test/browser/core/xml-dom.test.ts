// The metadata reader in Chromium uses the native DOMParser, never @xmldom/xmldom (which a browser
// then never downloads), maps the native parser's error document onto the same metadata_malformed
// results as xmldom gives in Node (test/fixtures/malformed-xml.json, also checked in Node by
// test/node/saml-metadata-snapshot.test.mjs), and hostile XML is refused by the pre-check before
// the native parser sees it.
import { expect } from '@open-wc/testing';
import { parseSamlMetadata } from '../../../src/core/saml-metadata.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

interface MalformedCase {
  name: string;
  xml: string;
  code: string;
  sentence: string;
}

/** Counts calls of the native DOMParser's parseFromString while `fn` runs. */
async function countNativeParses(fn: () => Promise<unknown>): Promise<number> {
  const proto = DOMParser.prototype;
  const original = proto.parseFromString;
  let calls = 0;
  proto.parseFromString = function (this: DOMParser, ...args: Parameters<DOMParser['parseFromString']>) {
    calls++;
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.parseFromString = original;
  }
  return calls;
}

describe('xml-dom in Chromium: the native DOMParser', () => {
  it('reads metadata with the native parser and never requests @xmldom/xmldom', async function () {
    this.timeout(30_000);
    const xml = await (await fetch('/test/fixtures/idp-corpus/saml-metadata/ssoready-ssoready__okta__metadata.xml')).text();
    let result: Awaited<ReturnType<typeof parseSamlMetadata>> | undefined;
    const calls = await countNativeParses(async () => {
      result = await parseSamlMetadata(xml);
    });
    expect(result?.ok).to.equal(true);
    expect(calls).to.equal(1);
    const requested = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(requested.filter((name) => /xmldom/i.test(name))).to.deep.equal([]);
  });

  it('gives malformed XML the code and sentence xmldom gives in Node', async () => {
    const cases = (await (await fetch('/test/fixtures/malformed-xml.json')).json()) as MalformedCase[];
    expect(cases.length).to.be.greaterThan(9);
    for (const c of cases) {
      const result = await parseSamlMetadata(c.xml);
      if (result.ok) throw new Error(`${c.name}: read`);
      expect(result.error.code, c.name).to.equal(c.code);
      expect(result.error.message.startsWith(`${c.sentence} (line `), `${c.name}: ${result.error.message}`).to.equal(true);
      expect(result.error.line, c.name).to.be.greaterThan(0);
      expect(result.error.message, c.name).to.match(/ Details: \S/);
      expect(result.error.message, c.name).not.to.match(/Below is a rendering|This page contains/);
    }
  });

  it('refuses as malformed what xmldom tolerates but XML forbids (stricter than Node)', async () => {
    // Documented difference: @xmldom/xmldom reads these; the native parser, per XML 1.0, does not.
    for (const inner of ['<a b=c/>', '<a>&</a>', '<a>\u0001</a>', '<a>]]></a>']) {
      const result = await parseSamlMetadata(`<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.example.com">${inner}</md:EntityDescriptor>`);
      expect(result.ok ? 'read' : result.error.code, inner).to.equal('metadata_malformed');
    }
  });

  it('an element named parsererror in the metadata is not mistaken for a parse error unless it is in the XHTML namespace', async () => {
    const result = await parseSamlMetadata(`<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.example.com"><md:parsererror/><parsererror/></md:EntityDescriptor>`);
    expect(result.ok ? 'read' : result.error.code).to.equal('metadata_no_idp');
  });

  it('refuses hostile XML before the native parser sees it: DOCTYPE, entity expansion, deep nesting, floods', async () => {
    const hostile: [string, string][] = [
      [`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><md:EntityDescriptor xmlns:md="${MD}">&lol2;</md:EntityDescriptor>`, 'metadata_doctype_forbidden'],
      [`<!DOCTYPE x SYSTEM "https://attacker.example/x.dtd"><md:EntityDescriptor xmlns:md="${MD}"/>`, 'metadata_doctype_forbidden'],
      [`<md:EntitiesDescriptor xmlns:md="${MD}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</md:EntitiesDescriptor>`, 'metadata_not_saml'],
      [`<md:EntitiesDescriptor xmlns:md="${MD}">${'<a/>'.repeat(400_000)}</md:EntitiesDescriptor>`, 'metadata_too_large'],
    ];
    for (const [xml, code] of hostile) {
      let result: Awaited<ReturnType<typeof parseSamlMetadata>> | undefined;
      const calls = await countNativeParses(async () => {
        result = await parseSamlMetadata(xml);
      });
      expect(result?.ok ? 'read' : result?.error.code, xml.slice(0, 60)).to.equal(code);
      expect(calls, xml.slice(0, 60)).to.equal(0);
    }
  });
});
