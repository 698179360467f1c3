// The demo settings page: logs the events the embedded portal fires.
const log = document.getElementById('event-log');
const portal = document.querySelector('sso-admin-portal');

const EVENTS = [
  'sso-step-change',
  'sso-connection-saved',
  'sso-test-completed',
  'sso-connection-activated',
  'sso-connection-deactivated',
  'sso-domain-verified',
  'sso-session-expired',
  'sso-error',
];

function describe(event) {
  if (event.connection) return `${event.connection.name} (${event.connection.status ?? ''})`;
  if (event.domain) return event.domain.name;
  if (event.error) return `${event.error.code}: ${event.error.message}`;
  if (event.result) return event.result.status;
  if (event.to) return `to ${event.to.view}${event.to.step ? ` / ${event.to.step}` : ''}`;
  return '';
}

for (const type of EVENTS) {
  portal?.addEventListener(type, (event) => {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    const name = document.createElement('code');
    name.textContent = type;
    item.append(time, ' ', name, ' ', describe(event));
    log?.prepend(item);
  });
}
