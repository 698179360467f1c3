/// <reference types="node" />
/**
 * A SAML IdP on Auth0's `samlp` (npm; the library behind Auth0's SAML2 Web App add-on, with its
 * own xml-crypto 2 and @auth0/xmldom, not the versions our SP uses), served by node:http on
 * 127.0.0.1 at a free port, in this process. samlp's middlewares expect Express; a few lines
 * below give them the Express-like `req` / `res` they use.
 *
 * - `GET /metadata`: `samlp.metadata` (its entity ID is this URL); SSO on `/sso/redirect` and `/sso/post`.
 * - `POST /sp-metadata` (form field `url`): fetches an SP's metadata from a 127.0.0.1 URL and
 *   trusts it (entity ID and HTTP-POST ACS), as an admin imports it in an IdP console.
 * - `/sso/*`: `samlp.parseRequest`, the SP looked up by the request's Issuer, then `samlp.auth`
 *   answers with its auto-posting form to the SP's ACS (the one in its metadata, as Auth0 does
 *   with the "Application Callback URL").
 * - `GET /idp-initiated?sp=<entity ID>`: `samlp.auth` without a request (unsolicited).
 *
 * The user is a fixed Passport profile, as Auth0 builds it; samlp maps it to the WS-Federation
 * claim types and its `id` to the NameID (no Format unless {@link SamlpIdpOptions.nameIdFormat}).
 */
import { X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import * as samlp from 'samlp';
import type { AuthOptions, PassportProfile, SamlpRequest, SamlpResponse } from 'samlp';
import { createSigningKey } from '../saml-test-idp.js';
import type { InteropIdp } from '../interop-flow.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export interface SamlpIdpOptions {
  /** The signed-in user (default: Ada Lovelace, ada@megacorp.test, id `auth0|ada`). */
  user?: PassportProfile;
  /** Sign with a key other than the one its metadata advertises. */
  untrustedSigningKey?: boolean;
  /** Passed to samlp as they are (its defaults: rsa-sha256, sha256, assertion signed, response not). */
  signatureAlgorithm?: AuthOptions['signatureAlgorithm'];
  digestAlgorithm?: AuthOptions['digestAlgorithm'];
  signAssertion?: boolean;
  signResponse?: boolean;
  nameIdFormat?: string;
  /**
   * The Response's Destination. samlp's own default, when an integrator gives none, is the
   * audience (the SP's entity ID), not the ACS URL; Auth0 itself sets the ACS URL. Default 'acs'.
   */
  destination?: 'acs' | 'samlp-default';
  /**
   * Verifies AuthnRequests with the SP's signing certificate from its metadata (KeyDescriptor
   * use="signing"), as Auth0's SAML add-on does with its `signingCert` setting: samlp then refuses
   * an unsigned request and one whose signature does not verify. samlp's metadata never says
   * WantAuthnRequestsSigned (nor does Auth0's): the SP must be told by hand.
   */
  verifyRequestSignatures?: boolean;
  /**
   * Encrypts the assertion as Auth0's SAML add-on does with its `encryptionCert` and
   * `encryptionPublicKey` settings: for the SP's encryption certificate from its metadata
   * (KeyDescriptor use="encryption"), or for `certificatePem` (another SP's). `algorithm`:
   * samlp's `encryptionAlgorithm` (its default: AES-256-GCM; CBC ones with
   * `disallowEncryptionWithInsecureAlgorithm: false`, which they need). samlp 8 does not pass a
   * `keyEncryptionAlgorithm` on: key transport is always RSA-OAEP (SHA-1).
   */
  encrypt?: { algorithm?: string; certificatePem?: string };
}

export type SamlpIdp = InteropIdp;

export const DEFAULT_SAMLP_USER: PassportProfile = {
  id: 'auth0|ada',
  displayName: 'Ada Lovelace',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@megacorp.test' }],
};

interface TrustedSp {
  entityId: string;
  acsUrl: string;
  /** Its first signing certificate (base64 DER), if its metadata has one. */
  signingCert?: string;
  /** Its first encryption certificate (base64 DER), if its metadata has one. */
  encryptionCert?: string;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += (chunk as Buffer).toString();
  return body;
}

/** An SP's entity ID, HTTP-POST ACS and signing certificate from its metadata. */
function parseSpMetadata(xml: string): TrustedSp {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const entity = doc.getElementsByTagNameNS(MD, 'EntityDescriptor')[0];
  const acs = Array.from(doc.getElementsByTagNameNS(MD, 'AssertionConsumerService')).find((e) => e.getAttribute('Binding') === POST);
  const entityId = entity?.getAttribute('entityID');
  const acsUrl = acs?.getAttribute('Location');
  if (!entityId || !acsUrl) throw new Error('no entityID or HTTP-POST AssertionConsumerService in the SP metadata');
  const certificateOf = (use: string) =>
    Array.from(doc.getElementsByTagNameNS(MD, 'KeyDescriptor'))
      .find((k) => (k.getAttribute('use') ?? use) === use)
      ?.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]
      ?.textContent?.replace(/\s+/g, '');
  const signingCert = certificateOf('signing');
  const encryptionCert = certificateOf('encryption');
  return { entityId, acsUrl, ...(signingCert ? { signingCert } : {}), ...(encryptionCert ? { encryptionCert } : {}) };
}

export async function startSamlpIdp(options: SamlpIdpOptions = {}): Promise<SamlpIdp> {
  const user = options.user ?? DEFAULT_SAMLP_USER;
  const [advertised, signing] = await Promise.all([createSigningKey('samlp IdP', new Date()), options.untrustedSigningKey ? createSigningKey('samlp rogue', new Date()) : undefined]);
  const key = signing ?? advertised;
  const sps = new Map<string, TrustedSp>();
  let errors = '';
  let origin = '';

  /** The encryption options of samlp for one SP (PEM certificate and public key), as Auth0's add-on takes them. */
  const encryptionFor = (sp: TrustedSp): Partial<AuthOptions> => {
    if (!options.encrypt) return {};
    const pem = options.encrypt.certificatePem ?? (sp.encryptionCert ? `-----BEGIN CERTIFICATE-----\n${sp.encryptionCert.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n` : undefined);
    if (!pem) throw new Error(`the SP metadata of ${sp.entityId} has no encryption certificate`);
    const publicKey = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const algorithm = options.encrypt.algorithm;
    // xml-encryption 4 calls AES-CBC insecure and refuses it unless told (Auth0's add-on has the same switch).
    const cbc = algorithm?.endsWith('-cbc') ? { disallowEncryptionWithInsecureAlgorithm: false, warnOnInsecureEncryptionAlgorithm: false } : {};
    return { encryptionCert: pem, encryptionPublicKey: publicKey, ...(algorithm ? { encryptionAlgorithm: algorithm } : {}), ...cbc };
  };

  /** samlp.auth for one SP, with what this IdP knows of it. */
  const authFor = (sp: TrustedSp) =>
    samlp.auth({
      ...encryptionFor(sp),
      issuer: `${origin}/metadata`,
      cert: key.certPem,
      key: key.privateKeyPem,
      audience: sp.entityId,
      recipient: sp.acsUrl,
      ...(options.destination === 'samlp-default' ? {} : { destination: sp.acsUrl }),
      getPostURL: (_audience, _dom, _req, callback) => callback(null, sp.acsUrl),
      getUserFromRequest: () => user,
      ...(options.signatureAlgorithm ? { signatureAlgorithm: options.signatureAlgorithm } : {}),
      ...(options.digestAlgorithm ? { digestAlgorithm: options.digestAlgorithm } : {}),
      ...(options.signAssertion === undefined ? {} : { signAssertion: options.signAssertion }),
      ...(options.signResponse === undefined ? {} : { signResponse: options.signResponse }),
      ...(options.nameIdFormat ? { nameIdentifierFormat: options.nameIdFormat } : {}),
    });

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => fail(response, 500, error));
  });

  function fail(response: ServerResponse, status: number, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    errors += `${request0(response)} ${status}: ${message}\n`;
    if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(message);
  }
  const request0 = (response: ServerResponse) => `${response.req.method} ${response.req.url}`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const body = request.method === 'POST' ? Object.fromEntries(new URLSearchParams(await readBody(request))) : {};
    // What samlp reads of Express's request and response.
    const req: SamlpRequest = {
      method: request.method ?? 'GET',
      headers: request.headers,
      originalUrl: request.url ?? '/',
      protocol: 'http',
      query: Object.fromEntries(url.searchParams),
      body,
    };
    const headers: Record<string, string> = {};
    const res: SamlpResponse = {
      set: (name, value) => void (headers[name] = value),
      send(statusOrBody, text) {
        const [status, content] = typeof statusOrBody === 'number' ? [statusOrBody, text === undefined ? '' : String(text)] : [200, statusOrBody];
        if (status >= 400) errors += `${request0(response)} ${status}: ${content}\n`;
        response.writeHead(status, headers);
        response.end(content);
      },
    };
    const next = (error?: unknown) => fail(response, 500, error ?? 'samlp called next() without an error');

    if (url.pathname === '/metadata' && request.method === 'GET') {
      return samlp.metadata({ issuer: `${origin}/metadata`, cert: advertised.certPem, redirectEndpointPath: '/sso/redirect', postEndpointPath: '/sso/post' })(req, res);
    }
    if (url.pathname === '/sp-metadata' && request.method === 'POST') {
      const from = new URL(body.url ?? '');
      if (from.hostname !== '127.0.0.1') return fail(response, 400, `only 127.0.0.1 SP metadata: ${from.href}`);
      const answer = await fetch(from);
      if (!answer.ok) return fail(response, 502, `SP metadata ${from.href}: ${answer.status}`);
      const sp = parseSpMetadata(await answer.text());
      sps.set(sp.entityId, sp);
      response.writeHead(204).end();
      return;
    }
    if ((url.pathname === '/sso/redirect' && request.method === 'GET') || (url.pathname === '/sso/post' && request.method === 'POST')) {
      const parse = (check: samlp.ParseRequestOptions) =>
        new Promise<samlp.ParsedRequest | undefined>((resolve, reject) =>
          samlp.parseRequest(req, check, (error, data) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(data))),
        );
      const parsed = await parse({});
      if (!parsed?.issuer) return fail(response, 400, 'no SAMLRequest with an Issuer');
      const sp = sps.get(parsed.issuer);
      if (!sp) return fail(response, 403, `unknown SP ${parsed.issuer}: import its metadata first`);
      // Read again with the SP's certificate, as Auth0 (which knows the application from the URL) passes `signingCert`.
      if (options.verifyRequestSignatures) {
        if (!sp.signingCert) return fail(response, 403, `the SP metadata of ${sp.entityId} has no signing certificate`);
        await parse({ signingCert: sp.signingCert });
      }
      if (parsed.assertionConsumerServiceURL && parsed.assertionConsumerServiceURL !== sp.acsUrl) return fail(response, 403, `ACS ${parsed.assertionConsumerServiceURL} is not in the SP's metadata`);
      return authFor(sp)(req, res, next);
    }
    if (url.pathname === '/idp-initiated' && request.method === 'GET') {
      const sp = sps.get(url.searchParams.get('sp') ?? '');
      if (!sp) return fail(response, 403, `unknown SP ${url.searchParams.get('sp')}`);
      return authFor(sp)(req, res, next);
    }
    fail(response, 404, `no route ${request.method} ${url.pathname}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    name: 'samlp',
    origin,
    metadataUrl: `${origin}/metadata`,
    entityId: `${origin}/metadata`,
    ssoUrl: (binding) => `${origin}/sso/${binding}`,
    async importSpMetadata(url) {
      const answer = await fetch(`${origin}/sp-metadata`, { method: 'POST', body: new URLSearchParams({ url }) });
      if (!answer.ok) throw new Error(`samlp IdP refused the SP metadata at ${url}: ${answer.status} ${await answer.text()}`);
    },
    idpInitiatedUrl: (spEntityId) => `${origin}/idp-initiated?sp=${encodeURIComponent(spEntityId)}`,
    errors: () => errors,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
