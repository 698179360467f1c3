// `npm run size`: fails when what a page loads up front from the CDN build (the entry and
// its static imports) exceeds the budget. Lazy chunks (wizard, parsers) are reported, not capped.
import { loadGraph } from './bundle-sizes.mjs';

const BUDGET_GZIP = 45_000;

const graph = loadGraph();
const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
console.log(`CDN initial load (${graph.initial.length} files): ${kB(graph.initialSize.gzip)} gzip, budget ${kB(BUDGET_GZIP)}`);
console.log(`CDN lazy chunks (${graph.lazy.length} files): ${kB(graph.lazySize.gzip)} gzip, loaded when the wizard opens`);
if (graph.initialSize.gzip > BUDGET_GZIP) {
  console.error(`Size budget exceeded by ${kB(graph.initialSize.gzip - BUDGET_GZIP)}: ${graph.initial.join(', ')}`);
  process.exit(1);
}
