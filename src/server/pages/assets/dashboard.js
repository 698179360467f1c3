// The demo host app's dashboard. It talks to /demo/api (same origin, JSON), which the server
// answers with the admin API and its key, server-side: the browser never holds the key.
const list = document.getElementById('organizations');
const empty = document.getElementById('empty');
const status = document.getElementById('status');
const form = document.getElementById('create-organization');

/** Links just created, by organization id: their URL (token included) is shown once. */
const fresh = new Map();

async function api(method, path, body) {
  const response = await fetch(`/demo/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined;
  const data = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(data?.detail || data?.title || `${method} ${path}: ${response.status}`);
  return data;
}

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

const when = (iso) => new Date(iso).toLocaleString();

function linkState(link) {
  if (link.revokedAt) return `revoked ${when(link.revokedAt)}`;
  if (Date.parse(link.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

function linksTable(organization) {
  if (organization.links.length === 0) return el('p', { className: 'hint', textContent: 'No links yet.' });
  const rows = [...organization.links]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((link) => {
      const state = linkState(link);
      const cells = [el('td', { textContent: link.id }), el('td', { textContent: when(link.createdAt) }), el('td', { textContent: when(link.expiresAt) }), el('td', { textContent: state })];
      const action = el('td');
      if (state === 'active') {
        const revoke = el('button', { type: 'button', className: 'secondary', textContent: 'Revoke' });
        revoke.setAttribute('aria-label', `Revoke link ${link.id}`);
        revoke.addEventListener('click', () => run(revoke, async () => {
          await api('DELETE', `/links/${encodeURIComponent(link.id)}`);
          say(`Link ${link.id} revoked: it stops working at once.`);
        }));
        action.append(revoke);
      }
      const row = el('tr', {}, ...cells, action);
      row.dataset.linkId = link.id;
      row.dataset.expiresAt = link.expiresAt;
      row.dataset.state = state.startsWith('revoked') ? 'revoked' : state;
      return row;
    });
  const head = el('tr', {}, ...['Link', 'Created', 'Expires', 'State', ''].map((t) => el('th', { scope: 'col', textContent: t })));
  return el('table', { className: 'links' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

/** The organization's domains, and a form to verify one manually (the host vouches for it: no DNS). */
function domainsSection(organization) {
  const id = `domain-${organization.id}`;
  const input = el('input', { id, name: 'domain', type: 'text', autocomplete: 'off', spellcheck: false, required: true });
  const submit = el('button', { type: 'submit', textContent: 'Mark verified' });
  const verify = el('form', { className: 'inline-form' }, el('label', { htmlFor: id, textContent: 'Verify a domain manually' }), input, submit);
  verify.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = input.value.trim();
    void run(submit, async () => {
      const domain = await api('POST', `/organizations/${encodeURIComponent(organization.id)}/domains/${encodeURIComponent(name)}/verify`, {});
      say(`${domain.name} is verified for ${organization.name} (manual): its users now sign in with SSO once a connection is active.`);
    });
  });
  const names = organization.domains.map((d) => `${d.name} (${d.status}${d.method === 'manual' ? ', manual' : ''})`);
  return el(
    'div',
    { className: 'domains' },
    el('p', { className: 'hint', textContent: names.length ? `Domains: ${names.join(', ')}` : 'No domains yet.' }),
    verify,
  );
}

function organizationItem(organization) {
  const swatch = el('span', { className: 'swatch' });
  if (organization.branding.accentColor) swatch.style.setProperty('--swatch', organization.branding.accentColor);
  swatch.setAttribute('aria-hidden', 'true');
  const createLink = el('button', { type: 'button', textContent: 'Create portal link (7 days)' });
  createLink.addEventListener('click', () => run(createLink, async () => {
    const link = await api('POST', `/organizations/${encodeURIComponent(organization.id)}/links`, {});
    fresh.set(organization.id, link);
    say(`New portal link for ${organization.name}; copy it now, it is shown once.`);
  }));
  const settings = el('a', { href: `/settings/${encodeURIComponent(organization.id)}`, textContent: 'Open the settings page (embedded portal)' });
  const item = el(
    'li',
    { className: 'organization panel' },
    el('h3', {}, swatch, el('span', { textContent: organization.name })),
    el('p', { className: 'hint', textContent: `${organization.id} · created ${when(organization.createdAt)}` }),
    el('div', { className: 'actions' }, createLink, settings),
  );
  const link = fresh.get(organization.id);
  if (link) {
    const anchor = el('a', { href: link.url, textContent: link.url, className: 'portal-url' });
    anchor.rel = 'noreferrer';
    item.append(el('p', { className: 'new-link' }, `New link (until ${when(link.expiresAt)}): `, anchor));
  }
  item.append(linksTable(organization));
  item.append(domainsSection(organization));
  item.dataset.organizationId = organization.id;
  item.dataset.name = organization.name;
  return item;
}

async function refresh() {
  const organizations = await api('GET', '/organizations');
  list.replaceChildren(...organizations.map(organizationItem));
  empty.hidden = organizations.length > 0;
  list.setAttribute('aria-busy', 'false');
}

async function run(button, action) {
  button.disabled = true;
  try {
    await action();
    await refresh();
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), true);
  } finally {
    button.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const submit = form.querySelector('button[type="submit"]');
  void run(submit, async () => {
    const organization = await api('POST', '/organizations', { name: String(data.get('name') ?? '').trim(), accentColor: String(data.get('accentColor') ?? '') });
    form.reset();
    say(`Organization ${organization.name} created.`);
  });
});

refresh().catch((error) => say(error instanceof Error ? error.message : String(error), true));
