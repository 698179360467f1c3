/// <reference types="node" />
/**
 * SimpleSAMLphp as a SAML IdP: Debian's `simplesamlphp` (1.19) served by PHP's built-in server
 * (`php -S 127.0.0.1:<port> -t /usr/share/simplesamlphp/www`) as a child process, configured
 * in a temporary folder (SIMPLESAMLPHP_CONFIG_DIR; nothing under /etc or /usr/share is changed):
 *
 * - `config.php`: an absolute `baseurlpath` (so the port is chosen before it starts), the SAML 2.0
 *   IdP and the `exampleauth` module enabled, session cookies without `Secure` (plain HTTP on
 *   127.0.0.1), sessions, logs and cache in the folder; logs on stderr.
 * - `authsources.php`: `exampleauth:StaticSource`, one fixed user (uid, mail, givenName, sn), no login form.
 * - `metadata/saml20-idp-hosted.php`: the IdP, its key and certificate made for this run.
 * - `metadata/saml20-sp-remote.php`: the SPs it trusts, written by {@link SimpleSamlPhpIdp.importSpMetadata}
 *   from our SP metadata through SimpleSAMLphp's own metadata parser (`simplesamlphp-sp-remote.php`),
 *   with `simplesaml.nameidattribute` = mail, as an admin sets it for an emailAddress NameID
 *   (or a transient NameID: {@link SimpleSamlPhpIdpOptions.nameId}).
 *
 * Its entity ID is its metadata URL `/saml2/idp/metadata.php`; SSO for both bindings on
 * `/saml2/idp/SSOService.php`, IdP-initiated with `?spentityid=`.
 *
 * {@link simpleSamlPhpAvailability}: outside CI a missing package is `{ available: false, reason }`
 * (the test skips, printing it); with `CI` set it throws (`.ci/run` installs the packages).
 */
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSigningKey } from '../saml-test-idp.js';
import type { InteropIdp } from '../interop-flow.js';
import { verdict, type Availability } from './pysaml2.js';

export const PHP = '/usr/bin/php';
export const SIMPLESAMLPHP = '/usr/share/simplesamlphp';
const CONVERTER = fileURLToPath(new URL('./simplesamlphp-sp-remote.php', import.meta.url));
const INSTALL = 'apt-get install -y --no-install-recommends simplesamlphp php-cli php-xml php-mbstring';

/** Whether php (with dom, mbstring, openssl, zlib) and SimpleSAMLphp are installed; throws in CI when not. */
export function simpleSamlPhpAvailability(): Availability {
  const missing: string[] = [];
  let versions = '';
  if (!existsSync(join(SIMPLESAMLPHP, 'www/saml2/idp/SSOService.php'))) missing.push(`${SIMPLESAMLPHP} not found`);
  const probe = spawnSync(PHP, ['-r', 'foreach (["dom", "mbstring", "openssl", "zlib", "session"] as $e) if (!extension_loaded($e)) echo "missing PHP extension $e\\n"; echo "PHP ", PHP_VERSION, "\\n";'], { encoding: 'utf8' });
  if (probe.status !== 0 || probe.error) missing.push(`${PHP} not found or not working`);
  else {
    missing.push(...probe.stdout.split('\n').filter((l) => l.startsWith('missing')));
    versions = probe.stdout.split('\n').find((l) => l.startsWith('PHP ')) ?? '';
  }
  const dpkg = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'simplesamlphp'], { encoding: 'utf8' });
  if (dpkg.status === 0) versions = `SimpleSAMLphp ${dpkg.stdout.trim()}, ${versions}`;
  return verdict('SimpleSAMLphp IdP', missing, versions, INSTALL);
}

export type SimpleSamlPhpIdp = InteropIdp;

export interface SimpleSamlPhpUser {
  uid: string;
  mail: string;
  givenName: string;
  sn: string;
}

export const DEFAULT_SIMPLESAMLPHP_USER: SimpleSamlPhpUser = { uid: 'ada', mail: 'ada@megacorp.test', givenName: 'Ada', sn: 'Lovelace' };

/** A PHP single-quoted string literal. */
const php = (value: string): string => `'${value.replace(/[\\']/g, '\\$&')}'`;

/** A free port on 127.0.0.1 now (PHP's built-in server needs one named up front). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function writeConfig(dir: string, origin: string, user: SimpleSamlPhpUser, wantSignedRequests: boolean): Promise<void> {
  const key = await createSigningKey('SimpleSAMLphp IdP', new Date());
  await Promise.all(['cert', 'log', 'data', 'tmp', 'sessions', 'metadata'].map((d) => mkdir(join(dir, d))));
  const config = `<?php
$config = [
  'baseurlpath' => ${php(`${origin}/`)},
  'certdir' => ${php(`${dir}/cert/`)},
  'loggingdir' => ${php(`${dir}/log/`)},
  'datadir' => ${php(`${dir}/data/`)},
  'tempdir' => ${php(`${dir}/tmp`)},
  'metadatadir' => ${php(`${dir}/metadata`)},
  'metadata.sources' => [['type' => 'flatfile']],
  'secretsalt' => ${php(Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex'))},
  'auth.adminpassword' => ${php(Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex'))},
  'admin.protectindexpage' => true,
  'admin.protectmetadata' => false,
  'admin.checkforupdates' => false,
  'technicalcontact_email' => 'na@example.org',
  'timezone' => 'UTC',
  'enable.saml20-idp' => true,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
  'session.cookie.secure' => false,
  'session.cookie.samesite' => null,
  'language.cookie.secure' => false,
  'session.phpsession.savepath' => ${php(`${dir}/sessions`)},
  'store.type' => 'phpsession',
  'logging.handler' => 'stderr',
  'logging.level' => SimpleSAML\\Logger::WARNING,
  'showerrors' => true,
  'errorreporting' => false,
  'production' => true,
  'trusted.url.domains' => ['127.0.0.1'],
];
`;
  const authsources = `<?php
$config = [
  'admin' => ['core:AdminPassword'],
  'static-user' => ['exampleauth:StaticSource', 'uid' => [${php(user.uid)}], 'mail' => [${php(user.mail)}], 'givenName' => [${php(user.givenName)}], 'sn' => [${php(user.sn)}]],
];
`;
  const hosted = `<?php
$metadata['__DYNAMIC:1__'] = [
  'host' => '__DEFAULT__',
  'privatekey' => 'idp.key',
  'certificate' => 'idp.crt',
  'auth' => 'static-user',${wantSignedRequests ? "\n  'validate.authnrequest' => true," : ''}
  // 1.19 advertises HTTP-Redirect only unless told; its SSOService.php reads both.
  'SingleSignOnServiceBinding' => ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'],
];
`;
  await Promise.all([
    writeFile(join(dir, 'config.php'), config),
    writeFile(join(dir, 'authsources.php'), authsources),
    writeFile(join(dir, 'metadata/saml20-idp-hosted.php'), hosted),
    writeFile(join(dir, 'metadata/saml20-sp-remote.php'), '<?php\n'),
    writeFile(join(dir, 'cert/idp.key'), key.privateKeyPem, { mode: 0o600 }),
    writeFile(join(dir, 'cert/idp.crt'), key.certPem),
  ]);
}

export interface SimpleSamlPhpIdpOptions {
  user?: SimpleSamlPhpUser;
  /**
   * The NameID it sends each SP: `mail` (default) honours the emailAddress format of our SP
   * metadata with the mail attribute, as an admin sets `simplesaml.nameidattribute`; `transient`
   * overrides it with SimpleSAMLphp's own default, a random transient ID each login.
   */
  nameId?: 'mail' | 'transient';
  /**
   * Requires signed AuthnRequests (`validate.authnrequest`): its metadata says
   * WantAuthnRequestsSigned="true", and each SP entry has it set too, as the IdP's admin enforces
   * it (an SP entry otherwise takes it from the SP's own AuthnRequestsSigned).
   */
  wantSignedRequests?: boolean;
  /**
   * Encrypts the assertions it sends each SP (`assertion.encryption` in the SP entry, as an admin
   * sets it): for the first encryption certificate of the SP's metadata, RSA-OAEP key transport.
   */
  encryptAssertions?: boolean;
}

/** Runs `php -S` on `port`; resolves once it listens, rejects if it exits first (the port taken meanwhile). */
async function serve(port: number, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcessWithoutNullStreams; exited: Promise<void>; stderr: () => string }> {
  // php -S does not read stdin: a shell holds it and stops php when it closes (stop(), or this
  // process gone), so none is left behind.
  const script = 'exec 3<&0; "$0" "$@" & php=$!; (cat <&3 >/dev/null; kill $php 2>/dev/null) & wait $php';
  // OPcache is on for `php -S` (Debian's php.ini: opcache.enable=1, revalidate_freq=2): it would
  // serve saml20-sp-remote.php as compiled up to 2 s before importSpMetadata rewrote it ("Metadata
  // not found" for an SP added since). Every file is read as it is now.
  const args = ['-d', 'opcache.enable=0', '-S', `127.0.0.1:${port}`, '-t', join(SIMPLESAMLPHP, 'www')];
  const child = spawn('/bin/sh', ['-c', script, PHP, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => child.stdin.destroy());
  let stderr = '';
  child.stdout.resume();
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`Development Server (http://127.0.0.1:${port}) started`)) resolve();
    });
    void exited.then(() => reject(new Error(`php -S did not start (exit code ${child.exitCode}, signal ${child.signalCode}):\n${stderr}`)));
  });
  return { child, exited, stderr: () => stderr };
}

/** Runs `php <args>` with `input` on stdin; resolves with its stdout, rejects with its stderr. */
function runPhp(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(PHP, args, { env, encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}${stdout}`)) : resolve(stdout)));
    child.stdin?.end(input);
  });
}

export async function startSimpleSamlPhpIdp(options: SimpleSamlPhpIdpOptions = {}): Promise<SimpleSamlPhpIdp> {
  const dir = await mkdtemp(join(tmpdir(), 'simplesamlphp-idp-'));
  try {
    // The port goes in config.php before php starts: on the rare race for it, another port.
    let server: Awaited<ReturnType<typeof serve>> | undefined;
    let origin = '';
    let env: NodeJS.ProcessEnv = {};
    for (let attempt = 1; !server; attempt++) {
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      await writeConfig(dir, origin, options.user ?? DEFAULT_SIMPLESAMLPHP_USER, options.wantSignedRequests === true);
      env = { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: dir };
      server = await serve(port, env).catch((error: unknown) => {
        if (attempt >= 3 || !/Address already in use/.test(String(error))) throw error;
        return undefined;
      });
    }
    const { child, exited, stderr } = server;
    const spEntries: string[] = [];
    const metadataUrl = `${origin}/saml2/idp/metadata.php`;
    return {
      name: 'SimpleSAMLphp',
      origin,
      metadataUrl,
      entityId: metadataUrl,
      ssoUrl: () => `${origin}/saml2/idp/SSOService.php`,
      idpInitiatedUrl: (spEntityId) => `${origin}/saml2/idp/SSOService.php?spentityid=${encodeURIComponent(spEntityId)}`,
      async importSpMetadata(url) {
        if (new URL(url).hostname !== '127.0.0.1') throw new Error(`only 127.0.0.1 SP metadata: ${url}`);
        const answer = await fetch(url);
        if (!answer.ok) throw new Error(`SP metadata ${url}: ${answer.status}`);
        const settings = {
          ...(options.nameId === 'transient' ? { NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' } : { 'simplesaml.nameidattribute': 'mail' }),
          ...(options.wantSignedRequests ? { 'validate.authnrequest': true } : {}),
          ...(options.encryptAssertions ? { 'assertion.encryption': true } : {}),
        };
        const entry = await runPhp([CONVERTER, JSON.stringify(settings)], await answer.text(), env).catch((error: unknown) => {
          throw new Error(`SimpleSAMLphp could not read the SP metadata at ${url}: ${String(error)}`);
        });
        spEntries.push(entry);
        await writeFile(join(dir, 'metadata/saml20-sp-remote.php'), `<?php\n${spEntries.join('')}`);
      },
      errors: stderr,
      async stop() {
        child.stdin.end();
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
