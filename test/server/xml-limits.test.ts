/// <reference types="node" />
// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
// The linear pre-check of XML from outside (src/core/xml-limits.ts): what it refuses, with which
// code; that it accepts every real document of the IdP corpus; and that on well-formed XML it
// counts what a DOM parser builds. Costs are measured by `npm run bench`, not here.
// Run: node --import tsx --test test/server/xml-limits.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DOMParser, type Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import {
  SAML_METADATA_XML_LIMITS,
  SAML_REQUEST_XML_LIMITS,
  SAML_RESPONSE_XML_LIMITS,
  checkXmlLimits,
  declaresDtd,
  type XmlLimitCode,
  type XmlLimits,
} from '../../src/core/xml-limits.js';

const CORPUS = new URL('../fixtures/idp-corpus/', import.meta.url);
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const response = (inner: string) => `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="_r1" Version="2.0">${inner}</samlp:Response>`;
const nested = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;

/** No limit at all: the scan reads everything and reports what it counted. */
const UNLIMITED: XmlLimits = {
  maxLength: Number.POSITIVE_INFINITY,
  maxDepth: Number.POSITIVE_INFINITY,
  maxElements: Number.POSITIVE_INFINITY,
  maxAttributesPerElement: Number.POSITIVE_INFINITY,
  maxNodes: Number.POSITIVE_INFINITY,
  maxNameLength: Number.POSITIVE_INFINITY,
};

function refused(xml: string, limits: XmlLimits, code: XmlLimitCode): void {
  const result = checkXmlLimits(xml, limits);
  assert.equal(result.ok, false, `expected ${code}`);
  if (result.ok) return;
  assert.equal(result.code, code, result.message);
  assert.ok(result.message.length > 10);
  assert.ok(result.offset >= 0 && result.offset <= xml.length);
}

function corpusFiles(dir: string): { file: string; text: string }[] {
  return readdirSync(new URL(`${dir}/`, CORPUS))
    .sort()
    .map((file) => {
      let text = readFileSync(new URL(`${dir}/${file}`, CORPUS), 'latin1').trim();
      // Some samples are stored base64-encoded, as they were posted.
      if (/^[A-Za-z0-9+/=\s]+$/.test(text)) text = Buffer.from(text, 'base64').toString('latin1');
      return { file, text };
    });
}

describe('checkXmlLimits: real documents pass', () => {
  test('every metadata file and aggregate of the corpus, the 1.3 MB federation aggregate included', () => {
    const files = [...corpusFiles('saml-metadata'), ...corpusFiles('saml-aggregate')];
    assert.ok(files.some((f) => f.file === 'IdentityPython-pysaml2__metadata.aaitest.xml'));
    for (const { file, text } of files) {
      const result = checkXmlLimits(text, SAML_METADATA_XML_LIMITS);
      assert.ok(result.ok, `${file}: ${result.ok ? '' : result.message}`);
    }
  });

  test('every response of the corpus, and every malicious one but the three with a DTD', () => {
    for (const { file, text } of [...corpusFiles('saml-responses'), ...corpusFiles('saml-malicious')]) {
      const result = checkXmlLimits(text, SAML_RESPONSE_XML_LIMITS);
      if (/XXE|XEE|xxe/.test(file)) assert.equal(!result.ok && result.code, 'xml_dtd', file);
      else assert.ok(result.ok, `${file}: ${result.ok ? '' : result.message}`);
    }
  });
});

describe('checkXmlLimits: hostile documents are refused', () => {
  test('100,000 nested elements (700 kB): too deep', () => {
    const xml = response(nested(100_000));
    assert.ok(xml.length > 700_000);
    refused(xml, SAML_RESPONSE_XML_LIMITS, 'xml_too_deep');
    refused(xml, SAML_METADATA_XML_LIMITS, 'xml_too_deep');
  });

  test('nesting exactly at the limit passes, one level more does not (the root counts)', () => {
    for (const limits of [SAML_RESPONSE_XML_LIMITS, SAML_METADATA_XML_LIMITS, SAML_REQUEST_XML_LIMITS]) {
      const atLimit = response(nested(limits.maxDepth - 1));
      const result = checkXmlLimits(atLimit, limits);
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.counts.maxDepth, limits.maxDepth);
      refused(response(nested(limits.maxDepth)), limits, 'xml_too_deep');
      // Empty elements (`<a/>`) and end tags do not deepen.
      assert.ok(checkXmlLimits(response(`${'<a/>'.repeat(50)}${nested(limits.maxDepth - 1)}`), { ...limits, maxElements: 1000, maxNodes: 1000 }).ok);
    }
  });

  test('200,000 sibling elements: too many elements; exactly the limit passes', () => {
    refused(response('<a/>'.repeat(200_000)), SAML_RESPONSE_XML_LIMITS, 'xml_too_many_elements');
    refused(`<r>${'<a/>'.repeat(200_000)}</r>`, SAML_METADATA_XML_LIMITS, 'xml_too_many_elements');
    const limits = { ...UNLIMITED, maxElements: 1000 };
    assert.ok(checkXmlLimits(`<r>${'<a/>'.repeat(999)}</r>`, limits).ok);
    refused(`<r>${'<a/>'.repeat(1000)}</r>`, limits, 'xml_too_many_elements');
  });

  test('an attribute flood: too many attributes on one element; spread over elements: too many nodes', () => {
    const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(' ');
    refused(response(`<a ${attributes(50_000)}/>`), SAML_RESPONSE_XML_LIMITS, 'xml_too_many_attributes');
    refused(response(`<a ${attributes(50_000)}/>`), SAML_METADATA_XML_LIMITS, 'xml_too_many_attributes');
    // Namespace declarations are attributes too.
    refused(response(`<a ${Array.from({ length: 200 }, (_, i) => `xmlns:p${i}="urn:p"`).join(' ')}/>`), SAML_RESPONSE_XML_LIMITS, 'xml_too_many_attributes');
    const max = SAML_RESPONSE_XML_LIMITS.maxAttributesPerElement;
    assert.ok(checkXmlLimits(response(`<a ${attributes(max)}/>`), SAML_RESPONSE_XML_LIMITS).ok);
    refused(response(`<a ${attributes(max + 1)}/>`), SAML_RESPONSE_XML_LIMITS, 'xml_too_many_attributes');
    refused(response(`<a ${attributes(60)}/>`.repeat(2000)), SAML_RESPONSE_XML_LIMITS, 'xml_too_many_nodes');
  });

  test('floods of text runs, comments, processing instructions, CDATA sections or references: too many nodes', () => {
    for (const flood of ['x<!---->'.repeat(100_000), '<!---->'.repeat(140_000), '<?a?>'.repeat(200_000), '<![CDATA[]]>'.repeat(80_000), `<a>${'&amp;'.repeat(200_000)}</a>`, `<a b="${'&#65;'.repeat(100_000)}"/>`]) {
      refused(response(flood), SAML_RESPONSE_XML_LIMITS, 'xml_too_many_nodes');
      refused(response(flood), SAML_METADATA_XML_LIMITS, 'xml_too_many_nodes');
    }
  });

  test('overlong element or attribute names, in start and end tags', () => {
    const long = 'a'.repeat(SAML_RESPONSE_XML_LIMITS.maxNameLength + 1);
    refused(response(`<${long}/>`), SAML_RESPONSE_XML_LIMITS, 'xml_name_too_long');
    refused(response(`<a ${long}="1"/>`), SAML_RESPONSE_XML_LIMITS, 'xml_name_too_long');
    refused(response(`<a></${long}>`), SAML_RESPONSE_XML_LIMITS, 'xml_name_too_long');
    refused(`<${'n'.repeat(1_000_000)}/>`, SAML_METADATA_XML_LIMITS, 'xml_name_too_long');
    assert.ok(checkXmlLimits(response(`<${long.slice(1)}/>`), SAML_RESPONSE_XML_LIMITS).ok);
  });

  test('text longer than the limit is refused unread', () => {
    refused(' '.repeat(SAML_REQUEST_XML_LIMITS.maxLength + 1), SAML_REQUEST_XML_LIMITS, 'xml_too_long');
    assert.ok(checkXmlLimits(`<a>${' '.repeat(SAML_REQUEST_XML_LIMITS.maxLength - 7)}</a>`, SAML_REQUEST_XML_LIMITS).ok);
  });

  test('DOCTYPE, ENTITY and any other markup declaration, in any case, with NULs (UTF-16 read as bytes), even in a comment', () => {
    for (const xml of [
      '<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>',
      '<r><!ENTITY x SYSTEM "file:///etc/passwd"></r>',
      '<! doctype r><r/>',
      '<r><!ELEMENT r ANY></r>',
      '<r><!ATTLIST r a CDATA #IMPLIED></r>',
      '<r><!-- <!DOCTYPE r> --></r>',
      Array.from('<!DOCTYPE r><r/>').join('\u0000'),
    ]) {
      refused(xml, SAML_RESPONSE_XML_LIMITS, 'xml_dtd');
    }
    assert.equal(declaresDtd('<r>DOCTYPE and ENTITY are words; <!-- a comment --><![CDATA[ <! ]]></r>'), false);
  });
});

describe('checkXmlLimits: reads XML as a parser does', () => {
  test('`>` and `<`-free markup inside attribute values, comments, CDATA and processing instructions open no element', () => {
    const xml = `<?xml version="1.0"?><r a="x > y" b='<a><a><a>'><!-- <a><a> --><![CDATA[<a><a>]]><?pi <a><a> ?><c/></r>`;
    const result = checkXmlLimits(xml, UNLIMITED);
    assert.ok(result.ok);
    assert.equal(result.counts.elements, 2);
    assert.equal(result.counts.maxDepth, 2);
  });

  test('never throws, whatever the text (malformed XML is left to the parser)', () => {
    const pieces = fc.constantFrom('<', '>', '/', '/>', '</', '<a', '<a>', '</a>', ' b="', '"', "'", '=', '&', '&amp;', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!', 'x', ' ', '\u0000');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), fc.constantFrom(UNLIMITED, SAML_REQUEST_XML_LIMITS), (parts, limits) => {
        const result = checkXmlLimits(parts.join(''), limits);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 5000 },
    );
    assert.ok(checkXmlLimits(undefined as unknown as string, SAML_RESPONSE_XML_LIMITS).ok);
  });

  test('on well-formed XML it counts the elements, depth and attributes the DOM parser builds', () => {
    interface Tree {
      attributes: number;
      text: string;
      children: Tree[];
    }
    const tree: fc.Memo<Tree> = fc.memo((n) =>
      fc.record({
        attributes: fc.integer({ min: 0, max: 4 }),
        text: fc.constantFrom('', 'x', ' ', 'a &amp; b', '<!-- c -->', '<![CDATA[ <d> ]]>', '<?p q?>', 'e > f'),
        children: n <= 1 ? fc.constant([]) : fc.array(tree(n - 1), { maxLength: 4 }),
      }),
    );
    const serialize = (t: Tree, depth: number): string => {
      const attrs = Array.from({ length: t.attributes }, (_, i) => ` a${i}="v${i} &lt; '>'"`).join('');
      const inner = t.text + t.children.map((c) => serialize(c, depth + 1)).join('');
      return inner ? `<e${depth}${attrs}>${inner}</e${depth}>` : `<e${depth}${attrs}/>`;
    };
    fc.assert(
      fc.property(tree(6), (root) => {
        const xml = serialize(root, 1);
        const scan = checkXmlLimits(xml, UNLIMITED);
        assert.ok(scan.ok);
        const doc = new DOMParser({
          onError(level: string, message: string) {
            if (level !== 'warning') throw new Error(message);
          },
        }).parseFromString(xml, 'text/xml');
        let elements = 0;
        let depth = 0;
        let attributes = 0;
        const stack: [Element, number][] = [[doc.documentElement!, 1]];
        while (stack.length > 0) {
          const [el, d] = stack.pop()!;
          elements++;
          attributes += el.attributes.length;
          depth = Math.max(depth, d);
          for (let node = el.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) stack.push([node as Element, d + 1]);
        }
        assert.equal(scan.counts.elements, elements);
        assert.equal(scan.counts.maxDepth, depth);
        // Nodes: every element and attribute at least (text, comments and references on top).
        assert.ok(scan.counts.nodes >= elements + attributes);
      }),
      { numRuns: 300 },
    );
  });
});
