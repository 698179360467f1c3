// The demo settings page: logs the events the embedded portal fires (their names come from the
// CDN bundle, the same module that defines the element).
import { PORTAL_EVENT_NAMES } from '/cdn/sso-admin-portal.js';

const log = document.getElementById('event-log');
const portal = document.querySelector('sso-admin-portal');

function describe(event) {
  if (event.connection) return `${event.connection.name} (${event.connection.status ?? ''})`;
  if (event.domain) return event.domain.name;
  if (event.error) return `${event.error.code}: ${event.error.message}`;
  if (event.result) return event.result.status;
  if (event.to) return `to ${event.to.view}${event.to.step ? ` / ${event.to.step}` : ''}`;
  return '';
}

for (const type of PORTAL_EVENT_NAMES) {
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
