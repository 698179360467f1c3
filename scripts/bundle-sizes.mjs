// Sizes of the CDN build as a browser loads it: the entry and every chunk it imports
// statically (what a page pays before the portal renders), and the chunks loaded lazily.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const CDN_ENTRY = 'dist/cdn/sso-admin-portal.js';

/**
 * The source modules a complete admin flow runs on a hosted page (`api-base` + `token`): the
 * overview with its domains, the wizard, a provider (Okta) and its guide, the SAML step with
 * metadata pasted, read (by the server, `readSamlMetadata`: the reader does not load) and
 * reviewed, attributes, and the test step (activation is fetched once a test succeeds). `npm run
 * bench` loads the same flow in Chromium and sums what it requested; this is its static twin,
 * for the size budget.
 */
export const ADMIN_FLOW = [
  'src/adapters/http-adapter.ts',
  'src/portal/domains/sso-domains-panel.ts',
  'src/portal/wizard/sso-wizard.ts',
  'src/portal/wizard/sso-step-provider.ts',
  'src/core/providers/okta.ts',
  'src/portal/wizard/sso-step-guide.ts',
  'src/portal/wizard/sso-step-saml.ts',
  'src/portal/wizard/sso-step-attributes.ts',
  'src/portal/wizard/sso-step-test.ts',
];

export function measure(path) {
  const data = readFileSync(path);
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Relative modules a file imports: static (`import ... from "./x"`, `import "./x"`) and dynamic (`import("./x")`). */
function importsOf(file) {
  const code = readFileSync(file, 'utf8');
  const resolve = (spec) => join(dirname(file), spec);
  const quoted = String.raw`["'${'`'}](\.{1,2}\/[^"'${'`'}]+)["'${'`'}]`;
  const dynamicPattern = new RegExp(String.raw`import\(\s*` + quoted + String.raw`\s*\)`, 'g');
  const dynamic = [...code.matchAll(dynamicPattern)].map((m) => resolve(m[1]));
  const withoutDynamic = code.replace(dynamicPattern, '');
  const staticImports = [...withoutDynamic.matchAll(new RegExp(String.raw`(?:from|import)\s*` + quoted, 'g'))].map((m) => resolve(m[1]));
  return { static: staticImports, dynamic };
}

/** Where each source module went in the CDN build, from the chunks' source maps. */
function chunkOfModule(dir) {
  const where = new Map();
  const files = [...readdirSync(dir).filter((f) => f.endsWith('.js') && !f.includes('.iife.')).map((f) => join(dir, f)), ...readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => join(dir, 'chunks', f))];
  for (const file of files) {
    if (!existsSync(`${file}.map`)) continue;
    const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    for (const source of sources) where.set(source.replace(/^(\.\.\/)+/, ''), file);
  }
  return where;
}

/**
 * The files a page requests for `modules` (source paths) after the initial load: the chunk of
 * each, with its static imports, plus the initial load. Dynamic imports inside them are not
 * followed (they load only when their feature is used: name such a module to count it).
 */
export function flowGraph(modules = ADMIN_FLOW, entry = CDN_ENTRY) {
  const { initial } = loadGraph(entry);
  const where = chunkOfModule(dirname(entry));
  const files = new Set(initial.map((f) => join(f)));
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    for (const dep of importsOf(file).static) visit(dep);
  };
  const missing = [];
  for (const module of modules) {
    const file = where.get(module);
    if (file) visit(file);
    else missing.push(module);
  }
  if (missing.length) throw new Error(`Not in the CDN build (renamed?): ${missing.join(', ')}`);
  const sizes = [...files].map(measure);
  return { files: [...files].map((f) => relative('.', f)), size: sizes.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 }) };
}

/** The files loaded up front (entry + static closure) and the ones loaded on demand. */
export function loadGraph(entry = CDN_ENTRY) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
  const initial = new Set();
  const lazy = new Set();
  const visit = (file, set) => {
    if (set.has(file) || (set === lazy && initial.has(file))) return;
    set.add(file);
    const { static: s, dynamic } = importsOf(file);
    for (const dep of s) visit(dep, set);
    for (const dep of dynamic) if (!initial.has(dep)) visit(dep, lazy);
  };
  visit(entry, initial);
  for (const file of initial) lazy.delete(file);
  const total = (files) => [...files].map(measure).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return {
    initial: [...initial].map((f) => relative('.', f)),
    lazy: [...lazy].map((f) => relative('.', f)),
    initialSize: total(initial),
    lazySize: total(lazy),
  };
}
