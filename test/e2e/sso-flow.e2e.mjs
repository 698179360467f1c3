// What a new user does, end to end, with the keyboard only: `npm start` (scripts/start.mjs) on a
// free port with a fresh data folder; the IT admin opens the printed portal link, sets up the IdP
// Simulator over SAML, tests a real login in the popup (success, then "Wrong audience", then
// success again), activates the connection and adds megacorp.example; the host's admin verifies
// that domain manually on the printed dashboard; then a user signs in on the printed login page.
//
// Every interaction is a key press (Tab, Shift+Tab, Enter, Space, arrows, typing) through
// `page.keyboard`; locators only assert. Every wait is on an event, a URL, an element or the
// focus: no sleeps. Each page of the browser context is watched for console errors, page errors,
// CSP violations and requests leaving the server's origin; axe runs on the portal at both test
// results, on the simulator's login page and on the demo login page. Findings that do not stop
// the flow (axe violations, focus dropped to <body>) are collected and asserted by their own
// tests at the end, so the flow's own steps still report separately.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { root, startProduct, stopProduct } from './product.mjs';

const STEP_MS = 180_000;
const WAIT_MS = 30_000;
const USER = 'ada@megacorp.example';
const DOMAIN = 'megacorp.example';

const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A test failure's catalogued remedy, read from src/core/test-failures.ts (plain Node runs no TypeScript). */
function catalogRemedy(code) {
  const source = readFileSync(join(root, 'src/core/test-failures.ts'), 'utf8');
  const entry = new RegExp(`^\\s*${code}:\\s*\\{([\\s\\S]*?)^\\s*\\},`, 'm').exec(source)?.[1];
  const remedy = entry && /remedy:\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(entry)?.[2];
  assert.ok(remedy, `no remedy for ${code} in src/core/test-failures.ts`);
  return remedy.replace(/\\(.)/g, '$1');
}

// ---------------------------------------------------------------------------------------
// Focus, through shadow roots

/**
 * Runs in the page: the deepest focused element (through open shadow roots), described, and
 * whether it matches `spec` ({ name: text | {re, flags}, id, tag, host }). `host` is the tag of
 * the closest shadow host around it. With `spec.wait` it answers the description when it
 * matches and false otherwise (a predicate for `waitForFunction`; passed as a function, not a
 * string, since the pages' CSP forbids eval).
 */
function probeFocus(spec) {
  let el = document.activeElement;
  const hosts = [];
  while (el && el.shadowRoot && el.shadowRoot.activeElement) {
    hosts.push(el.localName);
    el = el.shadowRoot.activeElement;
  }
  const clean = (text) => (text ?? '').replace(/\s+/g, ' ').trim();
  const labelled = el?.getAttribute?.('aria-labelledby');
  const rootNode = el?.getRootNode?.();
  const name = !el
    ? ''
    : el.getAttribute('aria-label') ||
      (labelled && rootNode?.getElementById ? clean(labelled.split(/\s+/).map((id) => rootNode.getElementById(id)?.textContent).join(' ')) : '') ||
      (el.labels?.length ? clean(el.labels[0].textContent) : '') ||
      clean(el.textContent);
  const info = {
    hosts,
    host: hosts.at(-1) ?? null,
    tag: el?.localName ?? null,
    id: el?.id || null,
    type: el?.type ?? null,
    checked: el?.checked ?? null,
    value: typeof el?.value === 'string' ? el.value : null,
    name: clean(name).slice(0, 200),
    body: !el || el === document.body || el === document.documentElement,
  };
  const want = spec ?? {};
  const nameOk =
    want.name === undefined ||
    (typeof want.name === 'string' ? info.name === want.name : new RegExp(want.name.re, want.name.flags).test(info.name));
  const ok =
    !info.body &&
    nameOk &&
    (want.id === undefined || info.id === want.id) &&
    (want.tag === undefined || info.tag === want.tag) &&
    (want.host === undefined || info.host === want.host);
  if (want.wait) return ok ? info : false;
  return { ok, info };
}

function serialize(spec) {
  const { name, ...rest } = spec;
  return { ...rest, ...(name === undefined ? {} : { name: name instanceof RegExp ? { re: name.source, flags: name.flags } : name }) };
}

const show = (spec) => JSON.stringify(spec, (key, value) => (value instanceof RegExp ? String(value) : value));
const where = (info) => `${info.hosts.length ? `${info.hosts.join(' > ')} > ` : ''}<${info.tag}${info.id ? `#${info.id}` : ''}> "${info.name}"`;

async function focusOn(page, spec = {}) {
  return page.evaluate(probeFocus, serialize(spec));
}

/** Waits until the focus is on the element `spec` describes (moved there by the page itself). */
async function waitForFocus(page, spec, timeout = WAIT_MS) {
  try {
    await page.waitForFunction(probeFocus, { ...serialize(spec), wait: true }, { timeout });
  } catch (error) {
    const { info } = await focusOn(page);
    throw new Error(`focus never reached ${show(spec)}; it is on ${where(info)}`, { cause: error });
  }
}

/**
 * Presses Tab (or `key`) until the focus is on the element `spec` describes; fails with the
 * elements visited when it is not reachable within `max` presses.
 */
async function tabTo(page, spec, { key = 'Tab', max = 60 } = {}) {
  const visited = [];
  let probe = await focusOn(page, spec);
  for (let i = 0; !probe.ok; i++) {
    if (i >= max) throw new Error(`${key} never reached ${show(spec)} in ${max} presses; visited:\n  ${visited.join('\n  ')}`);
    await page.keyboard.press(key);
    probe = await focusOn(page, spec);
    visited.push(where(probe.info));
  }
  return probe.info;
}

// ---------------------------------------------------------------------------------------

describe('A new user, keyboard only: portal link -> IdP Simulator over SAML -> test -> activate -> domain -> sign-in', { timeout: 15 * STEP_MS }, () => {
  let dataDir;
  let server;
  let browser;
  let context;
  /** The hosted portal's page (the portal link). */
  let portal;
  /** Console errors, page errors, CSP violations, foreign requests, per page. */
  const problems = [];
  /** axe violations, by page and state. */
  const axeFindings = [];
  /** Actions after which the focus fell to <body> (a keyboard user starts over from the top). */
  const focusDrops = [];
  /** Product bugs the flow had to work around (each marked WORKAROUND below) to go on. */
  const workarounds = [];
  /** The first step that failed: later steps depend on it and are skipped. */
  let brokenAt;

  /** A step of the flow; skipped once an earlier one failed. */
  function step(name, fn) {
    it(name, { timeout: STEP_MS }, async (t) => {
      if (brokenAt) return t.skip(`needs "${brokenAt}", which failed`);
      try {
        await fn(t);
      } catch (error) {
        brokenAt = name;
        throw error;
      }
    });
  }

  function watch(page) {
    const label = () => {
      try {
        const url = new URL(page.url());
        return url.pathname.replace(/^\/portal\/.*/, '/portal/<token>');
      } catch {
        return page.url();
      }
    };
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => problems.push(`${label()}: pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${label()}: console error: ${message.text()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${server.origin}/`) && !url.startsWith('data:') && url !== 'about:blank') problems.push(`${label()}: request left ${server.origin}: ${url}`);
    });
  }

  async function axe(page, what) {
    const result = await new AxeBuilder({ page }).analyze();
    for (const v of result.violations) {
      axeFindings.push(`${what}: ${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }

  /** Records when an action left the focus on <body>. */
  async function noteFocus(page, action) {
    const { info } = await focusOn(page);
    if (info.body) focusDrops.push(`${action}: the focus fell to <body>`);
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sso-portal-flow-'));
    server = await startProduct(dataDir);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    context = await browser.newContext();
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    context.on('page', watch);
  });

  after(async () => {
    await browser?.close();
    await stopProduct(server);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Runs one test login from the test step: Enter on the focused test button opens the popup on
   * our login start page, which redirects to the simulator's login page; there the keyboard
   * keeps the default user, picks `scenario` (arrow keys from "Successful login") and signs in;
   * the popup posts the response to our ACS, tells the portal and closes itself. Resolves with
   * the result's <article> locator in the portal.
   */
  async function testLogin(scenario, { audit } = {}) {
    const opened = context.waitForEvent('page');
    const started = context.waitForEvent('request', (request) => request.url().startsWith(`${server.origin}/sso/start/`));
    await portal.keyboard.press('Enter');
    const popup = await opened;
    // Our login start page first, which redirects to the simulator with an AuthnRequest.
    assert.equal((await started).frame().page(), popup, 'the popup opens our login start page');
    await popup.waitForURL(/\/simulator\/saml\/sso\?/);
    assert.ok(popup.url().startsWith(`${server.origin}/simulator/saml/sso?SAMLRequest=`), popup.url());
    assert.equal(await popup.locator('#email').inputValue(), USER, 'the simulator signs in the default user');
    if (audit) await axe(popup, 'simulator login page');

    // The outcome radios: "Successful login" is checked; arrow keys move the choice.
    await tabTo(popup, { id: 'scenario-success' });
    assert.equal(await popup.locator('#scenario-success').isChecked(), true, '"Successful login" is the default outcome');
    if (scenario.id !== 'success') {
      await tabTo(popup, { id: `scenario-${scenario.id}`, name: scenario.label }, { key: 'ArrowDown', max: 15 });
      assert.equal(await popup.locator(`#scenario-${scenario.id}`).isChecked(), true, `${scenario.label} is chosen`);
    }
    await tabTo(popup, { tag: 'button', name: 'Sign in' });
    const closed = popup.waitForEvent('close', { timeout: WAIT_MS });
    await popup.keyboard.press('Enter');
    await closed;

    const result = portal.locator(`sso-step-test sso-test-result article.result--${scenario.id === 'success' ? 'success' : 'failure'}`);
    await result.waitFor();
    return result;
  }

  step('1. the printed portal link opens the portal (overview of Megacorp, no connection yet)', async () => {
    assert.ok(server.login, `start.mjs printed no "Login page:" line:\n${server.output.stdout}`);
    portal = await context.newPage();
    const response = await portal.goto(server.portal);
    assert.equal(response.status(), 200);
    const heading = portal.locator('sso-connections-overview h2');
    await heading.waitFor();
    assert.match(await heading.innerText(), /Megacorp/);
    await portal.locator('sso-connections-overview [part="empty-state"]', { hasText: 'Set up SSO' }).waitFor();
  });

  step('2. wizard: provider "IdP Simulator" (search, radio), SAML, guide, prefilled metadata URL read and reviewed, attributes', async () => {
    await tabTo(portal, { tag: 'button', name: 'Set up SSO' });
    await portal.keyboard.press('Enter');
    await waitForFocus(portal, { host: 'sso-step-provider', id: 'step-heading' });

    // Provider: search, then the one card left.
    await tabTo(portal, { host: 'sso-step-provider', id: 'provider-search' });
    await portal.keyboard.type('IdP Simulator');
    await portal.locator('sso-step-provider #provider-simulator').waitFor();
    assert.equal(await portal.locator('sso-step-provider input[name="provider"]').count(), 1, 'the search leaves only the IdP Simulator');
    const card = await tabTo(portal, { host: 'sso-step-provider', id: 'provider-simulator' });
    assert.match(card.name, /IdP Simulator/, 'the provider radio is labelled with the provider name');
    await portal.keyboard.press('Space');
    assert.equal(await portal.locator('sso-step-provider #provider-simulator').isChecked(), true);

    // Protocol: SAML (the simulator offers both).
    await portal.locator('sso-step-provider #protocol-saml').waitFor();
    await tabTo(portal, { host: 'sso-step-provider', id: 'protocol-saml' });
    await portal.keyboard.press('Space');
    assert.equal(await portal.locator('sso-step-provider #protocol-saml').isChecked(), true);

    await tabTo(portal, { host: 'sso-wizard', tag: 'button', name: 'Save and continue' });
    await portal.keyboard.press('Enter');

    // Guide: nothing to create; our values are shown.
    await waitForFocus(portal, { host: 'sso-step-guide', id: 'step-heading' });
    assert.equal(await portal.locator('sso-step-guide #step-heading').innerText(), 'Create the app in IdP Simulator');
    const entityId = portal.locator('sso-step-guide sso-copy-field #value').first();
    assert.match(await entityId.innerText(), new RegExp(`^${esc(server.origin)}/saml/`), 'the guide shows our entity ID');
    await tabTo(portal, { host: 'sso-wizard', tag: 'button', name: 'Continue' });
    await portal.keyboard.press('Enter');

    // SAML: the metadata URL is prefilled with the simulator's; read it, review it.
    await waitForFocus(portal, { host: 'sso-step-saml', id: 'step-heading' });
    assert.equal(await portal.locator('sso-step-saml #source-url').isChecked(), true, 'Metadata URL is the chosen source');
    assert.equal(await portal.locator('sso-step-saml #saml-metadata-url').inputValue(), `${server.origin}/simulator/saml/metadata`, 'the simulator metadata URL is prefilled');
    await tabTo(portal, { host: 'sso-step-saml', tag: 'button', name: 'Read metadata' });
    await portal.keyboard.press('Enter');
    const review = portal.locator('sso-step-saml [part="review"]');
    await review.waitFor();
    const reviewed = await review.innerText();
    assert.match(reviewed, new RegExp(`${esc(server.origin)}/simulator/saml\\b`), 'the review shows the simulator entity ID');
    assert.match(reviewed, new RegExp(`${esc(server.origin)}/simulator/saml/sso`), 'the review shows the SSO URL');
    assert.match(reviewed, /CN=IdP Simulator/, 'the review shows the signing certificate');
    await noteFocus(portal, 'SAML step, Enter on "Read metadata" (the same button turns into Cancel while busy)');
    await tabTo(portal, { host: 'sso-wizard', tag: 'button', name: 'Save and continue' });
    await portal.keyboard.press('Enter');

    // Attributes: the simulator's names are prefilled.
    await waitForFocus(portal, { host: 'sso-step-attributes', id: 'step-heading' });
    assert.equal(await portal.locator('sso-step-attributes #attr-email').inputValue(), 'email');
    await tabTo(portal, { host: 'sso-wizard', tag: 'button', name: 'Save and continue' });
    await portal.keyboard.press('Enter');
    await waitForFocus(portal, { host: 'sso-step-test', id: 'step-heading' });
    assert.equal(await portal.locator('sso-step-test #mode-sp').isChecked(), true, 'the test starts from this page (SP-initiated) by default');
  });

  step('3. "Test connection" opens the simulator in a popup; the default user signs in; the portal shows the success', async () => {
    await tabTo(portal, { host: 'sso-step-test', tag: 'button', name: 'Test connection' });
    const result = await testLogin({ id: 'success' }, { audit: true });
    const text = await result.innerText();
    assert.match(text, /The test login worked/);
    assert.match(text, new RegExp(`Signed in as Ada Lovelace \\(${esc(USER)}\\)`));
    assert.equal(await result.locator('[part="profile"] dd').first().innerText(), USER, 'the profile shows the signed-in email');
    await noteFocus(portal, 'test step, Enter on "Test connection", then the result arrived (it takes the focus)');
    await axe(portal, 'portal, successful test result');
  });

  step('4. a "Wrong audience" login fails with audience_mismatch and its remedy', async () => {
    await tabTo(portal, { host: 'sso-step-test', tag: 'button', name: 'Test again' });
    const result = await testLogin({ id: 'wrong_audience', label: 'Wrong audience' });
    assert.match(await result.locator('[part="headline"]').innerText(), /The test login failed/);
    const code = await result.locator('[part="code"]').innerText();
    assert.match(code, /audience_mismatch/);
    assert.match(code, /Wrong audience/);
    const remedy = await result.locator('[part="remedy"]').innerText();
    assert.ok(remedy.includes(catalogRemedy('audience_mismatch')), `the remedy of audience_mismatch is shown; got:\n${remedy}`);
    // Our entity ID, to paste, comes with it.
    assert.match(await result.locator('[part="remedy"] sso-copy-field #value').innerText(), new RegExp(`^${esc(server.origin)}/saml/`));
    await axe(portal, 'portal, failed test result (audience_mismatch)');
  });

  step('5. a successful test again, then activation (confirmed in the dialog)', async () => {
    await tabTo(portal, { host: 'sso-step-test', tag: 'button', name: 'Test again' });
    const result = await testLogin({ id: 'success' });
    assert.match(await result.innerText(), new RegExp(esc(USER)));

    await tabTo(portal, { host: 'sso-wizard', tag: 'button', name: 'Continue' });
    await portal.keyboard.press('Enter');
    await waitForFocus(portal, { host: 'sso-step-activate', id: 'step-heading' });
    await portal.locator('sso-step-activate .notice--success').waitFor();
    await tabTo(portal, { host: 'sso-step-activate', tag: 'button', name: 'Activate' });
    await portal.keyboard.press('Enter');
    // The dialog opens with Cancel focused, so Enter alone never confirms.
    await waitForFocus(portal, { host: 'sso-confirm-dialog', name: 'Cancel' });
    assert.match(await portal.locator('sso-step-activate sso-confirm-dialog dialog[open]').innerText(), /Activate sign-in with IdP Simulator\?/);
    await tabTo(portal, { host: 'sso-confirm-dialog', tag: 'button', name: 'Activate' }, { max: 5 });
    await portal.keyboard.press('Enter');
    await portal.locator('sso-step-activate #step-heading', { hasText: 'The connection is active' }).waitFor();
    await portal.locator('sso-step-activate sso-status-badge[status="active"]').waitFor();
    await noteFocus(portal, 'activate step, the connection became active after confirming the dialog');

    await tabTo(portal, { host: 'sso-wizard', tag: 'button', name: 'Done' });
    await portal.keyboard.press('Enter');
    await portal.locator('sso-connections-overview [part="connection"] sso-status-badge[status="active"]').waitFor();
  });

  step(`6. the portal adds ${DOMAIN}; the dashboard verifies it manually; the portal shows it verified`, async () => {
    await tabTo(portal, { host: 'sso-domains-panel', id: 'domain-input', name: 'Domain' });
    await portal.keyboard.type(DOMAIN);
    await portal.keyboard.press('Enter');
    const pending = portal.locator('sso-domains-panel li[part="domain"][data-status="pending"]', { hasText: DOMAIN });
    await pending.waitFor();

    const dashboard = await context.newPage();
    await dashboard.goto(server.dashboard);
    const organization = dashboard.locator('li.organization[data-name="Megacorp"]');
    await organization.locator('.domains .hint', { hasText: `${DOMAIN} (pending)` }).waitFor();
    const orgId = await organization.getAttribute('data-organization-id');
    assert.ok(orgId);
    await tabTo(dashboard, { id: `domain-${orgId}`, name: 'Verify a domain manually' });
    await dashboard.keyboard.type(DOMAIN);
    await tabTo(dashboard, { tag: 'button', name: 'Mark verified' }, { max: 3 });
    await dashboard.keyboard.press('Enter');
    await dashboard.locator('#status', { hasText: `${DOMAIN} is verified for Megacorp` }).waitFor();
    await organization.locator('.domains .hint', { hasText: `${DOMAIN} (verified, manual)` }).waitFor();
    await dashboard.close();

    await portal.reload();
    const verified = portal.locator('sso-domains-panel li[part="domain"][data-status="verified"]', { hasText: DOMAIN });
    await verified.waitFor();
    assert.match(await verified.locator('[part="routing"]').innerText(), new RegExp(`Users at ${esc(DOMAIN)} sign in with IdP Simulator`));
  });

  step(`7. the printed login page signs ${USER} in through the simulator`, async () => {
    const login = await context.newPage();
    await login.goto(server.login);
    await login.locator('h1', { hasText: 'Sign in to Acme' }).waitFor();
    await axe(login, 'demo login page');
    const signIn = async () => {
      await tabTo(login, { id: 'email', name: 'Work email' });
      await login.keyboard.type(USER);
      const posted = login.waitForResponse((r) => r.url() === server.login && r.request().method() === 'POST');
      await login.keyboard.press('Enter');
      return posted;
    };
    const answer = await signIn();
    assert.equal(answer.status(), 303, `the login form's POST answers ${answer.status()}`);
    await login.waitForURL(/\/simulator\/saml\/sso\?/);
    assert.equal(await login.locator('#email').inputValue(), USER);
    await tabTo(login, { tag: 'button', name: 'Sign in' });
    await login.keyboard.press('Enter');
    await login.waitForURL(`${server.origin}/demo/login`);
    await login.locator('h1', { hasText: 'Welcome' }).waitFor();
    assert.match(await login.locator('h1').innerText(), /Welcome, Ada Lovelace/);
    assert.match(await login.locator('dl.profile').innerText(), new RegExp(esc(USER)));
    await axe(login, 'demo login page, signed in');
  });

  it('no product bug worked around', () => {
    assert.deepEqual(workarounds, []);
  });

  it('no console error, page error, CSP violation or request off the server', () => {
    assert.deepEqual(problems, []);
  });

  it('axe: no violations on the portal (test results), the simulator login page and the demo login page', (t) => {
    if (brokenAt) return t.skip(`the flow stopped at "${brokenAt}"; found so far: ${axeFindings.join('; ') || 'none'}`);
    assert.deepEqual(axeFindings, []);
  });

  it('the keyboard focus is never dropped to <body> by an action', (t) => {
    if (brokenAt) return t.skip(`the flow stopped at "${brokenAt}"; found so far: ${focusDrops.join('; ') || 'none'}`);
    assert.deepEqual(focusDrops, []);
  });
});
