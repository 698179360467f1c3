// Sizes of the CDN build as a browser loads it: the entry and every chunk it imports
// statically (what a page pays before the portal renders), and the chunks loaded lazily.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const CDN_ENTRY = 'dist/cdn/sso-admin-portal.js';

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
