// The stories the storybook build lists, and what each shows once it has settled: shared by the
// story sweep (stories.test.mjs: languages, axe, dark contrast, reflow, target size, forced colours,
// motion) and scripts/screenshots.mjs.
// Needs `npm run build-storybook` first (CI runs it just before).
import { existsSync, readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startStaticServer } from '../node/static-server.mjs';

export const staticDir = fileURLToPath(new URL('../../storybook-static', import.meta.url));
if (!existsSync(`${staticDir}/index.json`)) {
  console.error('storybook-static/ is missing: run `npm run build-storybook` first.');
  process.exit(1);
}
export const stories = Object.values(JSON.parse(readFileSync(`${staticDir}/index.json`, 'utf8')).entries).filter((e) => e.type === 'story');

/** Wizard stories: what each must show once settled (story id suffix -> selector). */
const WIZARD_STATES = [
  [/--choose-provider/, 'sso-step-provider #step-heading'],
  [/--guide-/, 'sso-step-guide ol.guide li'],
  [/--saml-configure$/, 'sso-step-saml #saml-metadata-url'],
  [/--saml-manual$/, 'sso-step-saml #saml-sso-url'],
  [/--saml-slow-network$/, 'sso-step-saml [aria-busy="true"]'],
  [/--saml-(unreachable-url|error-.*)$/, 'sso-step-saml [part="parse-error"]'],
  [/--saml-aggregate-chooser$/, 'sso-step-saml input[name="entity"]'],
  [/--saml-/, 'sso-step-saml [part="review"]'],
  [/--oidc-configure$/, 'sso-step-oidc #oidc-issuer'],
  [/--oidc-discovery-ok$/, 'sso-step-oidc .notice--success'],
  [/--oidc-discovery-failure$/, 'sso-step-oidc #oidc-issuer-error'],
  [/--oidc-secret-saved$/, 'sso-step-oidc #oidc-client-id'],
  [/--attributes-missing-email$/, 'sso-step-attributes #attr-email-error'],
  [/--attributes-/, 'sso-step-attributes #attr-email'],
  [/--save-fails$/, 'sso-wizard [part="save-error"]'],
  [/--save-conflict$/, 'sso-wizard [part="conflict"]'],
  [/--saved$/, 'sso-wizard .step h3'],
];

/** Test-and-activate stories. */
const TEST_STATES = [
  [/--test-ready$/, 'sso-step-test #step-heading'],
  [/--test-waiting$/, 'sso-step-test [part="waiting"]'],
  [/--test-idp-initiated$/, 'sso-step-test #mode-idp:checked'],
  [/--test-/, 'sso-step-test sso-test-result'],
  [/--activate-ready$/, 'sso-step-activate .notice--success'],
  [/--activate-confirm$/, 'sso-step-activate sso-confirm-dialog dialog[open]'],
  [/--activate-/, 'sso-step-activate .notice'],
  [/--active-connection$/, 'sso-step-activate #step-heading'],
  [/--overview-delete-active$/, 'sso-connections-overview sso-confirm-dialog dialog[open]'],
  [/--overview-/, 'sso-connections-overview [part="connection"]'],
];

/** Domains panel stories. */
const DOMAIN_STATES = {
  'portal-domains--empty': 'sso-domains-panel [part="empty-state"]',
  'portal-domains--pending-with-txt-record': 'sso-domains-panel [part="txt-record"] sso-copy-field [part~="copy-button"]',
  'portal-domains--verified-with-routing': 'sso-domains-panel [part="domain"][data-status="verified"] .routing--active',
  'portal-domains--failed-verification': 'sso-domains-panel [part="verify-failed"]',
  'portal-domains--wrong-txt-value': 'sso-domains-panel [part="verify-failed"] .found code',
  'portal-domains--invalid-input': 'sso-domains-panel #domain-input-error',
  'portal-domains--public-email-provider': 'sso-domains-panel #domain-input-error',
  'portal-domains--taken': 'sso-domains-panel #domain-input-error',
  'portal-domains--dark-narrow': 'sso-domains-panel [part="domain"]',
};

/** Test users first and the routing preview (story id -> what it shows once settled). */
const ROLLOUT_STATES = {
  'portal-rollout--ready-for-test-users': 'sso-rollout-section [part="rollout"] .actions button',
  'portal-rollout--active-for-test-users': 'sso-rollout-section [part="rollout"] .users',
  'portal-rollout--editing-test-users': 'sso-rollout-section [part="editor"] textarea',
  'portal-rollout--outside-verified-domains': 'sso-rollout-section [part="editor"] .error',
  'portal-rollout--preview-test-user': 'sso-rollout-section [part="preview"] .answer',
  'portal-rollout--preview-not-a-test-user': 'sso-rollout-section [part="preview"] .answer',
  'portal-rollout--preview-other-domain': 'sso-rollout-section [part="preview"] .answer',
  'portal-rollout--preview-failed': 'sso-rollout-section [part="preview"] .error',
  'portal-rollout--dark-narrow': 'sso-rollout-section [part="rollout"] .users',
};

/** Directory sync stories (story id suffix -> what it shows once settled). */
const DIRECTORY_STATES = [
  [/--no-directory$/, 'sso-directory-section [part="empty-state"]'],
  [/--provider-choice$/, 'sso-directory-setup input[value="okta"]'],
  [/--guide-google-workspace$/, 'sso-directory-setup ol.guide'],
  [/--guide-/, 'sso-directory-setup [part="token-warning"]'],
  [/--token-shown$/, 'sso-directory-setup [part="token-warning"]'],
  [/--waiting$/, 'sso-directory-setup [data-state="waiting"] p[role="status"]'],
  [/--requests-arrived$/, 'sso-directory-setup .request--refused'],
  [/--enabled(-with-errors)?$/, 'sso-directory-section [part="directory"] sso-status-badge[status="active"]'],
  [/--disabled$/, 'sso-directory-section [part="directory"] sso-status-badge[status="inactive"]'],
  [/--error-loading$/, 'sso-directory-section [part="load-error"]'],
  [/--conflict$/, 'sso-directory-setup [part="error"] button'],
];

/** Login traces stories (story id suffix -> what it shows once settled). */
const TRACE_STATES = [
  [/--attempts$/, 'sso-login-attempts ol.attempts'],
  [/--attempt-opened$/, 'sso-login-attempts details[open] ol.steps'],
  [/--(attempt|test-result)-report$/, 'sso-report-download [part="redactions"]'],
  [/--(no-attempts|no-traces-kept)$/, 'sso-login-attempts dialog[open] p:not(.muted)'],
  [/--load-failed$/, 'sso-login-attempts [role="alert"]'],
  [/--test-result-buttons$/, 'sso-test-result [part="attempts"]'],
];

/** Test-link stories (story id suffix -> what it shows once settled). */
const TEST_LINK_STATES = [
  [/--link-button$/, 'sso-step-test sso-test-links > button'],
  [/--panel-empty$/, 'sso-test-links #links-heading'],
  [/--link-created$/, 'sso-test-links sso-copy-field'],
  [/--every-state(-dark-narrow)?$/, 'sso-test-links sso-test-result'],
  [/--create-refused$/, 'sso-test-links .notice--danger'],
];

/** Runs in the page: waits for every element's update, through shadow roots, and two frames. */
export async function settle() {
  const pending = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if ('updateComplete' in element) pending.push(element.updateComplete);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  await Promise.all(pending);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

/** What each state must show once it has settled (the loading story stays loading); `narrow`: at 320 px. */
export function settledSelector(id, { narrow = false } = {}) {
  if (id.startsWith('portal-login-traces--')) {
    const match = TRACE_STATES.find(([pattern]) => pattern.test(id));
    if (!match) throw new Error(`no settled selector for story ${id}`);
    return match[1];
  }
  if (id.startsWith('portal-test-links--')) {
    const match = TEST_LINK_STATES.find(([pattern]) => pattern.test(id));
    if (!match) throw new Error(`no settled selector for story ${id}`);
    return match[1];
  }
  if (id.startsWith('portal-directory-sync--')) {
    const match = DIRECTORY_STATES.find(([pattern]) => pattern.test(id));
    if (!match) throw new Error(`no settled selector for story ${id}`);
    return match[1];
  }
  if (id.startsWith('portal-test-result--')) return 'sso-test-result [part="headline"]';
  if (id.startsWith('portal-rollout--')) {
    if (!ROLLOUT_STATES[id]) throw new Error(`no settled selector for story ${id}`);
    return ROLLOUT_STATES[id];
  }
  if (id.startsWith('portal-domains--')) {
    if (!DOMAIN_STATES[id]) throw new Error(`no settled selector for story ${id}`);
    return DOMAIN_STATES[id];
  }
  if (id.startsWith('portal-wizard--') || id.startsWith('portal-test-and-activate--')) {
    const table = id.startsWith('portal-wizard--') ? WIZARD_STATES : TEST_STATES;
    const match = table.find(([pattern]) => pattern.test(id));
    if (!match) throw new Error(`no settled selector for story ${id}`);
    return match[1];
  }
  if (id.startsWith('ui-primitives--file-drop-error')) return 'sso-file-drop [part~="error"]';
  if (id.startsWith('ui-primitives--copy-field')) return 'sso-copy-field [part~="copy-button"]';
  if (id.startsWith('ui-primitives--file-drop')) return 'sso-file-drop [part~="button"]';
  // Where the steps would wrap (a narrow story, or any story at 320 px) the stepper is compact.
  if (id === 'ui-primitives--stepper-narrow' || (narrow && id.startsWith('ui-primitives--stepper'))) return 'sso-stepper [part="compact"]';
  if (id.startsWith('ui-primitives--stepper')) return 'sso-stepper [part="list"]';
  if (id.startsWith('ui-primitives--action-menu')) return 'sso-action-menu [role="menuitem"]';
  if (id.endsWith('--loading') || id.endsWith('--slow-network')) return 'sso-admin-portal [part="loading"]';
  if (id.endsWith('--expired-link')) return 'sso-admin-portal [part="expired"]';
  if (id.endsWith('--session-ending-soon')) return 'sso-admin-portal sso-session-banner [part="session-banner"]';
  if (/--(server-error|network-error|error-then-recovers|not-configured|backend-unreachable)$/.test(id)) return 'sso-admin-portal [part="error"]';
  return 'sso-connections-overview h2';
}

/** What the checks look at: the portal element, or the story's root for stories of a part alone. */
export function storyRoot(id) {
  return id.startsWith('ui-primitives--') || id.startsWith('portal-domains--') || id.startsWith('portal-rollout--') || id.startsWith('portal-login-traces--') || id.startsWith('portal-test-result--') || id.startsWith('portal-directory-sync--') ? '#storybook-root' : 'sso-admin-portal';
}

/** In a describe: serves the build on 127.0.0.1 and starts Chromium before its tests (`origin`, `browser`), stops both after. */
export function serveStorybook() {
  const sb = { origin: '', browser: undefined, server: undefined };
  before(async () => {
    ({ server: sb.server, origin: sb.origin } = await startStaticServer({ '/sb': staticDir }, { csp: false }));
    sb.browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  });
  after(async () => {
    await sb.browser?.close();
    sb.server?.close();
  });
  return sb;
}
