// One class of corpus files in the parse benches (Node: bench-parse-node.ts, Chromium:
// bench-parse-browser.mjs), summarized the same way: each row is a file with its
// `parseMs` (parseSamlMetadata) and `baselineMs` (the parse alone) and their `ratio`.

/** The middle value (upper middle for an even count). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The line of a summary: `label`, file count, both medians, median and worst ratio (`baseline`
 * names the parse-only baseline).
 */
export const summaryLine = (label, c, baseline) =>
  `  ${label.padEnd(16)}${String(c.files).padStart(4)} files   parseSamlMetadata ${c.medianParseMs.toFixed(3).padStart(8)} ms   ${baseline} parse-only ${c.medianBaselineMs.toFixed(3).padStart(8)} ms   ratio median ${c.medianRatio.toFixed(2)}x, worst ${c.worstRatio.toFixed(2)}x (${c.worstFile.split('/')[1]})`;

/** Median and worst ratio of a class (or of the whole corpus: every class's rows), with the medians of both timings. */
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
