// The demo host app's dashboard. It talks to /demo/api (same origin, JSON), which the server
// answers with the admin API and its key, server-side: the browser never holds the key.
//
// Keyboard and screen readers: each organization's item is built once and updated in place, so
// an action never takes the focus away from where it was (busy buttons are aria-disabled, not
// disabled, which would drop the focus); each part of an item (links, domains) has its own live
// region right there, where the result of an action on it is said. Buttons repeated per
// organization carry its name; revoking asks first, in a <dialog>.
import { localTime, timeElement } from './local-time.js';

const list = document.getElementById('organizations');
const empty = document.getElementById('empty');
const status = document.getElementById('status');
const form = document.getElementById('create-organization');
const dialog = document.getElementById('revoke-dialog');
const dialogText = document.getElementById('revoke-text');

/** The organizations' items, by organization id: `{ li, ... }` (see `createItem`). */
const items = new Map();

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

/** Says `text` in a live region (polite), styled as an error when it is one. */
function say(region, text, isError = false) {
  region.textContent = text;
  region.classList.toggle('error', isError);
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

/** Text for screen readers only (e.g. the organization in a repeated button's name). */
const hidden = (text) => el('span', { className: 'visually-hidden', textContent: text });

function liveRegion(id) {
  const region = el('p', { id, className: 'status' });
  region.setAttribute('role', 'status');
  return region;
}

/**
 * Runs an action started by `button`, then refreshes the list and says the action's message (or
 * its error) in `region`. The button stays focusable while busy; `focusAfter` picks where the
 * focus goes when the button itself is gone (e.g. a revoked link's row).
 */
async function run(button, region, action, focusAfter) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const message = await action();
    await refresh();
    say(region, message);
  } catch (error) {
    say(region, error instanceof Error ? error.message : String(error), true);
  } finally {
    button.removeAttribute('aria-disabled');
    if (!button.isConnected) focusAfter?.()?.focus();
  }
}

/** Copies `text`: the Clipboard API, else the old `execCommand('copy')` on a hidden field. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const back = document.activeElement;
    const area = el('textarea', { value: text, readOnly: true, className: 'visually-hidden' });
    area.setAttribute('aria-hidden', 'true');
    document.body.append(area);
    area.select();
    let copied;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    area.remove();
    back?.focus();
    return copied;
  }
}

/** Asks in the dialog whether to revoke `link`; resolves true when the admin confirms. */
function confirmRevoke(organization, link) {
  const what = link.purpose === 'settings' ? 'The settings page’s link' : 'Portal link';
  dialogText.textContent = `${what} ${link.id} of ${organization.name} stops working at once, also for anyone who has it open. You can make a new link afterwards.`;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'revoke'), { once: true }));
}

function linkState(link) {
  if (link.revokedAt) return 'revoked';
  if (Date.parse(link.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

const STATE_LABELS = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

/** One link of an organization: what it is, its times, its URL when known, Copy and Revoke. */
function linkEntry(item, organization, link) {
  const state = linkState(link);
  const entry = el('li', { className: 'link', tabIndex: -1 });
  entry.dataset.linkId = link.id;
  entry.dataset.state = state;
  entry.dataset.expiresAt = link.expiresAt;
  entry.dataset.purpose = link.purpose;
  const badge = el('span', { className: 'badge', textContent: STATE_LABELS[state] });
  badge.dataset.state = state;
  entry.append(
    el(
      'p',
      { className: 'link-head' },
      el('span', { className: 'link-kind', textContent: link.purpose === 'settings' ? 'Settings page link' : 'Portal link' }),
      badge,
      el('span', { className: 'link-id', textContent: link.id }),
    ),
  );
  const ended = state === 'revoked' ? ['revoked ', timeElement(link.revokedAt)] : [state === 'expired' ? 'expired ' : 'expires ', timeElement(link.expiresAt)];
  entry.append(el('p', { className: 'hint' }, 'Created ', timeElement(link.createdAt), ', ', ...ended));
  if (link.url) {
    entry.append(el('p', {}, el('a', { className: 'portal-url', href: link.url, textContent: link.url, rel: 'noreferrer' })));
  } else if (state === 'active' && link.purpose === 'settings') {
    entry.append(el('p', { className: 'hint', textContent: 'Used by the settings page, which reuses it while it has more than an hour left.' }));
  } else if (state === 'active') {
    entry.append(el('p', { className: 'hint', textContent: 'Its URL was shown only when it was made, before this server started (tokens are stored hashed). To send a link, make a new one.' }));
  }
  if (state !== 'active') return entry;

  const actions = el('div', { className: 'link-actions' });
  if (link.url) {
    const copy = el('button', { type: 'button', className: 'secondary' }, 'Copy link', hidden(` ${link.id} of ${organization.name}`));
    copy.addEventListener('click', async () => {
      if (await copyText(link.url)) {
        say(item.linksStatus, `Copied the link ${link.id} of ${organization.name}.`);
      } else {
        const selection = getSelection();
        selection?.selectAllChildren(entry.querySelector('.portal-url'));
        say(item.linksStatus, 'This browser does not let the page copy: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.', true);
      }
    });
    actions.append(copy);
  }
  const revoke = el('button', { type: 'button', className: 'danger' }, 'Revoke', hidden(` link ${link.id} of ${organization.name}`));
  revoke.addEventListener('click', async () => {
    if (!(await confirmRevoke(organization, link))) {
      revoke.focus();
      return;
    }
    await run(
      revoke,
      item.linksStatus,
      async () => {
        await api('DELETE', `/links/${encodeURIComponent(link.id)}`);
        return `Link ${link.id} of ${organization.name} revoked: it stopped working at once.`;
      },
      () => item.linkList.querySelector(`[data-link-id="${CSS.escape(link.id)}"]`),
    );
  });
  actions.append(revoke);
  entry.append(actions);
  return entry;
}

/** An organization's item, built once: its buttons, forms and live regions stay while its lists are updated. */
function createItem(organization) {
  const { id, name } = organization;
  const li = el('li', { className: 'organization panel' });
  li.dataset.organizationId = id;
  li.dataset.name = name;
  const swatch = el('span', { className: 'swatch' });
  if (organization.branding.accentColor) swatch.style.setProperty('--swatch', organization.branding.accentColor);
  swatch.setAttribute('aria-hidden', 'true');
  const meta = el('p', { className: 'hint' });

  const item = { li, meta, linksStatus: liveRegion(`links-status-${id}`), linkList: el('ul', { className: 'link-list' }), domainNames: el('p', { className: 'hint domain-names' }) };
  item.domainsStatus = liveRegion(`domains-status-${id}`);

  const createLink = el('button', { type: 'button' }, 'Create portal link', hidden(` for ${name}`), ' (7 days)');
  createLink.addEventListener('click', () =>
    run(createLink, item.linksStatus, async () => {
      const link = await api('POST', `/organizations/${encodeURIComponent(id)}/links`, {});
      return `New portal link for ${name}, valid until ${localTime(link.expiresAt)}. It is first in the list below: copy it with its Copy link button.`;
    }),
  );
  const settings = el('a', { href: `/settings/${encodeURIComponent(id)}` }, 'Open the settings page', hidden(` of ${name}`), ' (embedded portal)');

  // The host's admin vouches for a domain (manual verification, no DNS).
  const inputId = `domain-${id}`;
  const input = el('input', { id: inputId, name: 'domain', type: 'text', autocomplete: 'off', spellcheck: false, required: true });
  input.setAttribute('aria-describedby', item.domainsStatus.id);
  const submit = el('button', { type: 'submit' }, 'Mark verified', hidden(` for ${name}`));
  const verify = el('form', { className: 'inline-form' }, el('label', { htmlFor: inputId, textContent: 'Verify a domain manually' }), input, submit);
  verify.addEventListener('submit', (event) => {
    event.preventDefault();
    const domainName = input.value.trim();
    void run(submit, item.domainsStatus, async () => {
      const domain = await api('POST', `/organizations/${encodeURIComponent(id)}/domains/${encodeURIComponent(domainName)}/verify`, {});
      input.value = '';
      return `${domain.name} is verified for ${name} (manual): its users now sign in with SSO once a connection is active.`;
    });
  });

  li.append(
    el('h3', {}, swatch, el('span', { textContent: name })),
    meta,
    el('div', { className: 'actions' }, createLink, settings),
    item.linksStatus,
    el('h4', {}, 'Links', hidden(` of ${name}`)),
    item.linkList,
    el('h4', {}, 'Domains', hidden(` of ${name}`)),
    item.domainNames,
    verify,
    item.domainsStatus,
  );
  return item;
}

/** Puts the organization's current links and domains into its item. */
function updateItem(item, organization) {
  item.meta.replaceChildren(`${organization.id} · created `, timeElement(organization.createdAt));
  const links = [...organization.links].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  item.linkList.replaceChildren(...links.map((link) => linkEntry(item, organization, link)));
  if (links.length === 0) item.linkList.append(el('li', { className: 'hint', textContent: 'No links yet.' }));
  const names = organization.domains.map((d) => `${d.name} (${d.status}${d.method === 'manual' ? ', manual' : ''})`);
  item.domainNames.textContent = names.length ? `Domains: ${names.join(', ')}` : 'No domains yet.';
}

async function refresh() {
  const organizations = await api('GET', '/organizations');
  const ids = new Set(organizations.map((o) => o.id));
  for (const [id, item] of items) {
    if (ids.has(id)) continue;
    item.li.remove();
    items.delete(id);
  }
  organizations.forEach((organization, i) => {
    let item = items.get(organization.id);
    if (!item) {
      item = createItem(organization);
      items.set(organization.id, item);
    }
    updateItem(item, organization);
    // Items already in place are not moved (moving one would drop the focus inside it).
    if (list.children[i] !== item.li) list.insertBefore(item.li, list.children[i] ?? null);
  });
  empty.hidden = organizations.length > 0;
  list.setAttribute('aria-busy', 'false');
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const submit = form.querySelector('button[type="submit"]');
  void run(submit, status, async () => {
    const organization = await api('POST', '/organizations', { name: String(data.get('name') ?? '').trim(), accentColor: String(data.get('accentColor') ?? '') });
    form.reset();
    return `Organization ${organization.name} created: it is last in the list of organizations.`;
  });
});

refresh().catch((error) => say(status, error instanceof Error ? error.message : String(error), true));
