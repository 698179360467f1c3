// parseSamlMetadata beside the native DOMParser's parse alone, in headless Chromium, over the SAML
// files of the IdP corpus (test/fixtures/idp-corpus), per class of file: the browser half of
// the parser figures (scripts/bench-parse-node.ts is the Node half).
//
// Builds src/core/saml-metadata.ts with esbuild (ES modules, code splitting, as a browser loads
// it) into a temporary directory, serves it and the corpus from a tiny static server on
// 127.0.0.1, and opens a page in Chromium (playwright-core, /usr/bin/chromium or CHROME_PATH)
// that, for each file, calls parseSamlMetadata(text) and `new DOMParser().parseFromString(text,
// 'application/xml')` alternately after a warm-up (median wall time of each, performance.now).
// It also lists what the page requested: the xmldom chunk must not be among them.
//
// Alone: `node scripts/bench-parse-browser.mjs` prints a table, then the figures as JSON.
// From another script: `const figures = await benchParseInBrowser()` (the same JSON object).
// Options: `root` (the source tree to build, default this repository; another checkout gives
// the figures of another version), `budgetMs` per file, `profile` (a file for a CPU profile of
// the page). Alone: --root=DIR, --profile=FILE; BENCH_FOLDERS=saml-metadata,... limits the
// classes measured. Figures only, never a pass/fail.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { summarizeClass, summaryLine } from './bench-parse-summary.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '..');
const CORPUS = join(REPO, 'test/fixtures/idp-corpus');
const FOLDERS = process.env.BENCH_FOLDERS ? process.env.BENCH_FOLDERS.split(',') : ['saml-metadata', 'saml-aggregate', 'saml-responses', 'saml-malicious'];
const NOW = '2026-11-29T12:00:00.000Z';

/** The page's code: measures every file it is given, in the page. */
const PAGE_SCRIPT = `
import { parseSamlMetadata } from './saml-metadata.js';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function nativeParse(text) {
  new DOMParser().parseFromString(text, 'application/xml');
}
/** Wall time of n calls, in ms per call (performance.now is coarse: time a batch). */
async function batch(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}
async function medianPair(a, b, budgetMs) {
  for (let i = 0; i < 5; i++) { await a(); await b(); }
  // Batches of about 2 ms each, so that the clock's resolution does not matter.
  const n = [a, b].map((fn) => 0);
  for (const [k, fn] of [a, b].entries()) n[k] = Math.max(1, Math.ceil(2 / Math.max(await batch(fn, 3), 0.001)));
  const times = [[], []];
  const start = performance.now();
  while (times[0].length < 15 || (times[0].length < 200 && performance.now() - start < budgetMs)) {
    for (const [k, fn] of [a, b].entries()) times[k].push(await batch(fn, n[k]));
  }
  return [median(times[0]), median(times[1])];
}
window.benchFile = async ({ path, entityId, budgetMs, now }) => {
  const text = await (await fetch('/corpus/' + path)).text();
  const options = { now: new Date(now), ...(entityId ? { entityId } : {}) };
  const outcome = await parseSamlMetadata(text, options);
  const [parseMs, baselineMs] = await medianPair(() => parseSamlMetadata(text, options), () => nativeParse(text), budgetMs);
  return { parseMs, baselineMs, outcome: outcome.ok ? 'read' : outcome.error.code };
};
window.ready = true;
`;

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.xml': 'application/xml', '.map': 'application/json' };

/** A static server for the build (/) and the corpus (/corpus/), on 127.0.0.1 and a free port. */
async function serve(dir) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.startsWith('/corpus/') ? join(CORPUS, path.slice('/corpus/'.length)) : join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(CORPUS) && !file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response
        .writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
          // Cross-origin isolated: a finer performance.now().
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

function firstIdp(text) {
  return /<(?:md:)?EntityDescriptor[^>]*entityID="([^"]+)"[^>]*>\s*<(?:md:)?IDPSSODescriptor/.exec(text)?.[1];
}

/**
 * Runs the benchmark; resolves to `{ browser, classes: { [folder]: { files, medianRatio,
 * worstRatio, worstFile, medianParseMs, medianBaselineMs } }, largest: [...], requested: [...],
 * xmldomRequested }`.
 */
export async function benchParseInBrowser({ root = REPO, budgetMs, log = () => {}, profile } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-parse-'));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  let served;
  try {
    writeFileSync(join(dir, 'entry.js'), PAGE_SCRIPT.replace("'./saml-metadata.js'", JSON.stringify(pathToFileURL(join(root, 'src/core/saml-metadata.ts')).pathname)));
    await build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: !profile, // readable names in a profile
      target: 'es2022',
      outdir: join(dir, 'out'),
      chunkNames: 'chunks/[name]-[hash]',
      absWorkingDir: root,
      logLevel: 'error',
    });
    writeFileSync(join(dir, 'out', 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/entry.js"></script>');
    served = await serve(join(dir, 'out'));
    const page = await browser.newPage();
    const requested = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${served.origin}/`);
    await page.waitForFunction(() => window.ready === true);
    // `profile`: a file to write a CPU profile of the page to (DevTools format, for --cpu-prof tools).
    const cdp = profile ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const figures = { browser: browser.version(), crossOriginIsolated: await page.evaluate(() => crossOriginIsolated), classes: {}, largest: [], requested: [], xmldomRequested: false };
    const all = [];
    const everyRow = [];
    for (const folder of FOLDERS) {
      const rows = [];
      for (const name of readdirSync(join(CORPUS, folder)).sort()) {
        const path = `${folder}/${name}`;
        const bytes = readFileSync(join(CORPUS, path));
        const entityId = folder === 'saml-aggregate' ? firstIdp(bytes.toString('utf8')) : undefined;
        const budget = budgetMs ?? (bytes.length > 200_000 ? 3000 : 400);
        const result = await page.evaluate((args) => window.benchFile(args), { path, entityId, budgetMs: budget, now: NOW });
        rows.push({ file: path, ratio: result.parseMs / result.baselineMs, ...result });
        all.push({ file: path, bytes: bytes.length, parseMs: result.parseMs, baselineMs: result.baselineMs });
      }
      const c = summarizeClass(rows);
      figures.classes[folder] = c;
      everyRow.push(...rows);
      log(summaryLine(folder, c, 'native DOMParser'));
    }
    // The target is the median over the corpus (every file of every class measured).
    figures.corpus = summarizeClass(everyRow);
    log(summaryLine('whole corpus', figures.corpus, 'native DOMParser'));
    if (cdp) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    figures.largest = all.sort((a, b) => b.bytes - a.bytes).slice(0, 3);
    for (const l of figures.largest) {
      log(`  largest: ${l.file.split('/')[1].padEnd(60)} ${(l.bytes / 1000).toFixed(0).padStart(6)} kB   parseSamlMetadata ${l.parseMs.toFixed(1)} ms   native DOMParser parse-only ${l.baselineMs.toFixed(1)} ms`);
    }
    figures.requested = [...new Set(requested.filter((path) => !path.startsWith('/corpus/')))];
    // Chunks are named by esbuild, not by package: look for xmldom's own words in what was loaded.
    figures.xmldomRequested = figures.requested.some((path) => {
      try {
        return /HierarchyRequestError/.test(readFileSync(join(dir, 'out', path === '/' ? 'index.html' : path), 'utf8'));
      } catch {
        return false;
      }
    });
    const xmldomBuilt = readdirSync(join(dir, 'out', 'chunks')).some((name) => /HierarchyRequestError/.test(readFileSync(join(dir, 'out', 'chunks', name), 'utf8')));
    log(`  requested by the page: ${figures.requested.join(', ')}; xmldom ${xmldomBuilt ? 'built into a chunk of its own' : 'not in the build'}, requested: ${figures.xmldomRequested ? 'YES' : 'no'}`);
    return figures;
  } finally {
    await browser.close();
    served?.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rootArg = process.argv.find((arg) => arg.startsWith('--root='));
  const profileArg = process.argv.find((arg) => arg.startsWith('--profile='));
  console.log('parseSamlMetadata vs native DOMParser parse-only, Chromium, median wall time per file (ms), per corpus class:');
  const figures = await benchParseInBrowser({ log: (line) => console.log(line), ...(rootArg ? { root: resolve(rootArg.slice('--root='.length)) } : {}), ...(profileArg ? { profile: profileArg.slice('--profile='.length) } : {}) });
  console.log(JSON.stringify(figures));
}
