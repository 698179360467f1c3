/**
 * What the hosted portal page loads first: the CDN files its first paint needs (the element's
 * entry, the HttpAdapter, and what they import), listed in the page so the browser fetches them
 * side by side instead of discovering each after the one before has run. The HttpAdapter's
 * chunk is run as a module script before the element's (`adapters/http-adapter-loader.ts`: the
 * element then renders the overview at once); the others are `<link rel="modulepreload">`.
 * Read from the CDN build's manifest (`dist/cdn/manifest.json`, written by `npm run
 * build:cdn`); without one (no build yet) the page lists nothing and still works.
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
const ELEMENT = 'src/element.ts';
const HTTP_ADAPTER = 'src/adapters/http-adapter.ts';

export interface HostedPageModules {
  /** Paths under `/cdn/`, in load order. */
  files: string[];
  /** The one of `files` that holds the HttpAdapter. */
  httpAdapter?: string;
}

/** The CDN files the hosted page lists (see above). */
export function hostedPageModules(cdnDir: string): HostedPageModules {
  const path = join(cdnDir, 'manifest.json');
  if (!existsSync(path)) return { files: [] };
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return { files: [] }; // a damaged manifest costs speed, not the page
  }
  // A module grouped into a shared chunk is listed under that chunk's name, not its path.
  const chunkOf = (key: string): ManifestChunk | undefined => manifest[key] ?? Object.values(manifest).find((c) => c.name === key.replace(/^.*\//, '').replace(/\.ts$/, ''));
  const files: string[] = [];
  const visit = (chunk: ManifestChunk | undefined) => {
    if (!chunk || files.includes(chunk.file)) return;
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(manifest[imported]);
  };
  visit(chunkOf(ELEMENT));
  const adapter = chunkOf(HTTP_ADAPTER);
  visit(adapter);
  return adapter ? { files, httpAdapter: adapter.file } : { files };
}
