/// <reference types="node" />
/**
 * The simulators' pages (SAML and OIDC IdP simulators, Directory Simulator) follow the browser's
 * `Accept-Language` (src/server/page-language.ts): German text and `lang="de"` for `de`, right to
 * left for `ar`, English as before without the header, and no English word left in the
 * pseudo-locale `en-XA` outside values.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIMULATOR_OIDC_CLIENT } from '../../src/server/simulator/oidc-idp.js';
import { startLoginServer, type LoginServer } from './login-harness.js';

let server: LoginServer;
before(async () => {
  server = await startLoginServer();
});
after(() => server.close());

const languageHeader = (lang: string | undefined): Record<string, string> => (lang ? { 'accept-language': lang } : {});

async function get(path: string, lang: string | undefined, cookie = ''): Promise<string> {
  const response = await fetch(`${server.origin}${path}`, { headers: { ...languageHeader(lang), ...(cookie ? { cookie } : {}) } });
  return response.text();
}

async function post(path: string, lang: string | undefined, fields: Record<string, string>): Promise<string> {
  const response = await fetch(`${server.origin}${path}`, {
    method: 'POST',
    headers: { ...languageHeader(lang), 'content-type': 'application/x-www-form-urlencoded', origin: server.origin, 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams(fields).toString(),
  });
  return response.text();
}

/** The OIDC simulator's sign-in page: an authorization request, then its interaction page with the interaction cookie. */
async function oidcSignIn(lang: string | undefined): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${server.origin}/simulator/oidc/auth`);
  for (const [name, value] of Object.entries({
    client_id: SIMULATOR_OIDC_CLIENT.clientId,
    redirect_uri: `${server.origin}/demo/login/callback`,
    response_type: 'code',
    scope: 'openid email',
    state: 'state-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) {
    auth.searchParams.set(name, value);
  }
  const started = await fetch(auth, { redirect: 'manual' });
  await started.arrayBuffer();
  const location = started.headers.get('location');
  assert.ok(location, `a redirect to the sign-in page (${started.status})`);
  const cookie = started.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return get(new URL(location, server.origin).pathname, lang, cookie);
}

const samlLogin = (lang: string | undefined, email = 'ada@megacorp.example') =>
  post('/simulator/saml/login', lang, {
    mode: 'idp',
    acsUrl: `${server.origin}/saml/org_1/conn_1/acs`,
    spEntityId: `${server.origin}/saml/org_1/conn_1`,
    email,
    scenario: 'wrong_audience',
    action: 'sign-in',
  });

const directoryRun = (lang: string | undefined, scimBaseUrl: string) =>
  post('/simulator/directory', lang, { scimBaseUrl, token: 'not-a-real-token', dialect: 'okta', scenario: 'create', users: '2', domain: 'megacorp.example' });

/** Every page a person sees in the simulators, with a few of its German words. */
const PAGES: Record<string, { fetch: (lang: string | undefined) => Promise<string>; german: string[]; english: string[] }> = {
  'SAML sign-in': {
    fetch: (lang) => get('/simulator/saml/idp-initiated?connection=org_1/conn_1', lang),
    german: ['Beim IdP-Simulator anmelden', 'Falsche Audience', 'Erwartetes Ergebnis: <code>audience_mismatch</code>.', 'Zugriff verweigern'],
    english: ['Sign in to the IdP Simulator', 'Wrong audience', 'Expected result: <code>audience_mismatch</code>.'],
  },
  'SAML form error': {
    fetch: (lang) => samlLogin(lang, 'not-an-email'),
    german: ['Geben Sie die E-Mail-Adresse des Benutzers ein, der sich anmelden soll.'],
    english: ['Enter the email address of the user to sign in.'],
  },
  'SAML posting page': {
    fetch: (lang) => samlLogin(lang),
    german: ['SAML-Antwort wird gesendet', 'Ergebnis: <strong>Falsche Audience</strong>', 'Das XML der Antwort'],
    english: ['Sending the SAML response', 'Outcome: <strong>Wrong audience</strong>'],
  },
  'SAML error page': {
    fetch: (lang) => get('/simulator/saml/sso', lang),
    german: ['Keine Anmeldeanfrage', 'IdP-initiierte Anmeldung'],
    english: ['No login request', 'IdP-initiated login'],
  },
  'OIDC sign-in': {
    fetch: oidcSignIn,
    german: ['Beim OIDC-Simulator anmelden', 'Falsches Client-Secret', 'Zugriff verweigern'],
    english: ['Sign in to the OIDC simulator', 'Wrong client secret', 'Deny access'],
  },
  'OIDC sign-in over': {
    fetch: (lang) => get('/simulator/oidc/interaction/nope', lang),
    german: ['Diese Anmeldung ist beendet'],
    english: ['This sign-in is over'],
  },
  'OIDC provider error': {
    fetch: (lang) => get('/simulator/oidc/auth?client_id=nobody&response_type=code&scope=openid', lang),
    german: ['Der Simulator konnte nicht fortfahren'],
    english: ['The simulator could not go on'],
  },
  'Directory form': {
    fetch: (lang) => get('/simulator/directory', lang),
    german: ['Szenario ausführen', 'Benutzer erstellen', 'Anzahl der Benutzer'],
    english: ['Run the scenario', 'Create a user', 'Number of users'],
  },
  'Directory refusal': {
    fetch: (lang) => directoryRun(lang, 'ftp://example'),
    german: ['Die SCIM-Basis-URL muss mit'],
    english: ['The SCIM base URL must start with http:// or https://.'],
  },
  'Directory report': {
    fetch: (lang) => directoryRun(lang, `${server.origin}/scim/v2/dir_nobody`),
    german: ['Fehlgeschlagen: Benutzer erstellen als Okta', 'Anfragen in der Reihenfolge', 'Schritt 1 fehlgeschlagen'],
    english: ['Failed: Create a user as Okta', 'Requests in the order they were sent', 'Step 1 failed'],
  },
};

describe('the simulators’ pages in the browser’s language', () => {
  for (const [name, page] of Object.entries(PAGES)) {
    test(`${name}: German for de, right to left for ar, English without Accept-Language`, async () => {
      const german = await page.fetch('de-DE,de;q=0.9,en;q=0.5');
      assert.match(german, /<html lang="de-DE" dir="ltr">/);
      for (const text of page.german) assert.ok(german.includes(text), `${name} (de) shows “${text}”`);

      const arabic = await page.fetch('ar');
      assert.match(arabic, /<html lang="ar" dir="rtl">/);

      const english = await page.fetch(undefined);
      assert.match(english, /<html lang="en" dir="ltr">/);
      for (const text of page.english) assert.ok(english.includes(text), `${name} (en) shows “${text}”`);
    });
  }
});

/** Values the pages show as they are: brands, protocol terms kept in English, and this test's data. */
const KNOWN = ['Okta', 'Microsoft Entra ID', 'megacorp.example', 'state-1'];

/** The English words (3+ unaccented letters) a page shows outside values (`code`, `pre`, `.value`, `translate="no"`, `lang="en"`). */
function englishWords(page: string): string[] {
  let text = page
    .replace(/<(script|style|code|pre)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    // (not <html>: the pseudo-locale's page is lang="en")
    .replace(/<(?!html\b)(\w+)\b[^>]*(?:class="[^"]*\bvalue\b[^"]*"|translate="no"|lang="en")[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  // Addresses and emails of the run (e.g. a step's user) are values too.
  text = text.replace(/\S+@\S+|https?:\/\/\S*/g, ' ');
  for (const value of KNOWN) text = text.split(value).join(' ');
  return [...new Set(text.match(/(?<![\p{L}\p{M}])[A-Za-z]{3,}(?![\p{L}\p{M}])/gu) ?? [])];
}

test('en-XA: no English word left on any simulator page outside values', async () => {
  const found: Record<string, string[]> = {};
  for (const [name, page] of Object.entries(PAGES)) {
    const html = await page.fetch('en-XA');
    assert.ok(html.includes('···]'), `${name} is in the pseudo-locale`);
    const words = englishWords(html);
    if (words.length) found[name] = words;
  }
  assert.deepEqual(found, {}, 'English words in en-XA, by page');
});

test('the word finder finds English outside values, and none inside', () => {
  assert.deepEqual(englishWords('<html lang="en"><p>Šîĝñ îñ <code>user_denied</code> <span class="sim-url value">x</span> <dt lang="en">ACS URL</dt> Sign</p></html>'), ['Sign']);
});
