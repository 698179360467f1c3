/// <reference types="node" />
// Database: any. It opens one, but what it tests is two browsers’ view of a test link; test-links.test.ts covers its storage on both databases, the same on either: the PostgreSQL pass of the server suite leaves it out (scripts/server-tests.mjs).
/**
 * A test by a real employee (issue 15), end to end in real Chromium (playwright-core) against the
 * real server on 127.0.0.1 with the IdP simulator and the CDN build (`npm run build:cdn`): two
 * browser contexts, the IT admin's (the hosted portal) and a colleague's (no cookie or storage in
 * common). The admin opens "Test link for a colleague" in the test step (its chunk loads then),
 * makes a link and copies it; the colleague opens it, reads what will happen, signs in at the
 * simulator; the admin's portal, which polls, shows the link used with the colleague's profile in
 * the test result view. The link then refuses a second use with its code. Every wait is on a
 * condition, never a sleep.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { parseSamlMetadata } from '../../src/core/saml-metadata.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

const CDN = fileURLToPath(new URL('../../dist/cdn/sso-admin-portal.js', import.meta.url));
const skip = !existsSync(CDN) || !existsSync(chromiumPath) ? 'needs `npm run build:cdn` and Chromium' : false;
const WAIT_MS = 20_000;

describe('a test link run by a colleague, in two browser contexts (Chromium)', { skip }, () => {
  let s: LoginServer;
  let browser: Browser;
  let token: string;
  const pageErrors: string[] = [];
  const watch = (page: Page, who: string) => page.on('pageerror', (error) => pageErrors.push(`${who}: ${error.message}`));

  before(async () => {
    s = await startLoginServer({ rateLimits: false });
    ({ token } = await s.organization('Megacorp'));
    const parsed = await parseSamlMetadata(await (await fetch(s.saml.metadataUrl)).text());
    assert.ok(parsed.ok);
    const redirect = parsed.metadata.ssoServices.find((x) => x.binding.endsWith('HTTP-Redirect'))!;
    const created = await s.portal(token, 'POST', '/api/portal/connections', {
      protocol: 'saml',
      providerId: 'simulator',
      saml: { idpEntityId: parsed.metadata.entityId, ssoUrl: redirect.location, ssoBinding: 'redirect', signingCertificates: parsed.metadata.signingCertificates.map((c) => c.pem), metadataUrl: s.saml.metadataUrl },
      attributeMapping: { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' },
    });
    assert.equal(created.status, 201, created.text);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  });

  after(async () => {
    await browser?.close();
    await s?.close();
    assert.deepEqual(pageErrors, [], 'no page errors');
  });

  test('the admin makes a link, the colleague signs in with it, the admin sees the result; the link works once', async () => {
    const adminContext = await browser.newContext();
    const colleagueContext = await browser.newContext();
    try {
      const admin = await adminContext.newPage();
      watch(admin, 'admin');
      await admin.goto(`${s.origin}/portal/${token}`);
      await admin.getByRole('button', { name: /^Test\b/ }).first().click({ timeout: WAIT_MS });
      await admin.getByRole('heading', { name: 'Test a real login' }).waitFor({ timeout: WAIT_MS });

      // The panel's chunk loads on the press, not before.
      const chunkRequests: string[] = [];
      admin.on('request', (request) => request.url().includes('sso-test-links') && chunkRequests.push(request.url()));
      assert.equal(await admin.locator('sso-test-links').evaluate((el) => customElements.get(el.localName) === undefined), true, 'not loaded before');
      await admin.getByRole('button', { name: 'Test link for a colleague' }).click();
      const heading = admin.getByRole('heading', { name: 'Test link for a colleague' });
      await heading.waitFor({ timeout: WAIT_MS });
      assert.equal(chunkRequests.length, 1, 'its chunk loaded on the press');
      const focused = await admin.evaluate(() => {
        let active: Element | null = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active?.id;
      });
      assert.equal(focused, 'links-heading', 'focus goes to the panel it opened (the button it pressed is gone)');

      await admin.getByLabel('Who is it for? (optional)').fill('Ada <b>Finance</b>');
      await admin.getByRole('button', { name: 'Create test link' }).click();
      const copy = admin.locator('sso-test-links sso-copy-field');
      await copy.waitFor({ timeout: WAIT_MS });
      const url = await copy.evaluate((el) => (el as unknown as { value: string }).value);
      assert.match(url, new RegExp(`^${s.origin}/test-link/tl_`));
      await admin.getByText('Not used yet').waitFor({ timeout: WAIT_MS });
      await admin.getByText('Ada <b>Finance</b>', { exact: true }).waitFor({ timeout: WAIT_MS });

      // The colleague, in a browser of their own.
      const colleague = await colleagueContext.newPage();
      watch(colleague, 'colleague');
      const opened = await colleague.goto(url);
      assert.equal(opened?.status(), 200);
      await colleague.getByRole('heading', { name: 'Test single sign-on for Megacorp' }).waitFor();
      await colleague.getByRole('button', { name: /^Sign in with / }).click();
      await colleague.waitForURL(/\/simulator\/saml\/sso/, { timeout: WAIT_MS });
      await colleague.locator('#email').fill('ada@megacorp.example');
      await colleague.locator('#firstName').fill('Ada');
      await colleague.locator('#lastName').fill('Lovelace');
      await colleague.getByRole('button', { name: 'Sign in', exact: true }).click();
      await colleague.getByRole('heading', { name: 'Test login succeeded' }).waitFor({ timeout: WAIT_MS });
      await colleague.getByText('the person who sent you the link sees the result').waitFor();

      // The admin's portal sees it by polling: used, passed, and the same result view with the profile.
      await admin.locator('sso-test-links sso-status-badge[status="success"]').waitFor({ timeout: WAIT_MS });
      const result = admin.locator('sso-test-links sso-test-result');
      await result.waitFor({ timeout: WAIT_MS });
      await result.getByText('ada@megacorp.example').first().waitFor({ timeout: WAIT_MS });
      await result.getByText('Lovelace').first().waitFor({ timeout: WAIT_MS });
      assert.equal(await admin.getByRole('button', { name: /^Withdraw/ }).count(), 0, 'a used link cannot be withdrawn');

      // Once only: the same link in the colleague's browser again.
      const again = await colleague.goto(url);
      assert.equal(again?.status(), 410);
      await colleague.getByRole('heading', { name: 'This test link was already used' }).waitFor();
      await colleague.getByText('test_link_used').waitFor();

      // A second link, withdrawn by the admin: the colleague is told so.
      await admin.getByRole('button', { name: 'Create test link' }).click();
      await admin.getByRole('button', { name: 'Withdraw the test link for A colleague' }).click({ timeout: WAIT_MS });
      await admin.locator('sso-test-links sso-status-badge[label="Withdrawn"]').waitFor({ timeout: WAIT_MS });
      const second = await copy.evaluate((el) => (el as unknown as { value: string }).value).catch(() => undefined);
      assert.equal(second, undefined, 'the withdrawn link’s URL is no longer shown');
    } finally {
      await adminContext.close();
      await colleagueContext.close();
    }
  });
});

