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

function readManifest(cdnDir: string): Record<string, ManifestChunk> | undefined {
  const path = join(cdnDir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return undefined; // a damaged manifest costs speed, not the page
  }
}

/** The files of the manifest's `keys` and what they import, in load order, without those in `skip`. */
function filesOf(manifest: Record<string, ManifestChunk>, keys: string[], skip: readonly string[] = []): { files: string[]; chunkOf: (key: string) => ManifestChunk | undefined } {
  // A module grouped into a shared chunk is listed under that chunk's name, not its path.
  const chunkOf = (key: string): ManifestChunk | undefined => manifest[key] ?? Object.values(manifest).find((c) => c.name === key.replace(/^.*\//, '').replace(/\.ts$/, ''));
  const files: string[] = [];
  const visit = (chunk: ManifestChunk | undefined) => {
    if (!chunk || files.includes(chunk.file) || skip.includes(chunk.file)) return;
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(manifest[imported]);
  };
  for (const key of keys) visit(chunkOf(key));
  return { files, chunkOf };
}

/** The CDN files the hosted page lists (see above). */
export function hostedPageModules(cdnDir: string): HostedPageModules {
  const manifest = readManifest(cdnDir);
  if (!manifest) return { files: [] };
  const { files, chunkOf } = filesOf(manifest, [ELEMENT, HTTP_ADAPTER]);
  const adapter = chunkOf(HTTP_ADAPTER);
  return adapter ? { files, httpAdapter: adapter.file } : { files };
}

/**
 * For a page in another language than English: the language switch and the catalogue's files
 * (without those the first paint lists already), so the portal's first frames are in the page's
 * language rather than English first. Catalogue → paths under `/cdn/`.
 */
export function languageModules(cdnDir: string, locales: readonly string[], firstFiles: readonly string[]): Record<string, string[]> {
  const manifest = readManifest(cdnDir);
  if (!manifest) return {};
  return Object.fromEntries(locales.map((locale) => [locale, filesOf(manifest, ['src/portal/localize/switch-locale.ts', `src/portal/localize/generated/${locale}.ts`], firstFiles).files]));
}
