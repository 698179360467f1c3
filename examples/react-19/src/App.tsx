import { useState, version } from 'react';
import { MemoryAdapter } from 'sso-admin-portal/adapters';
import { SsoAdminPortal } from 'sso-admin-portal/react'; // registers <sso-admin-portal> too

// An in-browser backend with simulated logins; a real app passes apiBase and token instead.
const adapter = new MemoryAdapter();
const locales = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', ja: '日本語', ar: 'العربية' };

export function App() {
  const [locale, setLocale] = useState('en');
  const [saved, setSaved] = useState('');
  return (
    <main>
      <h1>Single sign-on (React {version})</h1>
      <label>
        Language{' '}
        <select id="locale" value={locale} onChange={(event) => setLocale(event.target.value)}>
          {Object.entries(locales).map(([tag, name]) => <option key={tag} value={tag}>{name}</option>)}
        </select>
      </label>
      <p id="saved" role="status">{saved && `Saved: ${saved}`}</p>
      <SsoAdminPortal
        adapter={adapter}
        locale={locale}
        onSsoConnectionSaved={(event) => setSaved(event.connection.name ?? event.connection.providerId)}
      />
    </main>
  );
}
