// Type-level checks of the React wrapper, compiled by `npm run typecheck` (never run): each
// `@ts-expect-error` fails the typecheck when its line stops being an error.
import { MemoryAdapter } from '../../../src/adapters/index.js';
import { SsoAdminPortal, type SsoAdminPortalProps } from '../../../src/react/index.js';

const adapter = new MemoryAdapter();

export const accepted = [
  <SsoAdminPortal key="all" adapter={adapter} apiBase="https://sso.example.com" token="t" initialData="first" providers="okta" theme="auto" locale="de" className="sso" />,
  <SsoAdminPortal key="events" onSsoConnectionSaved={(event) => event.connection.id} onSsoError={(event) => event.error.code} onSsoSessionExpiring={(event) => event.expiresAt} onSsoDirectoryEnabled={(event) => event.directory.id} />,
  <SsoAdminPortal key="cancel" onSsoStepChange={(event) => event.to.view === 'overview' && event.preventDefault()} />,
  <SsoAdminPortal key="ref" ref={(el) => el?.show({ view: 'overview' })} />,
];

export const refused = [
  // @ts-expect-error: `theme` is light, dark or auto.
  <SsoAdminPortal key="theme" theme="blue" />,
  // @ts-expect-error: `adapter` is a PortalAdapter, not a URL.
  <SsoAdminPortal key="adapter" adapter="https://sso.example.com" />,
  // @ts-expect-error: no such event.
  <SsoAdminPortal key="unknown" onSsoConnectionDeleted={() => undefined} />,
  // @ts-expect-error: `sso-navigate` is internal.
  <SsoAdminPortal key="internal" onSsoNavigate={() => undefined} />,
  // @ts-expect-error: sso-connection-saved carries a connection, not a result.
  <SsoAdminPortal key="payload" onSsoConnectionSaved={(event) => event.result} />,
  // @ts-expect-error: the element's methods are not props.
  <SsoAdminPortal key="method" reload={() => Promise.resolve()} />,
];

// @ts-expect-error: the props type is the component's.
export const wrong: SsoAdminPortalProps = { locale: 42 };
