/** Types of bench-parse-summary.mjs, for bench-parse-node.ts. */
export interface ParseRow {
  file: string;
  ratio: number;
  parseMs: number;
  baselineMs: number;
}

export interface ClassSummary {
  files: number;
  medianRatio: number;
  worstRatio: number;
  worstFile: string;
  medianParseMs: number;
  medianBaselineMs: number;
}

export declare function median(values: number[]): number;
export declare function summarizeClass(rows: ParseRow[]): ClassSummary;
export declare function summaryLine(label: string, summary: ClassSummary, baseline: string): string;
