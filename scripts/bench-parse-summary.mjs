// One class of corpus files in the parse benches (Node: bench-parse-node.ts, Chromium:
// bench-parse-browser.mjs), summarized the same way: each row is a file with its
// `parseMs` (parseSamlMetadata) and `baselineMs` (the parse alone) and their `ratio`.

/** The middle value (upper middle for an even count). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median and worst ratio of a class, with the medians of both timings. */
export function summarizeClass(rows) {
  const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return {
    files: rows.length,
    medianRatio: median(rows.map((r) => r.ratio)),
    worstRatio: worst.ratio,
    worstFile: worst.file,
    medianParseMs: median(rows.map((r) => r.parseMs)),
    medianBaselineMs: median(rows.map((r) => r.baselineMs)),
  };
}
