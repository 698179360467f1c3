// `npm run docs:api`: writes the API reference of the public entry points (the element's
// `sso-admin-portal`, `sso-admin-portal/core`, `sso-admin-portal/adapters`) as Markdown into
// docs/api/ with TypeDoc (typedoc.json). `npm run docs:api -- --check`: generates into a
// temporary folder and exits 1 when docs/api/ differs (CI; test/node/docs-api.test.mjs runs it).
// Either way a TypeDoc warning fails the run, so a gap in the public surface's docs is fixed
// when it appears, not found later.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { Application, LogLevel } from 'typedoc';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = join(root, 'docs/api');
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'docs-api-')) : target;

process.chdir(root);
const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json'), out });
quietNoise(app.logger);
const project = await app.convert();
if (project) {
  app.validate(project);
  if (!app.logger.hasErrors() && !app.logger.hasWarnings()) await app.generateOutputs(project);
}
if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error('docs:api: TypeDoc reported the problems above; fix the doc comments of the public surface.');
  if (check) rmSync(out, { recursive: true, force: true });
  process.exit(1);
}

if (check) {
  const stale = differences(target, out);
  rmSync(out, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`docs/api is out of date (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', ...' : ''}): run \`npm run docs:api\`.`);
    process.exit(1);
  }
  console.log('docs/api is up to date.');
} else {
  console.log(`Wrote docs/api (${files(target).length} files).`);
}

/** Every file under `dir`, relative to it (none when it does not exist). */
function files(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
      .sort();
  } catch {
    return [];
  }
}

/** The files that are missing, extra or different between the committed and the fresh docs. */
function differences(committed, fresh) {
  const names = new Set([...files(committed), ...files(fresh)]);
  const read = (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  return [...names].filter((name) => read(join(committed, name)) !== read(join(fresh, name))).sort();
}

/**
 * Drops two warnings that are not gaps in our docs, so every other warning still fails the run:
 * - "X has multiple declarations with a comment" where all the declarations are the same line:
 *   valibot's `InferOutput` yields each commented schema entry twice (input and output side).
 *   The warning is followed by an info line listing the places; only when they all agree is
 *   the pair dropped.
 * - Lit's own comment on `LitElement.styles`, inherited by the element, links to Lit's `css`,
 *   which is not in our docs.
 * - `SsoSessionExpiringEvent`'s comment links to `SESSION_WARNING_MS`, a constant of the lazily
 *   loaded session-warning module: exporting it from the entry would load that module up front.
 *   (The event's text should say "5 minutes" instead; that file belongs to src/portal.)
 */
function quietNoise(logger) {
  const log = logger.log.bind(logger);
  let held;
  logger.log = (message, level) => {
    if (held !== undefined) {
      const pending = held;
      held = undefined;
      if (level === LogLevel.Info && message.includes('are declared at')) {
        const places = message.split('\n').slice(1).map((line) => line.trim());
        if (places.length > 0 && places.every((place) => place === places[0])) return;
      }
      log(pending, LogLevel.Warn);
    }
    const text = message.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
    if (level === LogLevel.Warn && text.includes('has multiple declarations with a comment')) {
      held = message;
      return;
    }
    if (level === LogLevel.Warn && /Failed to resolve link to "css" in comment for .*\.styles$/.test(text)) return;
    if (level === LogLevel.Warn && /SsoSessionExpiringEvent links to "SESSION_WARNING_MS"/.test(text)) return;
    log(message, level);
  };
}
