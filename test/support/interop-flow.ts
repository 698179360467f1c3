/// <reference types="node" />
/**
 * The portal's flow over HTTP, as the interop tests drive it against an IdP nobody here wrote
 * (test/support/idps): the IdP metadata read through the portal API from its URL, the connection
 * created from it, our SP metadata imported by the IdP from our URL, test logins started and
 * their results read, the browser taken to the IdP and back, activation and a sign-in on the demo
 * login page. One copy for every IdP (test/server/interop-*.test.ts).
 */
import assert from 'node:assert/strict';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import type { AttributeMapping } from '../../src/core/model.js';
import type { LoginServer } from '../server/login-harness.js';
import { FormBrowser, formsOf, type Page } from './form-browser.js';

export type Binding = 'redirect' | 'post';

/** What the flow needs of an IdP under test. */
export interface InteropIdp {
  /** For messages: "pysaml2", "samlp", "SimpleSAMLphp". */
  name: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  metadataUrl: string;
  /** The entity ID its metadata declares. */
  entityId: string;
  /** The SSO service location its metadata declares for a binding. */
  ssoUrl(binding: Binding): string;
  /** Has the IdP trust an SP's metadata from a 127.0.0.1 URL, as an admin imports it in an IdP console. */
  importSpMetadata(url: string): Promise<void>;
  /** Where a browser starts an IdP-initiated login to an SP. */
  idpInitiatedUrl(spEntityId: string): string;
  /** What it logged of refused requests so far. */
  errors(): string;
  stop(): Promise<void>;
}

export interface Connection {
  id: string;
  version: number;
  serviceProvider: { entityId: string; acsUrl: string; metadataUrl: string };
  saml: { signingCertificates: string[]; wantAuthnRequestsSigned?: boolean };
}

export interface TestResult {
  status: string;
  error: { code: string; message?: string } | null;
  profile: { email?: string; firstName?: string; lastName?: string; subject?: string } | null;
  rawAttributes: Record<string, string[]>;
  warnings?: { code: string; message: string; remedy: string; details?: Record<string, unknown> }[];
}

/** The SAML response a page's (first) form carries, decoded. */
export const samlResponseOf = (page: Page): string => Buffer.from(formsOf(page)[0]!.fields.SAMLResponse!, 'base64').toString('utf8');

/** The flow for one organization (`token`: its portal token) on a running login server. */
export class InteropFlow {
  constructor(
    private readonly s: LoginServer,
    private readonly token: string,
  ) {}

  /**
   * As the wizard does: the portal API fetches the IdP metadata from its URL (the SSRF guard lets
   * loopback through in dev mode), core parses it, the connection is created from it; then the
   * IdP imports our connection's SP metadata from its URL.
   */
  async connectTo(
    idp: InteropIdp,
    options: {
      binding?: Binding;
      providerId?: string;
      attributeMapping: AttributeMapping;
      /** Overrides what the IdP's metadata says (WantAuthnRequestsSigned), as an admin typing the values by hand may. */
      wantAuthnRequestsSigned?: boolean;
    },
  ): Promise<Connection> {
    const binding = options.binding ?? 'redirect';
    const fetched = await this.s.portal(this.token, 'POST', '/api/portal/metadata', { url: idp.metadataUrl });
    assert.equal(fetched.status, 200, fetched.text);
    const parsed = await parseSamlMetadata(fetched.body.xml as string);
    assert.ok(parsed.ok, `${idp.name}'s metadata parses: ${JSON.stringify(parsed)}`);
    const m = parsed.metadata;
    assert.equal(m.entityId, idp.entityId);
    assert.equal(m.signingCertificates.length, 1);
    const sso = m.ssoServices.find((x) => x.binding.endsWith(binding === 'redirect' ? 'HTTP-Redirect' : 'HTTP-POST'));
    assert.ok(sso, `an SSO service on HTTP-${binding}`);
    assert.equal(sso.location, idp.ssoUrl(binding));
    const created = await this.s.portal(this.token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: options.providerId ?? 'generic-saml',
      saml: {
        idpEntityId: m.entityId,
        ssoUrl: sso.location,
        ssoBinding: binding,
        signingCertificates: m.signingCertificates.map((c) => c.pem),
        metadataUrl: idp.metadataUrl,
        // As the wizard keeps it from the metadata (sso-step-saml.ts).
        ...(typeof (options.wantAuthnRequestsSigned ?? m.wantAuthnRequestsSigned) === 'boolean' ? { wantAuthnRequestsSigned: options.wantAuthnRequestsSigned ?? m.wantAuthnRequestsSigned } : {}),
      },
      attributeMapping: options.attributeMapping,
    });
    assert.equal(created.status, 201, created.text);
    const connection = created.body as Connection;
    await idp.importSpMetadata(connection.serviceProvider.metadataUrl);
    return connection;
  }

  async startTest(connectionId: string, mode: 'sp' | 'idp' = 'sp'): Promise<{ testId: string; loginUrl?: string }> {
    const started = await this.s.portal(this.token, 'POST', `/api/portal/connections/${connectionId}/tests`, { mode });
    assert.equal(started.status, 201, started.text);
    return started.body as { testId: string; loginUrl?: string };
  }

  async result(testId: string): Promise<TestResult> {
    const answer = await this.s.portal(this.token, 'GET', `/api/portal/tests/${testId}`);
    assert.equal(answer.status, 200, answer.text);
    return answer.body as TestResult;
  }

  /** Our login page -> (302, or our auto-posting form) -> the IdP, which answers with its auto-posting form to our ACS. */
  async toIdp(browser: FormBrowser, loginUrl: string, idp: InteropIdp, binding: Binding = 'redirect'): Promise<Page> {
    let page = await browser.go(loginUrl);
    if (binding === 'post') {
      assert.equal(page.status, 200, page.text.slice(0, 300));
      assert.equal(formsOf(page)[0]?.action, idp.ssoUrl('post'), `our page posts the AuthnRequest to ${idp.name}`);
      page = await browser.submit(page);
    }
    return this.idpAnswer(page, idp);
  }

  /** Checks that `page` is the IdP's auto-posting form carrying a SAMLResponse. */
  idpAnswer(page: Page, idp: InteropIdp): Page {
    assert.ok(page.url.startsWith(`${idp.origin}/`), `the browser reached ${idp.name}: ${page.url}`);
    assert.equal(page.status, 200, `${idp.name} answered ${page.status}: ${page.text}\n${idp.errors()}`);
    const [form] = formsOf(page);
    assert.ok(form && form.fields.SAMLResponse, `${idp.name} answers with a form carrying SAMLResponse: ${page.text.slice(0, 500)}`);
    assert.equal(form.method, 'POST');
    return page;
  }

  /** A whole SP-initiated test login; resolves with the result and the IdP's response. */
  async testLogin(connection: Connection, idp: InteropIdp, binding: Binding = 'redirect'): Promise<{ result: TestResult; xml: string; page: Page }> {
    const { testId, loginUrl } = await this.startTest(connection.id);
    assert.ok(loginUrl?.startsWith(`${this.s.origin}/sso/start/`), loginUrl);
    const browser = new FormBrowser();
    const idpPage = await this.toIdp(browser, loginUrl!, idp, binding);
    assert.equal(formsOf(idpPage)[0]!.action, connection.serviceProvider.acsUrl, 'posted to the connection’s ACS');
    const page = await browser.submit(idpPage);
    return { result: await this.result(testId), xml: samlResponseOf(idpPage), page };
  }

  /** Submits the IdP's form with its SAMLResponse replaced by `xml`; the test must end as a failure. */
  async refusedWith(testId: string, browser: FormBrowser, idpPage: Page, xml: string): Promise<TestResult> {
    const page = await browser.submit(idpPage, { SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
    assert.match(page.text, /Test login failed/);
    const r = await this.result(testId);
    assert.equal(r.status, 'failure');
    return r;
  }

  /**
   * A test login whose response gets one byte changed in the signed assertion before it reaches
   * our ACS: the first character of `value` (the last element text equal to it, e.g. the email
   * attribute) becomes another letter. `check` looks at the altered copy first (a second
   * opinion). Resolves with the test's result, which must be a failure.
   */
  async tamperedTest(connection: Connection, idp: InteropIdp, value: string, check: (tampered: string) => Promise<void>): Promise<TestResult> {
    const { testId, loginUrl } = await this.startTest(connection.id);
    const browser = new FormBrowser();
    const idpPage = await this.toIdp(browser, loginUrl!, idp);
    const xml = samlResponseOf(idpPage);
    const at = xml.lastIndexOf(`>${value}<`);
    assert.ok(at > xml.search(/<(?:\w+:)?Assertion[\s>]/) && at < xml.search(/<\/(?:\w+:)?Assertion>/), `${value} is in the signed assertion`);
    const tampered = `${xml.slice(0, at + 1)}${value.startsWith('b') ? 'c' : 'b'}${xml.slice(at + 2)}`;
    assert.equal(tampered.length, xml.length);
    assert.notEqual(tampered, xml);
    await check(tampered);
    return this.refusedWith(testId, browser, idpPage, tampered);
  }

  /** An IdP-initiated test: pending in IdP mode, completed by the IdP's unsolicited response. */
  async idpInitiatedTest(connection: Connection, idp: InteropIdp): Promise<{ result: TestResult; xml: string }> {
    const { testId, loginUrl } = await this.startTest(connection.id, 'idp');
    assert.equal(loginUrl, undefined, 'no launch page of ours for an IdP we did not write');
    const browser = new FormBrowser();
    const launch = this.idpAnswer(await browser.go(idp.idpInitiatedUrl(connection.serviceProvider.entityId)), idp);
    const xml = samlResponseOf(launch);
    assert.doesNotMatch(xml, /InResponseTo=/, 'unsolicited');
    const page = await browser.submit(launch);
    assert.match(page.text, /Test login succeeded/);
    return { result: await this.result(testId), xml };
  }

  /** Verifies `domain` for the organization and activates the connection (its latest test passed). */
  async activate(orgId: string, domain: string, connection: Connection): Promise<void> {
    assert.equal((await this.s.admin('POST', `/api/admin/organizations/${orgId}/domains/${domain}/verify`)).status, 200);
    const current = (await this.s.portal(this.token, 'GET', `/api/portal/connections/${connection.id}`)).body as Connection;
    const activated = await this.s.portal(this.token, 'PUT', `/api/portal/connections/${connection.id}/enabled`, { enabled: true, version: current.version });
    assert.equal(activated.status, 200, activated.text);
  }

  /** A user types `email` on the demo login page, goes through the IdP and lands signed in; resolves with that page. */
  async signInOnDemo(idp: InteropIdp, email: string): Promise<Page> {
    const browser = new FormBrowser();
    const loginPage = await browser.go(`${this.s.origin}/demo/login`);
    assert.match(loginPage.text, /Sign in with SSO/);
    const idpPage = this.idpAnswer(await browser.submit(loginPage, { email }), idp);
    const signedIn = await browser.submit(idpPage);
    assert.equal(signedIn.status, 200, signedIn.text.slice(0, 500));
    assert.match(signedIn.url, /\/demo\/login$/);
    assert.match(signedIn.text, /Sign out/);
    return signedIn;
  }
}
