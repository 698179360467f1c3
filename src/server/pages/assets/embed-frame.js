// The portal in a host's iframe (`/portal/<token>?embed=1`, pages.ts): tells the framing page
// what happens, by `postMessage` to its registered origin only (`data-parent-origin`, put there
// by the server; the page's `frame-ancestors` allows that origin alone). Each message is
// `{ source: 'sso-admin-portal', type, payload }` (`sso-admin-portal/embed` reads them):
// - `portal.loaded` once the portal shows the organization's SSO settings; `portal.load_failed`
//   with `{ code }` when it shows an error instead, or when the embed link did not open
//   (`data-embed-error`: the page is a message, no portal);
// - `portal.resized` with `{ height }` (CSS pixels) whenever the content's height changes;
// - the element's events with their payloads: `connection.saved` `{ connection, created }`,
//   `connection.activated` / `connection.deactivated` `{ connection }`, `test.completed`
//   `{ result }`, `domain.verified` `{ domain }`, `session.expiring` `{ expiresAt }` and
//   `session.expired` `{}`.
const body = document.body;
const parentOrigin = body.dataset.parentOrigin;

function post(type, payload = {}) {
  if (!parentOrigin || window.parent === window) return;
  // As JSON: the payloads are the element's (plain data), and nothing else can slip through.
  window.parent.postMessage({ source: 'sso-admin-portal', type, payload: JSON.parse(JSON.stringify(payload)) }, parentOrigin);
}

// The element's events (src/portal/events.ts) and the properties each carries.
const FORWARDED = {
  'sso-connection-saved': ['connection.saved', ['connection', 'created']],
  'sso-connection-activated': ['connection.activated', ['connection']],
  'sso-connection-deactivated': ['connection.deactivated', ['connection']],
  'sso-test-completed': ['test.completed', ['result']],
  'sso-domain-verified': ['domain.verified', ['domain']],
  'sso-session-expiring': ['session.expiring', ['expiresAt']],
  'sso-session-expired': ['session.expired', []],
};

let lastHeight = -1;
function reportHeight() {
  const height = Math.ceil(body.getBoundingClientRect().height);
  if (height === lastHeight) return;
  lastHeight = height;
  post('portal.resized', { height });
}
new ResizeObserver(reportHeight).observe(body);

/** Watches the element's shadow root until it shows the settings (loaded) or an error (failed). */
async function watchLoad(portal) {
  await customElements.whenDefined('sso-admin-portal');
  await portal.updateComplete;
  const root = portal.shadowRoot;
  let settled = false;
  const check = () => {
    if (settled || !root) return;
    if (root.querySelector('sso-connections-overview, sso-wizard')) {
      settled = true;
      post('portal.loaded');
    } else if (root.querySelector('[part="expired"]')) {
      settled = true;
      post('portal.load_failed', { code: 'session_expired' });
    } else if (root.querySelector('[part="error"]')) {
      settled = true;
      post('portal.load_failed', { code: root.querySelector('[part="error"] code')?.textContent || 'unknown' });
    }
    if (settled) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  if (root) observer.observe(root, { childList: true, subtree: true });
  check();
}

const refused = body.dataset.embedError;
const portal = document.querySelector('sso-admin-portal');
if (refused) {
  post('portal.load_failed', { code: refused });
} else if (portal) {
  for (const [name, [type, fields]] of Object.entries(FORWARDED)) {
    portal.addEventListener(name, (event) => post(type, Object.fromEntries(fields.map((field) => [field, event[field]]))));
  }
  void watchLoad(portal);
}
