// `npm run bench`, XML section (run by bench.mjs as `node --import tsx scripts/bench-xml.ts`):
// the CPU time of hostile XML at each entry point that reads XML from outside (the ACS's
// validateSamlResponse, parseSamlMetadata, the IdP simulator's AuthnRequest reader), NOW (the
// linear pre-check of src/core/xml-limits.ts, then the parser) beside BEFORE (what the same text
// cost before the pre-check: @xmldom/xmldom's parseFromString straight on it, as the code did
// first; for the two metadata rows marked "regex", the old regular expression on it).
// CPU time is process.cpuUsage() (user + system) around one call, median of several runs.
// Figures only, never a pass/fail.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { parseSamlMetadata } from '../src/core/saml-metadata.js';
import { SAML_METADATA_XML_LIMITS, SAML_RESPONSE_XML_LIMITS, checkXmlLimits, type XmlLimits } from '../src/core/xml-limits.js';
import { validateSamlResponse } from '../src/server/saml/service-provider.js';
import { SamlIdpSimulator } from '../src/server/simulator/saml-idp.js';
import { buildResponseXml, createSigningKey, signResponse, toFormValue } from '../test/support/saml-test-idp.js';
import { benchParseInNode } from './bench-parse-node.js';

const RUNS_NOW = 11;
const RUNS_BEFORE = 3;
const NOW = new Date('2026-11-29T12:00:00.000Z');
const SP = { entityId: 'https://app.example.com/saml/megacorp/conn_1', acsUrl: 'https://app.example.com/saml/megacorp/conn_1/acs' };
const IDP_ENTITY = 'https://idp.example.com/saml';
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const METADATA = 'urn:oasis:names:tc:SAML:2.0:metadata';

async function cpuMs(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function median(fn: () => unknown, runs: number): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await cpuMs(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** The old behaviour: the whole text through the DOM parser, stopping at the first error. */
function domParse(xml: string): void {
  try {
    new DOMParser({
      onError(level: string, message: string) {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch {
    // A refusal is an outcome here: its cost is what is measured.
  }
}

const kB = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(2)} MB` : n >= 1000 ? `${(n / 1000).toFixed(0)} kB` : `${n} B`);
const ms = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(n < 10 ? 2 : 1)).padStart(10);

function row(label: string, size: number, before: number | undefined, now: number, outcome: string): void {
  console.log(`${label.padEnd(58)}${kB(size).padStart(9)}${ms(before)}${ms(now)}  ${outcome}`);
}

const response = (inner: string) => `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="_r1" Version="2.0" IssueInstant="2026-11-29T12:00:00Z">${inner}</samlp:Response>`;
const entities = (inner: string) => `<md:EntitiesDescriptor xmlns:md="${METADATA}">${inner}</md:EntitiesDescriptor>`;

/** Hostile bodies, each sized under the entry point's byte limit (1 MiB for a response, 2 MiB for metadata). */
function hostile(wrap: (inner: string) => string, budget: number): [string, string][] {
  const fit = (unit: number, most: number) => Math.min(most, Math.floor((budget - 400) / unit));
  const big = budget > 1_500_000;
  const n = (count: number) => count.toLocaleString('en-US');
  const nested = fit(7, big ? 290_000 : 100_000);
  const siblings = fit(4, big ? 500_000 : 200_000);
  const declarations = fit(18, 100_000);
  const comments = fit(7, 290_000);
  const references = fit(5, 400_000);
  return [
    [`${n(nested)} nested elements`, wrap('<a>'.repeat(nested) + '</a>'.repeat(nested))],
    [`${n(siblings)} sibling elements`, wrap('<a/>'.repeat(siblings))],
    ['100,000 attributes on one element', wrap(`<a ${Array.from({ length: 100_000 }, (_, i) => `a${i}=""`).join(' ')}/>`)],
    [`${n(declarations)} elements with a namespace declaration`, wrap('<q:a xmlns:q="u"/>'.repeat(declarations))],
    ['text runs between 100,000 elements', wrap('<a/>x'.repeat(100_000))],
    [`${n(comments)} comments`, wrap('<!---->'.repeat(comments))],
    [`${n(references)} entity references`, wrap(`<a>${'&amp;'.repeat(references)}</a>`)],
    ['an element name of 1,000,000 characters', wrap(`<${'a'.repeat(1_000_000)}/>`)],
  ];
}

/**
 * The worst responses the pre-check lets through: at its limits (elements, nodes or depth),
 * signed with a valid digest by a key we do not trust, naming 5 certificates in KeyInfo.
 */
async function worstAcceptedResponses(): Promise<{ label: string; xml: string; trusted: string }[]> {
  const [trusted, attacker, ...others] = await Promise.all(Array.from({ length: 6 }, (_, i) => createSigningKey(`Key ${i}`)));
  const limits = SAML_RESPONSE_XML_LIMITS;
  const base = buildResponseXml({ now: NOW, issuer: IDP_ENTITY, acsUrl: SP.acsUrl, audience: SP.entityId, inResponseTo: null, nameId: 'mallory@evil.example', responseId: '_r1' });
  const room = { elements: limits.maxElements - 100, nodes: limits.maxNodes - 300 }; // the response and its signature
  const chain = limits.maxDepth - 4;
  const shapes: [string, string][] = [
    [`${room.nodes / 2} elements, each declaring a namespace`, '<q:x xmlns:q="urn:q"/>'.repeat(room.nodes / 2)],
    [`${room.nodes / 2} elements with text`, '<x>t</x>'.repeat(room.nodes / 2)],
    [`${room.elements} elements, ${chain} levels deep`, `${'<x>'.repeat(chain)}${'</x>'.repeat(chain)}`.repeat(Math.floor(room.elements / chain))],
  ];
  const named = others.map((k) => `<ds:X509Certificate>${k.certBase64}</ds:X509Certificate>`).join('');
  return shapes.map(([label, filler]) => {
    const filled = base.replace('</samlp:Status>', `</samlp:Status><samlp:Extensions>${filler}</samlp:Extensions>`);
    const xml = signResponse(filled, { key: attacker!, sign: 'response' }).replace('<ds:X509Certificate>', `${named}<ds:X509Certificate>`);
    return { label, xml, trusted: trusted!.certPem };
  });
}

/** The form value is made once, outside the measure: posting it is the client's work. */
const forms = new Map<string, string>();
async function acs(xml: string, trusted: string[] = []): Promise<string> {
  if (!forms.has(xml)) forms.set(xml, toFormValue(xml));
  const result = await validateSamlResponse({
    samlResponse: forms.get(xml)!,
    sp: SP,
    idp: { entityId: IDP_ENTITY, ssoUrl: 'https://idp.example.com/sso', ssoBinding: 'post', signingCertificates: trusted },
    attributeMapping: { email: 'email' },
    expectedRequestId: null,
    now: NOW,
  });
  const reason = result.ok ? '' : result.error.details?.reason;
  return result.ok ? 'accepted' : `${result.error.code}: ${typeof reason === 'string' ? reason.slice(0, 60) : ''}`;
}

async function metadata(xml: string): Promise<string> {
  const result = await parseSamlMetadata(xml, { now: NOW });
  return result.ok ? 'read' : `${result.error.code}: ${result.error.message.slice(0, 60)}`;
}

console.log('\nXML from outside: CPU time per call in ms (process.cpuUsage), median');
console.log(`BEFORE: the DOM parser on the same text, as before the pre-check (${RUNS_BEFORE} runs); NOW: the entry point itself (${RUNS_NOW} runs).`);
console.log(`${'input'.padEnd(58)}${'size'.padStart(9)}${'BEFORE'.padStart(10)}${'NOW'.padStart(10)}  outcome now`);

let worstRefused = 0;
console.log('ACS (validateSamlResponse):');
for (const [label, xml] of hostile(response, 1024 * 1024)) {
  const before = await median(() => domParse(xml), RUNS_BEFORE);
  const now = await median(() => acs(xml), RUNS_NOW);
  worstRefused = Math.max(worstRefused, now);
  row(`  ${label}`, xml.length, before, now, await acs(xml));
}
let worstAccepted = 0;
for (const worst of await worstAcceptedResponses()) {
  const before = await median(() => domParse(worst.xml), RUNS_BEFORE);
  const now = await median(() => acs(worst.xml, [worst.trusted]), RUNS_NOW);
  worstAccepted = Math.max(worstAccepted, now);
  row(`  at the limits: ${worst.label}`, worst.xml.length, before, now, await acs(worst.xml, [worst.trusted]));
}
console.log(
  `    (signed by another key, naming 5 certificates; limits ${SAML_RESPONSE_XML_LIMITS.maxElements} elements, ${SAML_RESPONSE_XML_LIMITS.maxNodes} nodes, depth ${SAML_RESPONSE_XML_LIMITS.maxDepth}. BEFORE is the parse alone:`,
);
console.log('     with the whole signature check once per certificate, the same response cost over a second before this change)');

console.log('Metadata (parseSamlMetadata):');
for (const [label, xml] of hostile(entities, 2 * 1024 * 1024)) {
  const before = await median(() => domParse(xml), RUNS_BEFORE);
  const now = await median(() => metadata(xml), RUNS_NOW);
  worstRefused = Math.max(worstRefused, now);
  row(`  ${label}`, xml.length, before, now, await metadata(xml));
}
{
  // The HTML check's old regular expression backtracked exponentially on empty comments.
  const OLD_HTML_START = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i;
  const xml = `${'<!---->'.repeat(23)}x`;
  const before = await median(() => OLD_HTML_START.test(xml), 3);
  const now = await median(() => metadata(xml), RUNS_NOW);
  row('  23 empty comments, then text (regex: old HTML check)', xml.length, before, now, await metadata(xml));
  console.log('    (the old check doubled its time with every comment added: 40 comments would take hours)');
}
{
  // The PEM reader's old regular expression rescanned the text for every BEGIN line without an END.
  const OLD_PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const pem = '-----BEGIN A-----'.repeat(4000);
  const simple = readFileSync(new URL('../test/fixtures/idp-corpus/saml-metadata/ssoready-ssoready__okta__metadata.xml', import.meta.url), 'utf8');
  const xml = simple.replace(/(<(?:ds:)?X509Certificate>)[^<]*/, `$1${pem}`);
  const before = await median(() => [...pem.matchAll(OLD_PEM_BLOCK)], 3);
  const now = await median(() => metadata(xml), RUNS_NOW);
  row('  a certificate of 4,000 unclosed BEGIN lines (regex: old PEM reader)', xml.length, before, now, await metadata(xml));
  console.log('    (quadratic before: 4 times the lines, 16 times the time; 2 MB would take minutes)');
}
{
  const aggregate = readFileSync(new URL('../test/fixtures/idp-corpus/saml-aggregate/IdentityPython-pysaml2__metadata.aaitest.xml', import.meta.url), 'utf8');
  const entity = /<(?:md:)?EntityDescriptor[^>]*entityID="([^"]+)"[^>]*>\s*<(?:md:)?IDPSSODescriptor/.exec(aggregate)?.[1];
  const before = await median(() => domParse(aggregate), RUNS_BEFORE);
  const now = await median(() => parseSamlMetadata(aggregate, { now: NOW, ...(entity ? { entityId: entity } : {}) }), 5);
  const outcome = await parseSamlMetadata(aggregate, { now: NOW, ...(entity ? { entityId: entity } : {}) });
  row('  a real federation aggregate (reference: accepted)', aggregate.length, before, now, outcome.ok ? 'read' : outcome.error.code);
  const limits = SAML_METADATA_XML_LIMITS;
  const fillers = Math.min(limits.maxElements - 10, Math.floor((limits.maxNodes - 100) / 2));
  // The worst metadata the pre-check lets through (the server reads it only from a URL an admin configured).
  const atLimit = entities(`${'<q:x xmlns:q="urn:q"/>'.repeat(fillers)}`);
  const beforeLimit = await median(() => domParse(atLimit), RUNS_BEFORE);
  const nowLimit = await median(() => metadata(atLimit), 5);
  row(`  worst accepted by the pre-check (${limits.maxElements} elements, ${limits.maxNodes} nodes)`, atLimit.length, beforeLimit, nowLimit, await metadata(atLimit));
}

console.log('IdP simulator (readAuthnRequest, HTTP-Redirect: 64 kB of DEFLATE, up to 256 kB of XML):');
{
  const simulator = await SamlIdpSimulator.open({ publicBaseUrl: 'http://127.0.0.1:4400', dataDir: null });
  const nested = 36_000;
  const xml = `<samlp:AuthnRequest xmlns:samlp="${PROTOCOL}" ID="_x">${'<a>'.repeat(nested)}${'</a>'.repeat(nested)}</samlp:AuthnRequest>`;
  const SAMLRequest = deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
  const read = () => {
    try {
      simulator.readAuthnRequest({ SAMLRequest }, 'redirect');
      return 'read';
    } catch (error) {
      return (error as Error).message.slice(0, 70);
    }
  };
  const before = await median(() => domParse(xml), RUNS_BEFORE);
  const now = await median(read, RUNS_NOW);
  worstRefused = Math.max(worstRefused, now);
  row(`  ${nested.toLocaleString('en-US')} nested elements (${kB(SAMLRequest.length)} posted)`, xml.length, before, now, read());
}

console.log('The pre-check alone, no limits (a full pass over the text), to show it is linear:');
{
  const unlimited: XmlLimits = {
    maxLength: Infinity,
    maxDepth: Infinity,
    maxElements: Infinity,
    maxAttributesPerElement: Infinity,
    maxNodes: Infinity,
    maxNameLength: Infinity,
  };
  for (const [label, unit] of [
    ['nested elements', '<a></a>'],
    ['elements with an attribute and text', '<a b="c &amp; d">e &amp; f</a>'],
    ['comments', '<!---->'],
  ] as const) {
    const sizes = [500_000, 1_000_000, 2_000_000];
    const figures: number[] = [];
    for (const size of sizes) {
      const text = label === 'nested elements' ? '<a>'.repeat(size / 7) + '</a>'.repeat(size / 7) : unit.repeat(Math.floor(size / unit.length));
      figures.push(await median(() => checkXmlLimits(text, unlimited), RUNS_NOW));
    }
    console.log(`  ${label.padEnd(40)}${sizes.map((size, i) => `${kB(size)}: ${figures[i]!.toFixed(2)} ms`).join('   ')}`);
  }
}

console.log('\nThe IdP corpus: parseSamlMetadata beside @xmldom/xmldom parse-only (Node, median wall time per file, called alternately; target: median ratio of the small files under 2x, worst under 4x):');
const parseFigures = await benchParseInNode({ log: (line) => console.log(line) });
console.log(`  JSON: ${JSON.stringify(parseFigures)}`);

console.log(`\nWorst hostile input refused by the pre-check: ${worstRefused.toFixed(1)} ms of CPU; worst response the pre-check lets through: ${worstAccepted.toFixed(1)} ms (target: under 50 ms).`);
