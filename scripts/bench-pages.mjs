// The page figures of `npm run bench` (issue 12), measured side by side with their baselines in
// one run, in headless Chromium (scripts/chromium.mjs), everything on 127.0.0.1:
//
// - the real portal: the built CDN files (dist/cdn, `npm run build`) on the product's own server
//   (src/server/main.ts, a fresh temporary data folder), the hosted page `/portal/<token>`;
// - a bare Lit form of 11 inputs and the React peer (@boxyhq/react-ui's SSO connection form with
//   React 18), bundled from bench/ by scripts/bench-baselines.mjs, served by the tests' static
//   server (test/node/static-server.mjs, without its CSP).
//
// Every figure is the median of fresh loads (a new browser context each: empty cache), the pages
// interleaved within each round so the machine's load hits all alike. How a time is taken, the
// same for every page: an init script runs a requestAnimationFrame loop; in the first frame in
// which the condition holds (elements in the DOM, through open shadow roots) it asks for one more
// frame, and records performance.now() there: the first frame painted with them. Page loads count
// from navigation start; clicks from a capturing click listener on window. Elements in a
// declarative shadow root (the hosted page's server-rendered overview, src/server/portal-ssr.ts)
// count as soon as the HTML parser made them: they are painted before any script ran.
//
// Per load of each page: HTML to first paint (portal: overview heading and connection list),
// HTML to interactive (the same, painted by elements that are upgraded and have done their first
// update: for the portal, `<sso-admin-portal>` and the overview it rendered itself; the baselines
// render in the browser alone, so their two figures are the same condition plus their element's
// first update), the page's HTML (gzip) and the JS and CSS it requested before the first paint
// (gzip level 9 of each file's bytes, computed here as scripts/bundle-sizes.mjs does). Baselines then fill their form and read the JS heap (CDP:
// HeapProfiler.collectGarbage, Runtime.getHeapUsage). Per portal flow (its own organization):
// overview, "Set up SSO" (wizard, cold), Okta, its guide, SAML with a corpus file's XML pasted,
// "Read XML" to the review, attributes, test step; then the heap and everything requested; then
// back to the overview and "Add connection" again (wizard, warm: its chunks are loaded).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../test/node/static-server.mjs';
import { buildBaselines } from './bench-baselines.mjs';
import { CDN_ENTRY, flowGraph } from './bundle-sizes.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { median, summarize } from './bench-report.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const WAIT_MS = 60_000;
/** The metadata pasted in the SAML step: Okta's, from the corpus (the flow picks Okta). */
export const FLOW_METADATA = 'test/fixtures/idp-corpus/saml-metadata/ssoready-ssoready__okta__metadata.xml';
const OVERVIEW_ORG = 'Megacorp Bench';

/** The options from the environment: BENCH_LOADS (15), BENCH_ROUNDS (4), BENCH_FLOWS (loads per round of the portal flow; default BENCH_LOADS). */
export function pageOptionsFromEnv(env = process.env) {
  const count = (name, fallback) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not ${env[name]}.`);
    return value;
  };
  const loads = count('BENCH_LOADS', 15);
  return { loads, rounds: count('BENCH_ROUNDS', 4), flows: count('BENCH_FLOWS', loads) };
}

// ---------------------------------------------------------------------------------------
// In the page

/**
 * The init script of every page: `window.__bench` with `watch(name, conditions, start)` (the
 * rAF loop described above; resolves and records `marks[name] = { start, seen, painted }`) and
 * `armClick(name, conditions)` (the next click anywhere starts a watch). A condition is
 * `{ host, selector, text?, count? }`: at least `count` (1) elements matching `selector` (with
 * `text` in their text) in the shadow root of a `host` element, or in the document when `host`
 * is null; with `updated`, only elements that are defined custom elements past their first update
 * (Lit's `hasUpdated`). With `paint`, the page's load is watched as `marks.paint` from navigation
 * start (0); with `interactive`, as `marks.interactive` too.
 */
function installProbe({ paint, interactive }) {
  const roots = () => {
    const list = [document];
    for (let i = 0; i < list.length; i++) for (const el of list[i].querySelectorAll('*')) if (el.shadowRoot) list.push(el.shadowRoot);
    return list;
  };
  const holds = (conditions) => {
    const all = roots();
    return conditions.every((c) => {
      let n = 0;
      for (const r of all) {
        if ((r.host?.localName ?? null) !== c.host) continue;
        for (const el of r.querySelectorAll(c.selector)) if ((!c.text || (el.textContent ?? '').includes(c.text)) && (!c.updated || el.hasUpdated === true)) n++;
      }
      return n >= (c.count ?? 1);
    });
  };
  const marks = {};
  const watch = (name, conditions, start) =>
    new Promise((resolve) => {
      const tick = () => {
        if (!holds(conditions)) return void requestAnimationFrame(tick);
        const seen = performance.now();
        requestAnimationFrame(() => {
          marks[name] = { start, seen, painted: performance.now() };
          resolve(marks[name]);
        });
      };
      requestAnimationFrame(tick);
    });
  const armClick = (name, conditions) => addEventListener('click', () => void watch(name, conditions, performance.now()), { capture: true, once: true });
  Object.defineProperty(window, '__bench', { value: Object.freeze({ marks, watch, armClick }) });
  if (paint) void watch('paint', paint, 0);
  if (interactive) void watch('interactive', interactive, 0);
}

/** Runs in the page: the URLs of the resources requested up to `until` (ms since navigation start). */
function requestedUntil(until) {
  return performance
    .getEntriesByType('resource')
    .filter((e) => e.startTime <= until)
    .map((e) => e.name);
}

/** Waits for `marks[name]` in the page; answers it. */
async function mark(page, name) {
  try {
    const handle = await page.waitForFunction((n) => window.__bench?.marks[n], name, { timeout: WAIT_MS });
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`${new URL(page.url()).pathname.replace(/^\/portal\/.*/, '/portal/<token>')}: "${name}" was never painted (${error.message.split('\n')[0]})`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------
// Bytes and heap

const gzipBytes = (data) => gzipSync(data, { level: 9 }).length;

/**
 * Records the JS and CSS responses of `page` (bodies as received): `await bodies()` gives url ->
 * Buffer; `await bodies.html()` the gzip bytes of the first HTML document.
 */
function recordScripts(page) {
  const pending = new Map();
  let html;
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if ((type === 'script' || type === 'stylesheet') && !pending.has(response.url())) pending.set(response.url(), response.body().catch(() => null));
    if (type === 'document' && response.frame() === page.mainFrame()) html ??= response.body().then(gzipBytes, () => null);
  });
  const bodies = async () => new Map(await Promise.all([...pending].map(async ([url, body]) => [url, await body])));
  bodies.html = () => html;
  return bodies;
}

/**
 * Whether a CDN file is one of the SSO admin flow's (`flowGraph()`, the size budget's twin: the
 * entry, the HttpAdapter, the overview with its domains, the wizard, Okta's guide, the SAML and
 * test steps, with their static imports). The others a flow requests are what the overview loads
 * after it painted for other features (the Directory sync section, issue 14; the rollout section
 * with the routing preview, issue 15): counted apart.
 */
let flowFiles;
const inSsoFlow = (url) => (flowFiles ??= new Set(flowGraph().files.map((f) => `/${f.replace(/^dist\//, '')}`))).has(new URL(url).pathname);

/** Bytes of the files among `bodies` whose URL passes `keep` (and, when given, is in `urls`): `{ files, raw, gzip, list }`. */
function sizeOf(bodies, keep, urls) {
  const wanted = urls && new Set(urls);
  const list = [];
  for (const [url, body] of bodies) {
    if (!keep(url) || (wanted && !wanted.has(url))) continue;
    if (!body) throw new Error(`no body recorded for ${url}`);
    list.push({ path: new URL(url).pathname, raw: body.length, gzip: gzipBytes(body) });
  }
  list.sort((a, b) => a.path.localeCompare(b.path));
  return { files: list.length, raw: list.reduce((s, f) => s + f.raw, 0), gzip: list.reduce((s, f) => s + f.gzip, 0), list };
}

/** The JS heap in use after a full garbage collection (CDP), in bytes. */
async function heapUsed(context, page) {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

// ---------------------------------------------------------------------------------------
// The product's server

async function startPortalServer() {
  if (!existsSync(join(root, CDN_ENTRY))) throw new Error(`${CDN_ENTRY} is missing: run \`npm run build\` first.`);
  // src/server is TypeScript: test/support/server-process.ts starts it the way the tests do.
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  const { startServerProcess } = await import(pathToFileURL(join(root, 'test/support/server-process.ts')).href);
  const dataDir = await mkdtemp(join(tmpdir(), 'sso-portal-bench-pages-'));
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  let server;
  try {
    server = await startServerProcess({
      SSO_PORTAL_DATA_DIR: dataDir,
      SSO_PORTAL_ADMIN_KEY: adminKey,
      SSO_PORTAL_SECRET_KEY: randomBytes(32).toString('base64url'),
      SSO_PORTAL_DEMO: '',
      SSO_PORTAL_PUBLIC_URL: '',
      SSO_PORTAL_ALLOWED_ORIGINS: '',
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await unregister();
  }
  const admin = async (method, path, body) => {
    const response = await fetch(`${server.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    origin: server.origin,
    /** A new organization and its portal link (the hosted page's URL). */
    async organization(name) {
      const org = await admin('POST', '/api/admin/organizations', { name });
      const link = await admin('POST', `/api/admin/organizations/${org.id}/links`, {});
      return { name, url: `${server.origin}/portal/${link.token}` };
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// The pages

/** The portal's overview: the heading with the organization's name, and the connection list (`withList`) or the empty state. */
const overviewPainted = (org, withList) => [
  { host: 'sso-connections-overview', selector: 'h2[part="heading"]', text: org },
  withList ? { host: 'sso-connections-overview', selector: 'li[part="connection"]' } : { host: 'sso-connections-overview', selector: '[part="empty-state"] button' },
];
/** The same, painted by the elements themselves: the portal upgraded, and the overview it rendered done with its first update. */
const overviewInteractive = (org) => [
  ...overviewPainted(org, true),
  { host: null, selector: 'sso-admin-portal', updated: true },
  { host: 'sso-admin-portal', selector: 'sso-connections-overview', updated: true },
];
const PROVIDER_LIST = [
  { host: 'sso-step-provider', selector: '#step-heading' },
  { host: 'sso-step-provider', selector: 'input[name="provider"]#provider-okta' },
];

/** Fills every visible text field of the page (through shadow roots) with a plausible value; the metadata XML where one is asked for. */
async function fillForm(page, xml) {
  const fields = page.locator('input:not([type=radio]):not([type=checkbox]):not([type=hidden]):not([type=submit]):not([type=file]):visible, textarea:visible');
  const count = await fields.count();
  if (count === 0) throw new Error(`${page.url()}: no form field to fill`);
  for (let i = 0; i < count; i++) {
    const field = fields.nth(i);
    const type = (await field.getAttribute('type')) ?? 'text';
    const name = `${(await field.getAttribute('name')) ?? ''} ${(await field.getAttribute('id')) ?? ''}`;
    const tag = await field.evaluate((el) => el.localName);
    const value =
      tag === 'textarea' ? xml : type === 'url' || /url/i.test(name) ? `https://app.example.com/${i}` : type === 'email' ? `admin${i}@example.com` : type === 'number' ? String(i) : `Value ${i}`;
    await field.fill(value);
  }
  return count;
}

/** One page, one fresh context: the browser context closes when `fn` ends. `watched`: `{ paint, interactive }` (installProbe). */
async function withPage(browser, watched, problems, fn) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(installProbe, watched);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => problems.push(`${page.url()}: pageerror: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`${page.url()}: console error: ${message.text()}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') problems.push(`${page.url()}: request off 127.0.0.1: ${request.url()}`);
    });
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

/** A fresh load of `url`: paint and interactive times, the HTML and what was requested before the paint. Baselines also fill their form and read the heap. */
async function paintLoad(browser, { url, paint, interactive, keep, fill }, xml, problems) {
  return withPage(browser, { paint, interactive }, problems, async (page, context) => {
    const bodies = recordScripts(page);
    await page.goto(url, { waitUntil: 'commit' });
    const { painted } = await mark(page, 'paint');
    const { painted: interactiveAt } = await mark(page, 'interactive');
    const before = await page.evaluate(requestedUntil, painted);
    const sample = { paintMs: painted, interactiveMs: interactiveAt, htmlGzip: await bodies.html(), initial: sizeOf(await bodies(), keep, before) };
    if (fill) {
      await page.waitForLoadState('load');
      sample.fields = await fillForm(page, xml);
      sample.heap = await heapUsed(context, page);
      sample.all = sizeOf(await bodies(), keep);
    }
    return sample;
  });
}

/** The admin flow in the portal, in a fresh organization (see the top of the file). */
async function portalFlow(browser, server, xml, index, problems) {
  const org = await server.organization(`Flow ${index}`);
  const isCdn = (u) => u.startsWith(`${server.origin}/cdn/`);
  return withPage(browser, { paint: overviewPainted(org.name, false) }, problems, async (page, context) => {
    const bodies = recordScripts(page);
    const wizardButton = (name) => page.locator('sso-wizard [part="actions"] button', { hasText: name });
    const heading = (step) => page.locator(`${step} #step-heading`);
    await page.goto(org.url, { waitUntil: 'commit' });
    await mark(page, 'paint');

    await page.evaluate((c) => window.__bench.armClick('wizardCold', c), PROVIDER_LIST);
    await page.locator('sso-connections-overview [part="empty-state"] button', { hasText: 'Set up SSO' }).click();
    const cold = await mark(page, 'wizardCold');

    await page.locator('sso-step-provider label[for="provider-okta"]').click();
    const saml = page.locator('sso-step-provider label[for="protocol-saml"]');
    if (await page.locator('sso-step-provider #protocol-saml').count()) await saml.click();
    await wizardButton('Save and continue').click();
    await heading('sso-step-guide').waitFor();
    await wizardButton('Continue').click();
    await heading('sso-step-saml').waitFor();
    await page.locator('sso-step-saml label[for="source-xml"]').click();
    await page.locator('sso-step-saml #saml-metadata-xml').fill(xml);

    const review = [{ host: 'sso-step-saml', selector: '[part="review"]' }];
    await page.evaluate((c) => window.__bench.armClick('readXml', c), review);
    await page.locator('sso-step-saml button', { hasText: 'Read XML' }).click();
    const read = await mark(page, 'readXml');

    await wizardButton('Save and continue').click();
    await heading('sso-step-attributes').waitFor();
    await wizardButton('Save and continue').click();
    await heading('sso-step-test').waitFor();
    await page.waitForLoadState('load');
    const heap = await heapUsed(context, page);
    // The SSO admin flow (issue 12's target), and apart from it what the overview loaded after it
    // painted for other features (the Directory sync section, issue 14).
    const requested = await bodies();
    const flowBytes = sizeOf(requested, (u) => isCdn(u) && inSsoFlow(u));
    const directoryBytes = sizeOf(requested, (u) => isCdn(u) && !inSsoFlow(u));

    // The wizard again, its chunks loaded: from the overview (one connection now), "Add connection".
    await page.locator('sso-wizard button', { hasText: 'Back to connections' }).click();
    await page.locator('sso-connections-overview li[part="connection"]').waitFor();
    await page.evaluate((c) => window.__bench.armClick('wizardWarm', c), PROVIDER_LIST);
    await page.locator('sso-connections-overview button', { hasText: 'Add connection' }).click();
    const warm = await mark(page, 'wizardWarm');
    return {
      readXmlMs: read.painted - read.start,
      wizardColdMs: cold.painted - cold.start,
      wizardWarmMs: warm.painted - warm.start,
      heap,
      bytes: flowBytes,
      directoryBytes,
    };
  });
}

/** Rotates `list` by `n` (each load starts with another page). */
const rotate = (list, n) => list.map((_, i) => list[(i + n) % list.length]);

/**
 * Runs the page bench; `log(line)` reports progress. Resolves with the figures (see
 * scripts/bench-report.mjs for their shape: medians, per-round medians and the bytes).
 */
export async function benchPages({ loads, rounds, flows }, log = () => {}) {
  const xml = readFileSync(join(root, FLOW_METADATA), 'utf8');
  const problems = [];
  const cleanup = [];
  try {
    log('building the baselines (esbuild) and starting the servers...');
    const baselines = await buildBaselines();
    cleanup.push(baselines.remove);
    const statics = await startStaticServer({ '': baselines.dir }, { csp: false });
    cleanup.push(
      () =>
        new Promise((resolve) => {
          statics.server.close(() => resolve());
          statics.server.closeAllConnections();
        }),
    );
    const server = await startPortalServer();
    cleanup.push(server.stop);
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    cleanup.push(() => browser.close());

    const overviewOrg = await server.organization(OVERVIEW_ORG);
    const cdn = (u) => u.startsWith(`${server.origin}/cdn/`);
    const litForm = [{ host: 'bench-lit-form', selector: 'form input', count: 11 }];
    const reactForm = [{ host: null, selector: '#root form #rawMetadata' }, { host: null, selector: '#root form button[type="submit"]' }];
    const pages = {
      portal: { url: overviewOrg.url, paint: overviewPainted(OVERVIEW_ORG, true), interactive: overviewInteractive(OVERVIEW_ORG), keep: cdn },
      lit: { url: `${statics.origin}/lit/index.html`, paint: litForm, interactive: [...litForm, { host: null, selector: 'bench-lit-form', updated: true }], keep: () => true, fill: true },
      // React renders in the browser alone: the form it painted is its interactive form.
      react: { url: `${statics.origin}/react/index.html`, paint: reactForm, interactive: reactForm, keep: () => true, fill: true },
    };
    // Warm-up, not counted: the overview's organization gets its connection (a SAML one, with a
    // certificate: the list the overview paints), and every page is loaded once.
    log('warm-up: a portal flow (gives the overview its connection) and one load of each page...');
    await portalFlowInto(browser, server, overviewOrg, xml, problems);
    for (const name of Object.keys(pages)) await paintLoad(browser, pages[name], xml, problems);
    if (problems.length) throw new Error(`the warm-up broke:\n  ${problems.join('\n  ')}`);

    const samples = { portal: [], lit: [], react: [], flow: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(samples)) samples[name].push([]);
      for (let i = 0; i < Math.max(loads, flows); i++) {
        const order = rotate([...(i < loads ? Object.keys(pages) : []), ...(i < flows ? ['flow'] : [])], i + round);
        for (const name of order) {
          const sample = name === 'flow' ? await portalFlow(browser, server, xml, `${round}.${i}`, problems) : await paintLoad(browser, pages[name], xml, problems);
          samples[name][round].push(sample);
        }
        if (problems.length) throw new Error(`round ${round + 1}, load ${i + 1}:\n  ${problems.join('\n  ')}`);
      }
      const at = (name, key) => median(samples[name][round].map((s) => s[key])).toFixed(0);
      log(
        `round ${round + 1}/${rounds}: overview painted ${at('portal', 'paintMs')} ms, bare Lit ${at('lit', 'paintMs')} ms, React peer ${at('react', 'paintMs')} ms;` +
          ` interactive ${at('portal', 'interactiveMs')} / ${at('lit', 'interactiveMs')} / ${at('react', 'interactiveMs')} ms`,
      );
    }
    return {
      options: { loads, rounds, flows, metadata: FLOW_METADATA, chromium: browser.version() },
      ...summarize(samples),
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch((error) => console.error(`bench cleanup: ${error.message}`));
  }
}

/** The warm-up flow, in the overview's organization (its connection stays for the overview loads). */
async function portalFlowInto(browser, server, org, xml, problems) {
  const once = { ...server, organization: async () => org };
  return portalFlow(browser, once, xml, 'warm-up', problems);
}
