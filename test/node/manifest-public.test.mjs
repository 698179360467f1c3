// The custom-elements manifest lists exactly what a host may use: <sso-admin-portal> with its
// public attributes, properties, events, parts and CSS properties, the public event classes and
// defineElement. A new inner element, event or member fails here until it is made public on
// purpose (and added to the README's "Public API").
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);
const OWN_PARTS = ['base', 'brand', 'loading', 'error', 'expired', 'session-banner', 'live-region'];

/** The parts the inner elements export (`exportParts(this, prefix, parts)` in src/portal), as the host sees them. */
function exportedParts() {
  const names = [];
  const dir = new URL('src/portal/', ROOT);
  for (const file of readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts'))) {
    for (const [, prefix, parts] of readFileSync(new URL(file, dir), 'utf8').matchAll(/exportParts\(this, '([^']+)', '([^']+)'\)/g)) {
      names.push(...parts.split(' ').map((part) => (part.startsWith(prefix) ? part : `${prefix}-${part}`)));
    }
  }
  return names;
}

describe('custom-elements.json: the public surface only', () => {
  let manifest;
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cem-'));
    execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--config', 'custom-elements-manifest.config.mjs'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, CEM_OUTDIR: relative(fileURLToPath(ROOT), dir) } });
    manifest = JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const declarations = () => manifest.modules.flatMap((mod) => mod.declarations ?? []);
  const portal = () => declarations().find((d) => d.tagName === 'sso-admin-portal');

  it('declares one element, <sso-admin-portal>, and only public modules', () => {
    assert.deepEqual(declarations().filter((d) => d.customElement).map((d) => d.tagName), ['sso-admin-portal']);
    assert.deepEqual(manifest.modules.map((mod) => mod.path).sort(), ['src/portal/define.ts', 'src/portal/directory/directory-events.ts', 'src/portal/events.ts', 'src/portal/sso-admin-portal.ts']);
  });

  it('lists the public events, and no internal one', () => {
    assert.deepEqual(portal().events.map((e) => e.name).sort(), [
      'sso-connection-activated',
      'sso-connection-deactivated',
      'sso-connection-saved',
      'sso-directory-disabled',
      'sso-directory-enabled',
      'sso-domain-verified',
      'sso-error',
      'sso-session-expired',
      'sso-session-expiring',
      'sso-step-change',
      'sso-test-completed',
    ]);
  });

  it('lists the public attributes, properties and methods only', () => {
    assert.deepEqual(portal().attributes.map((a) => a.name), ['api-base', 'token', 'initial-data', 'providers', 'theme', 'locale']);
    assert.deepEqual(portal().members.map((m) => `${m.kind} ${m.name}`), [
      'field adapter',
      'field apiBase',
      'field token',
      'field initialData',
      'field providers',
      'field theme',
      'field locale',
      'method reload',
      'method show',
    ]);
  });

  it('lists the shell’s parts and every part the inner elements export, each once', () => {
    const parts = portal().cssParts.map((p) => p.name);
    assert.equal(new Set(parts).size, parts.length, 'a part is listed twice');
    assert.deepEqual([...parts].sort(), [...OWN_PARTS, ...exportedParts()].sort());
    assert.ok(parts.includes('overview-heading') && parts.includes('test-result-remedy'));
    for (const part of portal().cssParts) assert.ok(part.description, `${part.name} has no description`);
  });

  it('lists the CSS custom properties', () => {
    const props = portal().cssProperties.map((p) => p.name);
    assert.ok(props.length >= 17 && props.every((name) => name.startsWith('--sso-')), props.join());
  });

  it('matches the README’s Public API list', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const section = readme.slice(readme.indexOf('### Public API'), readme.indexOf('\n### ', readme.indexOf('### Public API') + 1));
    assert.ok(section.length > 20, 'README has no "### Public API" section');
    const names = [...portal().events, ...portal().attributes, ...portal().members.filter((m) => !m.attribute)].map((x) => x.name);
    for (const name of [...names, 'sso-admin-portal']) assert.ok(section.includes(`\`${name}`), `README's Public API does not mention \`${name}\``);
    const tags = [...section.matchAll(/<(sso-[a-z-]+)>/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(tags)], ['sso-admin-portal'], 'the README names an element the manifest does not');
  });
});
