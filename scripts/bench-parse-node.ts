// parseSamlMetadata beside @xmldom/xmldom's parse alone, in Node, over the SAML files of the IdP
// corpus (test/fixtures/idp-corpus), per class of file. Run by scripts/bench-xml.ts (so by
// `npm run bench`), or alone: `node --import tsx scripts/bench-parse-node.ts`.
//
// For each file: the median wall time (performance.now) of parseSamlMetadata(text) and of
// `new DOMParser().parseFromString(text)` (xmldom's defaults, so with its locator, as the reader
// uses it), called alternately after a warm-up; the ratio of the two.
// Per class: the median and the worst ratio. Whatever the outcome (read or refused), the parse
// is what is measured. Figures only, never a pass/fail.
import { readFileSync, readdirSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { parseSamlMetadata } from '../src/core/saml-metadata.js';
import { type ClassSummary, median, summarizeClass, summaryLine } from './bench-parse-summary.mjs';

const CORPUS = new URL('../test/fixtures/idp-corpus/', import.meta.url);
const NOW = new Date('2026-11-29T12:00:00.000Z');

export interface ParseFigures {
  /** Per class of file (corpus folder): median and worst ratio of parseSamlMetadata to the parse alone. */
  classes: Record<string, ClassSummary>;
  /** Every file measured, all classes together: the "median over the corpus". */
  corpus?: ClassSummary;
  /** The largest files, in ms. */
  largest: { file: string; bytes: number; parseMs: number; baselineMs: number }[];
}

function xmldomParse(text: string): void {
  try {
    new DOMParser({
      onError(level: string, message: string) {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch {
    // A refusal is an outcome: its cost is what is measured.
  }
}

/**
 * Median wall time of each of two functions, called alternately (one call of each per round,
 * after a warm-up), so that both see the same load on a shared machine.
 */
async function medianPair(a: () => unknown, b: () => unknown, budgetMs: number): Promise<[number, number]> {
  for (let i = 0; i < 5; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  const start = performance.now();
  while (times[0].length < 15 || (times[0].length < 400 && performance.now() - start < budgetMs)) {
    for (const [k, fn] of [a, b].entries()) {
      const t0 = performance.now();
      await fn();
      times[k]!.push(performance.now() - t0);
    }
  }
  return [median(times[0]), median(times[1])];
}


/** Entity to choose in an aggregate, so that the whole entity is read (not only the list). */
function firstIdp(text: string): string | undefined {
  return /<(?:md:)?EntityDescriptor[^>]*entityID="([^"]+)"[^>]*>\s*<(?:md:)?IDPSSODescriptor/.exec(text)?.[1];
}

export async function benchParseInNode(options: { folders?: string[]; budgetMs?: number; log?: (line: string) => void } = {}): Promise<ParseFigures> {
  const folders = options.folders ?? ['saml-metadata', 'saml-aggregate', 'saml-responses', 'saml-malicious'];
  const log = options.log ?? (() => {});
  const figures: ParseFigures = { classes: {}, largest: [] };
  const all: { file: string; bytes: number; parseMs: number; baselineMs: number }[] = [];
  const everyRow: { file: string; ratio: number; parseMs: number; baselineMs: number }[] = [];
  for (const folder of folders) {
    const rows: { file: string; ratio: number; parseMs: number; baselineMs: number }[] = [];
    for (const name of readdirSync(new URL(`${folder}/`, CORPUS)).sort()) {
      const file = `${folder}/${name}`;
      const bytes = readFileSync(new URL(file, CORPUS));
      // Decoded as a browser decodes a fetched or uploaded file (TextDecoder: a UTF-8 BOM is
      // dropped). Buffer#toString kept it, and xmldom refuses a BOM as content before the root:
      // the baseline then measured a refusal at the first character, not a parse.
      const text = new TextDecoder().decode(bytes);
      const entityId = folder === 'saml-aggregate' ? firstIdp(text) : undefined;
      const budget = options.budgetMs ?? (bytes.length > 200_000 ? 3000 : 400);
      const [parseMs, baselineMs] = await medianPair(() => parseSamlMetadata(text, { now: NOW, ...(entityId ? { entityId } : {}) }), () => xmldomParse(text), budget);
      rows.push({ file, ratio: parseMs / baselineMs, parseMs, baselineMs });
      all.push({ file, bytes: bytes.length, parseMs, baselineMs });
    }
    const c = (figures.classes[folder] = summarizeClass(rows));
    everyRow.push(...rows);
    log(summaryLine(folder, c, 'xmldom'));
  }
  // The target is the median over the corpus (every file of every class measured).
  figures.corpus = summarizeClass(everyRow);
  log(summaryLine('whole corpus', figures.corpus, 'xmldom'));
  figures.largest = all.sort((a, b) => b.bytes - a.bytes).slice(0, 3);
  for (const l of figures.largest) {
    log(`  largest: ${l.file.split('/')[1]!.padEnd(60)} ${(l.bytes / 1000).toFixed(0).padStart(6)} kB   parseSamlMetadata ${l.parseMs.toFixed(1)} ms   xmldom parse-only ${l.baselineMs.toFixed(1)} ms`);
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('parseSamlMetadata vs @xmldom/xmldom parse-only, Node, median wall time per file (ms), per corpus class:');
  const figures = await benchParseInNode({ log: (line) => console.log(line) });
  console.log(JSON.stringify(figures));
}
