// The demo settings page with the portal in an iframe: mounts the embed link the server put in
// `data-url` with `mountPortalFrame` (the CDN build of `sso-admin-portal/embed`) and logs the
// portal's messages (resizes only change the frame's height).
import { mountPortalFrame } from '/cdn/embed.js';

const container = document.getElementById('sso-frame');
const log = document.getElementById('event-log');

function describe({ type, payload }) {
  if (payload.connection) return `${payload.connection.name ?? payload.connection.id} (${payload.connection.status ?? ''})`;
  if (payload.domain) return payload.domain.name;
  if (payload.result) return payload.result.status;
  if (payload.code) return payload.code;
  if (payload.expiresAt) return `ends at ${new Date(payload.expiresAt).toLocaleTimeString()}`;
  return type === 'portal.loaded' ? 'the portal is shown' : '';
}

if (container?.dataset.url) {
  mountPortalFrame(container, {
    url: container.dataset.url,
    onEvent(event) {
      if (event.type === 'portal.resized') return;
      const item = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = new Date().toLocaleTimeString();
      const name = document.createElement('code');
      name.textContent = event.type;
      item.append(time, ' ', name, ' ', describe(event));
      log?.prepend(item);
    },
  });
}
