/**
 * What the hosted portal page preloads: the CDN files its first paint needs (the element's
 * entry, the HttpAdapter, and what they import), as `<link rel="modulepreload">`, so the browser
 * fetches them side by side instead of discovering each after the one before has run. Read from
 * the CDN build's manifest (`dist/cdn/manifest.json`, written by `npm run build:cdn`); without
 * one (no build yet) the page preloads nothing and still works.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The manifest keys whose files the first paint of the hosted page needs. */
const FIRST_PAINT = ['src/element.ts', 'src/adapters/http-adapter.ts'];

/** The CDN files (paths under `/cdn/`) to preload for the hosted page, in load order. */
export function hostedPagePreloads(cdnDir: string): string[] {
  const path = join(cdnDir, 'manifest.json');
  if (!existsSync(path)) return [];
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return []; // a damaged manifest costs speed, not the page
  }
  const files: string[] = [];
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.includes(chunk.file)) return;
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of FIRST_PAINT) {
    // A module grouped into a shared chunk is listed under that chunk's name, not its path.
    const name = key.replace(/^.*\//, '').replace(/\.ts$/, '');
    visit(manifest[key] ? key : (Object.keys(manifest).find((k) => manifest[k]!.name === name) ?? key));
  }
  return files;
}
