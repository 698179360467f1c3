// The demo host app's dashboard. It talks to /demo/api (same origin, JSON), which the server
// answers with the admin API and its key, server-side: the browser never holds the key.
//
// Keyboard and screen readers: each organization's item is built once and updated in place, so
// an action never takes the focus away from where it was (busy buttons are aria-disabled, not
// disabled, which would drop the focus); each part of an item (links, domains) has its own live
// region right there, where the result of an action on it is said. Buttons repeated per
// organization carry its name; revoking asks first, in a <dialog>.
import { localTime, timeElement } from './local-time.js';
import { updateLoginTraces } from './dashboard-traces.js';

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
  const what = LINK_KINDS[link.purpose]?.revoke ?? 'Portal link';
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

/** What each kind of link is called (`purpose` from /demo/api), and what an active one without its URL says. */
const LINK_KINDS = {
  portal: { label: 'Portal link', revoke: 'Portal link', hint: 'Its URL was shown only when it was made, before this server started (tokens are stored hashed). To send a link, make a new one.' },
  settings: { label: 'Settings page link', revoke: 'The settings page’s link', hint: 'Used by the settings page, which reuses it while it has more than an hour left.' },
  embed: { label: 'Embedded portal session', revoke: 'The embedded portal’s session', hint: 'The session of a portal opened in an iframe (an embed link): renewed while the IT admin is active. Revoking it ends that session.' },
};

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
      el('span', { className: 'link-kind', textContent: (LINK_KINDS[link.purpose] ?? LINK_KINDS.portal).label }),
      badge,
      el('span', { className: 'link-id', textContent: link.id }),
    ),
  );
  const ended = state === 'revoked' ? ['revoked ', timeElement(link.revokedAt)] : [state === 'expired' ? 'expired ' : 'expires ', timeElement(link.expiresAt)];
  entry.append(el('p', { className: 'hint' }, 'Created ', timeElement(link.createdAt), ', ', ...ended));
  if (link.url) {
    entry.append(el('p', {}, el('a', { className: 'portal-url', href: link.url, textContent: link.url, rel: 'noreferrer' })));
  } else if (state === 'active') {
    entry.append(el('p', { className: 'hint', textContent: (LINK_KINDS[link.purpose] ?? LINK_KINDS.portal).hint }));
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
  item.sso = el('div', { className: 'sso-state' });
  item.events = el('ol', { className: 'event-list' });
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
  if (organization.sso) {
    li.append(el('h4', {}, 'Single sign-on', hidden(` of ${name}`)), item.sso, el('h4', {}, 'Recent events', hidden(` of ${name}`)), item.events);
    // Login traces (issue 15): `dashboard-traces.js`.
    item.traces = el('div', { className: 'directories' });
    item.traceViews = new Map();
    li.append(el('h4', {}, 'Login attempts', hidden(` of ${name}`)), item.traces);
  }
  if (organization.directories) {
    item.directories = el('div', { className: 'directories' });
    item.directoryViews = new Map();
    li.append(el('h4', {}, 'Directory sync', hidden(` of ${name}`)), item.directories);
  }
  return item;
}

// ---------------------------------------------------------------------------------------
// Directory sync: each directory's state, and its users and groups on demand

const DIRECTORY_STATES = { setup: 'being set up (not enabled yet)', enabled: 'enabled', disabled: 'disabled' };
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function directorySummary(directory) {
  const { users, activeUsers, groups } = directory.counts;
  const errors = directory.recentErrors ? ` ${plural(directory.recentErrors, 'refused request')} in the last 24 hours.` : '';
  return [
    `${directory.name}: ${DIRECTORY_STATES[directory.status] ?? directory.status}, ${plural(users, 'user')} (${activeUsers} active), ${plural(groups, 'group')}. Last sync: `,
    ...(directory.lastSyncAt ? [timeElement(directory.lastSyncAt)] : ['none yet']),
    `.${errors}`,
  ];
}

/** One directory: its summary (updated on every refresh) and a disclosure that loads its users and groups when opened. */
function createDirectoryView(directory) {
  const id = directory.id;
  const view = { summary: el('p', { className: 'sso-summary' }), name: directory.name };
  const region = liveRegion(`directory-status-${id}`);
  const users = el('tbody');
  const groups = el('tbody');
  const more = el('button', { type: 'button', className: 'secondary', hidden: true }, 'Show more users', hidden(` of ${directory.name}`));
  const searchId = `directory-search-${id}`;
  const search = el('input', { id: searchId, name: 'search', type: 'search', autocomplete: 'off', spellcheck: false, maxLength: 200 });
  const find = el('button', { type: 'submit' }, 'Find', hidden(` users of ${directory.name}`));
  const searchForm = el('form', { className: 'inline-form' }, el('label', { htmlFor: searchId, textContent: 'User name, email or name' }), search, find);
  let last = null;

  const userRow = (u) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row', textContent: u.userName }),
      el('td', { textContent: [u.givenName, u.familyName].filter(Boolean).join(' ') || u.displayName || '—' }),
      el('td', { textContent: u.email ?? '—' }),
      el('td', { textContent: u.active ? 'active' : 'deactivated' }),
      el('td', { textContent: u.groups.map((g) => g.displayName).join(', ') || '—' }),
    );
  async function loadUsers(append) {
    const query = new URLSearchParams();
    if (search.value.trim()) query.set('search', search.value.trim());
    if (append && last) query.set('after', last);
    const page = await api('GET', `/directories/${encodeURIComponent(id)}/users?${query}`);
    if (!append) users.replaceChildren();
    users.append(...page.data.map(userRow));
    if (!append && page.data.length === 0) users.append(el('tr', {}, el('td', { colSpan: 5, className: 'hint', textContent: search.value.trim() ? 'No user matches.' : 'No users yet.' })));
    last = page.data.at(-1)?.id ?? last;
    more.hidden = !page.hasMore;
    return page.data.length;
  }
  async function loadGroups() {
    const page = await api('GET', `/directories/${encodeURIComponent(id)}/groups`);
    groups.replaceChildren(...page.data.map((g) => el('tr', {}, el('th', { scope: 'row', textContent: g.displayName }), el('td', { textContent: String(g.memberCount) }))));
    if (page.data.length === 0) groups.append(el('tr', {}, el('td', { colSpan: 2, className: 'hint', textContent: 'No groups yet.' })));
  }
  const failed = (error) => say(region, error instanceof Error ? error.message : String(error), true);

  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    last = null;
    loadUsers(false).then((n) => say(region, `${plural(n, 'user')} shown${more.hidden ? '' : ', more to show'}.`), failed);
  });
  more.addEventListener('click', () => {
    loadUsers(true).then((n) => say(region, `${plural(n, 'more user')} shown.`), failed);
  });
  const details = el(
    'details',
    { className: 'directory-details' },
    el('summary', {}, 'Users and groups', hidden(` of ${directory.name}`)),
    searchForm,
    el('table', { className: 'sso-table' }, el('caption', { textContent: `Users of ${directory.name}` }), el('thead', {}, el('tr', {}, ...['User name', 'Name', 'Email', 'Status', 'Groups'].map((h) => el('th', { scope: 'col', textContent: h })))), users),
    more,
    el('table', { className: 'sso-table' }, el('caption', { textContent: `Groups of ${directory.name}` }), el('thead', {}, el('tr', {}, el('th', { scope: 'col', textContent: 'Group' }), el('th', { scope: 'col', textContent: 'Members' }))), groups),
    region,
  );
  details.addEventListener('toggle', () => {
    if (!details.open) return;
    last = null;
    Promise.all([loadUsers(false), loadGroups()]).catch(failed);
  });
  view.root = el('div', { className: 'directory' }, view.summary, details);
  return view;
}

/**
 * Keeps one view per record in `container`, in the records' order: a view is made once
 * (`create`), kept across refreshes (an open disclosure stays open), moved when the order
 * changes, removed with its record; `update` runs on each; `empty` is said when there is none.
 */
function syncViews(container, views, records, create, update, empty) {
  const ids = new Set(records.map((r) => r.id));
  for (const [id, view] of views) {
    if (ids.has(id)) continue;
    view.root.remove();
    views.delete(id);
  }
  records.forEach((record, i) => {
    let view = views.get(record.id);
    if (!view) {
      view = create(record);
      views.set(record.id, view);
    }
    update?.(view, record);
    if (container.children[i] !== view.root) container.insertBefore(view.root, container.children[i] ?? null);
  });
  container.querySelector(':scope > .hint')?.remove();
  if (records.length === 0) container.append(el('p', { className: 'hint', textContent: empty }));
}

function updateDirectories(item, directories) {
  syncViews(item.directories, item.directoryViews, directories, createDirectoryView, (view, directory) => view.summary.replaceChildren(...directorySummary(directory)), 'No directory yet: the IT admin sets one up in the portal (Directory sync).');
}

const PROTOCOLS = { saml: 'SAML', oidc: 'OpenID Connect' };
const ACTORS = { portal_link: 'IT admin (portal link ', admin_key: 'host (admin key ', system: 'server (', directory: 'directory (' };

/** A staged activation: "active for 3 test users, 1 signed in". */
function stageText(c) {
  const n = c.staged.testUsers.length;
  return `active for ${n} test user${n === 1 ? '' : 's'}, ${c.staged.signedIn.length} signed in`;
}

/** "SSO: active (okta), 2 verified domains", the connections in a table, the last sign-in. */
function ssoState(sso, name) {
  const active = sso.connections.filter((c) => c.status === 'active');
  const verified = sso.domains.filter((d) => d.status === 'verified');
  const staged = sso.connections.filter((c) => c.staged);
  const testUsers = staged.map((c) => `${c.name || c.providerId}: ${stageText(c)}: ${c.staged.testUsers.join(', ')}`).join('; ');
  const state = sso.status === 'active' ? `active (${active.map((c) => c.name || c.providerId).join(', ')})` : sso.status === 'staged' ? 'active for test users only' : sso.status === 'configured' ? 'set up, not active' : 'not set up';
  const summary = `SSO: ${state}${testUsers ? ` (${testUsers})` : ''}, ${verified.length} verified domain${verified.length === 1 ? '' : 's'}.`;
  const parts = [el('p', { className: 'sso-summary', textContent: summary })];
  if (sso.connections.length) {
    const head = el('tr', {}, ...['Connection', 'Protocol', 'Status', 'Last test', 'Certificate expires'].map((h) => el('th', { scope: 'col', textContent: h })));
    const rows = sso.connections.map((c) => {
      const test = c.lastTest ? [`${c.lastTest.status}${c.lastTest.errorCode ? ` (${c.lastTest.errorCode})` : ''}${c.lastTest.stale ? ', before a change' : ''}, `, timeElement(c.lastTest.at)] : ['none'];
      return el(
        'tr',
        {},
        el('th', { scope: 'row', textContent: c.name || c.providerId }),
        el('td', { textContent: PROTOCOLS[c.protocol] ?? c.protocol }),
        el('td', { textContent: c.staged ? `${c.status}, ${stageText(c)}` : c.status }),
        el('td', {}, ...test),
        el('td', {}, ...(c.certificateExpiresAt ? [timeElement(c.certificateExpiresAt)] : ['—'])),
      );
    });
    parts.push(el('table', { className: 'sso-table' }, el('caption', { className: 'visually-hidden', textContent: `Connections of ${name}` }), el('thead', {}, head), el('tbody', {}, ...rows)));
  }
  const how = sso.domains.map((d) => `${d.name}: ${d.status}${d.status === 'verified' ? (d.method === 'manual' ? ' by the host' : ' by DNS') : ''}`);
  parts.push(el('p', { className: 'hint', textContent: how.length ? `Domains: ${how.join('; ')}.` : 'No domains.' }));
  parts.push(el('p', { className: 'hint' }, 'Last sign-in: ', ...(sso.lastSignInAt ? [timeElement(sso.lastSignInAt)] : ['none yet'])));
  return parts;
}

/** One event of the audit log: when, what, on what, by whom. */
function eventEntry(event) {
  const actor = `${ACTORS[event.actor.kind] ?? `${event.actor.kind} (`}${event.actor.id})`;
  const target = event.target ? ` ${event.target.id}` : '';
  return el('li', {}, timeElement(event.createdAt), ' ', el('code', { textContent: event.type }), `${target}, by ${actor}`);
}

/** Puts the organization's current links and domains into its item. */
function updateItem(item, organization) {
  item.meta.replaceChildren(`${organization.id} · created `, timeElement(organization.createdAt));
  const links = [...organization.links].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  item.linkList.replaceChildren(...links.map((link) => linkEntry(item, organization, link)));
  if (links.length === 0) item.linkList.append(el('li', { className: 'hint', textContent: 'No links yet.' }));
  const names = organization.domains.map((d) => `${d.name} (${d.status}${d.method === 'manual' ? ', manual' : ''})`);
  item.domainNames.textContent = names.length ? `Domains: ${names.join(', ')}` : 'No domains yet.';
  if (organization.sso) {
    item.sso.replaceChildren(...ssoState(organization.sso, organization.name));
    const events = organization.sso.recentEvents;
    item.events.replaceChildren(...(events.length ? events.map(eventEntry) : [el('li', { className: 'hint', textContent: 'No events yet.' })]));
  }
  if (organization.directories && item.directories) updateDirectories(item, organization.directories);
  if (organization.sso && item.traces) updateLoginTraces(item, organization, { el, hidden, liveRegion, say, api, syncViews });
}

// ---------------------------------------------------------------------------------------
// Webhooks

const webhooksSection = document.getElementById('webhooks-section');
const webhookList = document.getElementById('webhooks');
const webhooksEmpty = document.getElementById('webhooks-empty');
const webhooksStatus = document.getElementById('webhooks-status');
const webhookForm = document.getElementById('create-webhook');
const secretBox = document.getElementById('webhook-secret');

const ANSWER_TEXT = (answer) => {
  if (!answer) return 'not sent yet';
  const what = answer.status === null ? `no answer (${answer.errorCode})` : `HTTP ${answer.status}${answer.errorCode && answer.errorCode !== 'http_status' ? ` (${answer.errorCode})` : ''}`;
  return `${what}, ${answer.durationMs} ms`;
};

/** An endpoint: its URL and state, Enable when disabled, and its latest deliveries with Resend. */
function webhookEntry(endpoint) {
  const entry = el('li', { className: 'webhook panel' });
  entry.dataset.endpointId = endpoint.id;
  const badge = el('span', { className: 'badge', textContent: endpoint.enabled ? 'Enabled' : 'Disabled' });
  badge.dataset.state = endpoint.enabled ? 'active' : 'revoked';
  entry.append(el('p', { className: 'link-head' }, el('span', { className: 'webhook-url', textContent: endpoint.url }), badge, el('span', { className: 'link-id', textContent: endpoint.id })));
  entry.append(el('p', { className: 'hint', textContent: `Event types: ${endpoint.eventTypes ? endpoint.eventTypes.join(', ') : 'all'}.` }));
  if (!endpoint.enabled) {
    entry.append(el('p', { className: 'hint' }, `Disabled${endpoint.disabledAt ? ' ' : ''}`, ...(endpoint.disabledAt ? [timeElement(endpoint.disabledAt)] : []), `: ${endpoint.disabledReason ?? ''}`));
    const enable = el('button', { type: 'button', className: 'secondary' }, 'Enable', hidden(` ${endpoint.url}`));
    enable.addEventListener('click', () =>
      run(enable, webhooksStatus, async () => {
        await api('POST', `/webhooks/${encodeURIComponent(endpoint.id)}/enable`, {});
        return `${endpoint.url} is enabled again.`;
      }),
    );
    entry.append(el('div', { className: 'link-actions' }, enable));
  }
  if (!endpoint.deliveries.length) {
    entry.append(el('p', { className: 'hint', textContent: 'No deliveries yet.' }));
    return entry;
  }
  const head = el('tr', {}, ...['Event', 'Status', 'Attempts', 'Last answer', 'Answer text', 'Action'].map((h) => el('th', { scope: 'col', textContent: h })));
  const rows = endpoint.deliveries.map((d) => {
    const resend = el('button', { type: 'button', className: 'secondary' }, 'Resend', hidden(` ${d.eventType} to ${endpoint.url}`));
    resend.addEventListener('click', () =>
      run(resend, webhooksStatus, async () => {
        await api('POST', `/webhook-deliveries/${encodeURIComponent(d.id)}/resend`, {});
        return `The ${d.eventType} delivery is sent again now.`;
      }),
    );
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, el('code', { textContent: d.eventType }), ' ', timeElement(d.createdAt)),
      el('td', {}, d.status, ...(d.status === 'pending' && d.nextAttemptAt ? [', next ', timeElement(d.nextAttemptAt)] : [])),
      el('td', { textContent: String(d.attempts) }),
      el('td', { textContent: ANSWER_TEXT(d.lastAnswer) }),
      el('td', {}, el('code', { className: 'excerpt', textContent: d.lastAnswer?.excerpt || '' })),
      el('td', {}, ...(endpoint.enabled ? [resend] : [])),
    );
  });
  entry.append(el('table', { className: 'delivery-table' }, el('caption', { className: 'visually-hidden', textContent: `Latest deliveries to ${endpoint.url}` }), el('thead', {}, head), el('tbody', {}, ...rows)));
  return entry;
}

async function refreshWebhooks() {
  let endpoints;
  try {
    endpoints = await api('GET', '/webhooks');
  } catch {
    return; // a server without webhooks: the section stays hidden
  }
  webhooksSection.hidden = false;
  // Rebuilt; the focus goes back to the same button (by its accessible text) when it was in the list.
  const focused = webhookList.contains(document.activeElement) ? document.activeElement.textContent : undefined;
  webhookList.replaceChildren(...endpoints.map(webhookEntry));
  webhooksEmpty.hidden = endpoints.length > 0;
  if (focused) [...webhookList.querySelectorAll('button')].find((b) => b.textContent === focused)?.focus();
}

const refreshButton = document.getElementById('refresh-webhooks');
refreshButton.addEventListener('click', () =>
  run(refreshButton, webhooksStatus, async () => {
    const at = new Date();
    return `Deliveries as of ${at.toLocaleTimeString()}.`;
  }),
);

webhookForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(webhookForm);
  const submit = webhookForm.querySelector('button[type="submit"]');
  const eventTypes = String(data.get('eventTypes') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  void run(submit, webhooksStatus, async () => {
    const endpoint = await api('POST', '/webhooks', { url: String(data.get('url') ?? '').trim(), eventTypes });
    webhookForm.reset();
    document.getElementById('webhook-secret-url').textContent = endpoint.url;
    document.getElementById('webhook-secret-value').textContent = endpoint.secret;
    secretBox.hidden = false;
    return `Endpoint ${endpoint.url} added. Its signing secret is shown above, this once.`;
  });
});

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
  await refreshWebhooks();
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

// The routing preview: the admin API's decision, its steps in order (all text, never HTML).
const routingForm = document.getElementById('routing-preview');
const routingAnswer = document.getElementById('routing-answer');
routingForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const email = String(new FormData(routingForm).get('email') ?? '').trim();
  const submit = routingForm.querySelector('button[type="submit"]');
  submit.disabled = true;
  api('POST', '/routing-preview', { email })
    .then((d) => {
      const headline = d.route === 'sso' ? `${d.email}: single sign-on with ${d.connection.name} (${d.organization.name})` : d.route === 'password' ? `${d.email}: password sign-in` : `${d.email}: not an email address`;
      routingAnswer.replaceChildren(el('p', {}, el('strong', { textContent: headline })), el('ol', {}, ...d.reasons.map((r) => el('li', { textContent: r.message }))));
    })
    .catch((error) => routingAnswer.replaceChildren(el('p', { className: 'status error', textContent: error instanceof Error ? error.message : String(error) })))
    .finally(() => (submit.disabled = false));
});

refresh().catch((error) => say(status, error instanceof Error ? error.message : String(error), true));
