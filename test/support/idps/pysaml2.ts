/// <reference types="node" />
/**
 * Starts `pysaml2_idp.py` (a SAML IdP on pysaml2 + xmlsec1, Debian's `python3-pysaml2` and
 * `xmlsec1`) as a child process on 127.0.0.1 and resolves once it printed `READY <origin>`.
 *
 * {@link pysaml2Availability} tells whether those packages are here. Outside CI a missing one is
 * `{ available: false, reason }` (the test skips, printing the reason); with `CI` set it throws:
 * in CI the packages must be installed (`.ci/run`).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InteropIdp } from '../interop-flow.js';

/** Debian's interpreter: `python3` on PATH may be another one (pyenv) without Debian's packages. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const XMLSEC1 = '/usr/bin/xmlsec1';
const SCRIPT = fileURLToPath(new URL('./pysaml2_idp.py', import.meta.url));
const INSTALL = 'apt-get install -y --no-install-recommends python3-pysaml2 xmlsec1';

export type Availability = { available: true; versions: string } | { available: false; reason: string };

/** Whether pysaml2 (with python3-cryptography) and xmlsec1 are installed; throws in CI when not. */
export function pysaml2Availability(): Availability {
  const missing: string[] = [];
  let versions = '';
  if (!existsSync(DEBIAN_PYTHON)) missing.push(`${DEBIAN_PYTHON} not found`);
  else {
    const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import saml2, cryptography; from importlib.metadata import version; print("pysaml2", version("pysaml2"))'], { encoding: 'utf8' });
    if (probe.status !== 0) missing.push(`${DEBIAN_PYTHON} cannot import saml2/cryptography (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})`);
    else versions = probe.stdout.trim();
  }
  const xmlsec = xmlsec1Version();
  if (xmlsec === undefined) missing.push(`${XMLSEC1} not found or not working`);
  else versions += `, ${xmlsec}`;
  return verdict('pysaml2 IdP', missing, versions, INSTALL);
}

function xmlsec1Version(): string | undefined {
  const xmlsec = spawnSync(XMLSEC1, ['--version'], { encoding: 'utf8' });
  return xmlsec.status === 0 ? xmlsec.stdout.trim() : undefined;
}

/** Whether xmlsec1 (the second opinion on signatures, {@link verifyWithXmlsec1}) is installed; throws in CI when not. */
export function xmlsec1Availability(): Availability {
  const version = xmlsec1Version();
  return verdict('xmlsec1 (the second opinion on signatures)', version === undefined ? [`${XMLSEC1} not found or not working`] : [], version ?? '', 'apt-get install -y --no-install-recommends xmlsec1');
}

/** Available, or the reason it is not (outside CI), or an error (in CI, where the packages must be installed). */
export function verdict(what: string, missing: string[], versions: string, install: string): Availability {
  if (missing.length === 0) return { available: true, versions };
  const reason = `${what} unavailable: ${missing.join('; ')}. Install: ${install}`;
  if (process.env.CI) throw new Error(`${reason} (CI is set: the packages must be installed)`);
  return { available: false, reason };
}

/**
 * Its metadata URL is also its entity ID; SSO on `/sso/redirect` and `/sso/post`; `errors()` is
 * what it wrote on stderr so far (tracebacks of refused requests); `stop()` sends SIGTERM and
 * waits for it to exit.
 */
export type Pysaml2Idp = InteropIdp;

export interface Pysaml2IdpOptions {
  /** SP metadata file paths or 127.0.0.1 URLs to trust from the start. */
  spMetadata?: string[];
  /** The user every login signs in (default `ada@megacorp.test`). */
  user?: string;
  /** Sign with a key other than the one its metadata advertises. */
  untrustedSigningKey?: boolean;
  /** Sign with rsa-sha1 and a sha1 digest (pysaml2's own default) instead of rsa-sha256 / sha256. */
  sha1?: boolean;
  /** What it signs (default: the assertion). */
  sign?: 'assertion' | 'response' | 'both';
  /** Advertise WantAuthnRequestsSigned="true" and refuse AuthnRequests the SP did not sign (both bindings). */
  wantSignedRequests?: boolean;
}

export function startPysaml2Idp(options: Pysaml2IdpOptions = {}): Promise<Pysaml2Idp> {
  // -B: no __pycache__ beside the script.
  const args = ['-B', SCRIPT, ...(options.spMetadata ?? []).flatMap((m) => ['--sp-metadata', m])];
  if (options.user) args.push('--user', options.user);
  if (options.untrustedSigningKey) args.push('--untrusted-signing-key');
  if (options.sha1) args.push('--sha1');
  if (options.sign) args.push('--sign', options.sign);
  if (options.wantSignedRequests) args.push('--want-signed-requests');
  // stdin stays open: the IdP exits when it closes (this process gone), so none is left behind.
  const child = spawn(DEBIAN_PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const origin = /^READY (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
      if (!origin) return;
      resolve({
        name: 'pysaml2',
        origin,
        metadataUrl: `${origin}/metadata`,
        entityId: `${origin}/metadata`,
        ssoUrl: (binding) => `${origin}/sso/${binding}`,
        idpInitiatedUrl: (spEntityId) => `${origin}/idp-initiated?sp=${encodeURIComponent(spEntityId)}`,
        async importSpMetadata(url) {
          const answer = await fetch(`${origin}/sp-metadata`, { method: 'POST', body: new URLSearchParams({ url }) });
          const text = await answer.text();
          if (!answer.ok) throw new Error(`pysaml2 IdP refused the SP metadata at ${url}: ${answer.status} ${text}`);
        },
        errors: () => stderr,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`The pysaml2 IdP did not start (exit code ${child.exitCode}, signal ${child.signalCode}):\n${stderr}`)));
  });
}

/**
 * A second opinion on a SAML response's signature: `xmlsec1 --verify` (the C library) with
 * `keyPem` as the only trusted key (a PEM certificate, or a PEM public key), on the document's
 * first signature (the Response's when it is signed, else the assertion's). With `keyPem` null
 * it is given no key: it can only use what the message's KeyInfo carries (its X509 certificates
 * are not trusted without a CA, so in practice nothing). `ok` is its verdict; `output` what it
 * printed. `idNodes`: the elements whose `ID` attribute a reference may point to (default:
 * Response and Assertion).
 */
export async function verifyWithXmlsec1(
  responseXml: string,
  keyPem: string | null,
  idNodes = ['urn:oasis:names:tc:SAML:2.0:protocol:Response', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion'],
): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'xmlsec1-verify-'));
  try {
    await writeFile(join(dir, 'response.xml'), responseXml);
    const keyArgs: string[] = [];
    if (keyPem !== null) {
      await writeFile(join(dir, 'idp.pem'), keyPem);
      keyArgs.push(keyPem.includes('PUBLIC KEY') ? '--pubkey-pem' : '--pubkey-cert-pem', join(dir, 'idp.pem'));
    }
    const ids = idNodes.flatMap((node) => ['--id-attr:ID', node]);
    const args = ['--verify', ...ids, ...keyArgs, join(dir, 'response.xml')];
    return await new Promise((resolve) => {
      execFile(XMLSEC1, args, { encoding: 'utf8' }, (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}`.trim() }));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const VERDICTS = {
  good: { ok: true, output: /^OK$/m, says: 'agrees the signature is good' },
  tampered: { ok: false, output: /data and digest do not match/, says: 'refuses the tampered copy too' },
  'wrong key': { ok: false, output: /^FAIL$/m, says: 'with the advertised certificate refuses it too' },
  unsigned: { ok: false, output: /failed to find default node with name="Signature"/, says: 'finds no signature either' },
  'no key': { ok: false, output: /key is not found/, says: 'finds no key to verify it with either' },
  'unknown algorithm': { ok: false, output: /xmlsec library function failed:href=http/, says: 'does not know the signature algorithm either' },
} as const;
export type Xmlsec1Verdict = keyof typeof VERDICTS;
let xmlsec1Here: boolean | undefined;

/**
 * Asserts {@link verifyWithXmlsec1}'s verdict on `responseXml` with `keyPem` trusted (null: no key). Where
 * xmlsec1 is missing outside CI there is no second opinion to ask: no check (the test file
 * prints that from {@link xmlsec1Availability}); in CI a missing xmlsec1 throws.
 */
export async function assertXmlsec1Verdict(responseXml: string, keyPem: string | null, expected: Xmlsec1Verdict): Promise<void> {
  xmlsec1Here ??= xmlsec1Availability().available;
  if (!xmlsec1Here) return;
  const verdict = await verifyWithXmlsec1(responseXml, keyPem);
  const want = VERDICTS[expected];
  assert.ok(verdict.ok === want.ok && want.output.test(verdict.output), `xmlsec1 --verify ${want.says}: ${verdict.output}`);
}
