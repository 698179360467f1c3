// parseSamlMetadata in Chromium over the whole SAML corpus, compared with the snapshot that
// test/node/saml-metadata-snapshot.test.mjs checks in Node (test/fixtures/parse-snapshot.json):
// the same cases, the same results, field by field.
//
// One difference is expected and allowed: for metadata_malformed, the "Details:" of the message
// and the line and column are the XML parser's own words and position (Chromium's parser here,
// @xmldom/xmldom in Node). The code, the remedy and the plain-language sentence that starts the
// message must be the same.
import { expect } from '@open-wc/testing';
import { parseSamlMetadata, type MetadataResult } from '../../../src/core/saml-metadata.js';

interface SnapshotCase {
  file: string;
  input: 'bytes' | 'text';
  entityId?: string;
  result: MetadataResult;
}

/** The message without the parser's own details and position. */
function plainSentence(message: string): string {
  return message.replace(/ \(line \d+(?:, column \d+)?\)/, '').replace(/ Details: [\s\S]*$/, '');
}

function comparable(result: MetadataResult): unknown {
  const copy = JSON.parse(JSON.stringify(result)) as MetadataResult;
  if (!copy.ok && copy.error.code === 'metadata_malformed') {
    copy.error.message = plainSentence(copy.error.message);
    delete copy.error.line;
    delete copy.error.column;
  }
  return copy;
}

describe('saml-metadata in Chromium: the whole corpus gives the results of the snapshot', () => {
  it('every case, field by field', async function () {
    this.timeout(180_000);
    const snapshot = (await (await fetch('/test/fixtures/parse-snapshot.json')).json()) as { now: string; cases: SnapshotCase[] };
    const now = new Date(snapshot.now);
    expect(snapshot.cases.length).to.be.greaterThan(100);
    const files = new Map<string, Uint8Array>();
    const differ: string[] = [];
    let first: { actual: unknown; expected: unknown; name: string } | undefined;
    for (const c of snapshot.cases) {
      let bytes = files.get(c.file);
      if (!bytes) {
        const response = await fetch(`/test/fixtures/idp-corpus/${c.file}`);
        expect(response.ok, c.file).to.equal(true);
        bytes = new Uint8Array(await response.arrayBuffer());
        files.set(c.file, bytes);
      }
      const input = c.input === 'bytes' ? bytes : new TextDecoder().decode(bytes);
      const result = await parseSamlMetadata(input, { now, ...(c.entityId ? { entityId: c.entityId } : {}) });
      if (JSON.stringify(comparable(result)) !== JSON.stringify(comparable(c.result))) {
        differ.push(`${c.input} ${c.file} ${c.entityId ?? ''}`);
        if (!first) first = { actual: comparable(result), expected: comparable(c.result), name: differ[0]! };
      }
    }
    if (first) expect(first.actual, `${differ.length} cases differ: ${differ.join('; ')}. First:`).to.deep.equal(first.expected);
  });
});
