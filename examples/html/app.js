// The in-browser backend with simulated logins, from the CDN's demo entry; a real page sets
// the api-base and token attributes instead.
import { MemoryAdapter } from '/cdn/demo.js';

const portal = document.querySelector('sso-admin-portal');
const saved = document.getElementById('saved');
const locale = document.getElementById('locale');

portal.adapter = new MemoryAdapter();
portal.addEventListener('sso-connection-saved', (event) => {
  saved.textContent = `Saved: ${event.connection.name ?? event.connection.providerId}`;
});
locale.addEventListener('change', () => {
  portal.locale = locale.value;
});
