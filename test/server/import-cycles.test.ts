// Database: none. It never opens one, so the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * The server's modules import one another without cycles (issue 11: shared server types live in
 * their own module). Walks every relative import and re-export of `src/server/**\/*.ts`, type-only
 * ones included, and fails naming each cycle it finds.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/server');
const SRC = resolve(SERVER, '..');
/** The browser's demo backend: the server applies core's rules itself (issue 11). */
const MEMORY_ADAPTER = join(SRC, 'adapters/memory-adapter.ts');

function tsFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function relativeImports(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g, /\bimport\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Every cycle of the graph, each as `a -> b -> a` (one per back edge of a depth-first walk). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (node: string): void => {
    path.push(node);
    onPath.add(node);
    for (const next of graph.get(node) ?? []) {
      if (onPath.has(next)) cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!done.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
  };
  for (const node of graph.keys()) if (!done.has(node)) visit(node);
  return cycles;
}

/** The files of `src` each file imports (relative imports, resolved to `.ts`). */
function importsOf(file: string): string[] {
  return relativeImports(readFileSync(file, 'utf8')).map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
}

/** Every module of `src` a server module loads, directly or not, with the chain that leads there (`via`). */
function loadedByServer(): Map<string, string[]> {
  const via = new Map<string, string[]>();
  const queue = tsFiles(SERVER);
  for (const file of queue) via.set(file, [file]);
  while (queue.length) {
    const file = queue.shift()!;
    for (const target of importsOf(file)) {
      if (via.has(target) || !target.startsWith(SRC + '/')) continue;
      via.set(target, [...via.get(file)!, target]);
      queue.push(target);
    }
  }
  return via;
}

function serverGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(SERVER)) {
    const targets = relativeImports(readFileSync(file, 'utf8'))
      .map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'))
      .filter((target) => target.startsWith(SERVER + '/'));
    graph.set(file, targets);
  }
  return graph;
}

describe('server import graph', () => {
  it('finds the imports of every form, and a cycle when there is one', () => {
    assert.deepEqual(
      relativeImports(`import { a } from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('./e.js');\nimport x from 'hono';`),
      ['./a.js', '../b.js', './c.js', './d.js', './e.js'],
    );
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(cyclesOf(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(cyclesOf(new Map([['a', ['b']], ['b', []]])), []);
  });

  it('has no cycle among src/server modules', () => {
    const graph = serverGraph();
    assert.ok(graph.size > 20, 'the walk found the server modules');
    const cycles = cyclesOf(graph).map((cycle) => cycle.map((file) => relative(SERVER, file)).join(' -> '));
    assert.deepEqual(cycles, []);
  });

  it('loads no MemoryAdapter: the server applies core rules over its database', () => {
    const loaded = loadedByServer();
    assert.ok(loaded.has(join(SRC, 'core/rules/index.ts')), 'the walk follows imports out of src/server');
    const chain = loaded.get(MEMORY_ADAPTER)?.map((file) => relative(SRC, file));
    assert.equal(chain, undefined, `src/server loads the MemoryAdapter: ${chain?.join(' -> ')}`);
  });
});
