// The dashboard's login traces (issue 15): each connection's last login attempts, loaded when its
// disclosure is opened, each attempt with the checks the service provider ran; and an attempt's
// diagnostic report, made by the server with the same core code as the portal's
// (`GET /api/admin/.../login-attempts/:id/report`, through /demo/api): the list of what it leaves
// out first, then the HTML and JSON files to download. Views are built once per connection and
// kept across refreshes, so an open disclosure stays open and focus stays where it was.
import { timeElement } from './local-time.js';

/** Updates `item.traces` (one view per connection of the organization's SSO state). `ui`: the dashboard's helpers. */
export function updateLoginTraces(item, organization, ui) {
  const connections = organization.sso?.connections ?? [];
  ui.syncViews(item.traces, item.traceViews, connections, (connection) => createTraceView(organization.id, connection, ui), undefined, 'No connection yet.');
}

const STATUS = { passed: '✓ Passed', failed: '✗ Failed' };

function createTraceView(orgId, connection, ui) {
  const { el, hidden, liveRegion, say, api } = ui;
  const name = connection.name || connection.providerId;
  const base = `/organizations/${encodeURIComponent(orgId)}/connections/${encodeURIComponent(connection.id)}/login-attempts`;
  const region = liveRegion(`traces-status-${connection.id}`);
  const list = el('ol', { className: 'attempt-list' });
  const details = el('details', { className: 'directory-details' }, el('summary', {}, `Login attempts of ${name}`), list, region);
  const failed = (error) => say(region, error instanceof Error ? error.message : String(error), true);

  function attemptEntry(attempt) {
    const outcome = attempt.outcome === 'success' ? 'succeeded' : `failed: ${attempt.error?.code ?? 'unknown'}`;
    const steps = el('ol', { className: 'steps' }, ...attempt.steps.map((s) => el('li', {}, el('strong', { textContent: `${STATUS[s.status]}: ` }), `${s.check}${s.detail ? `. ${s.detail}` : ''}`)));
    const reportArea = el('div', { className: 'report' });
    const prepare = el('button', { type: 'button', className: 'secondary' }, 'Download report', hidden(` of this ${attempt.purpose} at ${attempt.at}`));
    prepare.addEventListener('click', () => {
      api('GET', `${base}/${encodeURIComponent(attempt.id)}/report`).then((report) => {
        const file = (text, type) => URL.createObjectURL(new Blob([text], { type }));
        reportArea.replaceChildren(
          el('p', { textContent: 'Left out of the files:' }),
          el('ul', {}, ...report.redactions.map((r) => el('li', { textContent: r }))),
          el('p', { className: 'actions' }, el('a', { href: file(report.html, 'text/html'), download: `${report.fileName}.html` }, 'Report (HTML)'), ' ', el('a', { href: file(report.json, 'application/json'), download: `${report.fileName}.json` }, 'Data (JSON)')),
        );
        say(region, 'The report is ready: what it leaves out is listed above its two files.');
      }, failed);
    });
    return el(
      'li',
      {},
      el(
        'details',
        {},
        el('summary', {}, timeElement(attempt.at), ` ${attempt.purpose === 'test' ? 'Test' : 'Sign-in'}${attempt.user ? ` by ${attempt.user}` : ''}: ${outcome}`),
        ...(attempt.error ? [el('p', { textContent: `${attempt.error.message} What to do: ${attempt.error.remedy}` })] : []),
        steps,
        ...(attempt.response ? [el('details', {}, el('summary', {}, 'What the identity provider answered'), el('pre', { textContent: attempt.response.body }))] : []),
        prepare,
        reportArea,
      ),
    );
  }

  details.addEventListener('toggle', () => {
    if (!details.open) return;
    api('GET', base).then((attempts) => {
      list.replaceChildren(...(attempts.length ? attempts.map(attemptEntry) : [el('li', { className: 'hint', textContent: 'No login attempts yet.' })]));
      say(region, `${attempts.length} login attempt${attempts.length === 1 ? '' : 's'} shown.`);
    }, failed);
  });
  return { root: el('div', { className: 'directory' }, details) };
}
