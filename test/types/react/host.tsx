/**
 * A React host as it would use `sso-admin-portal/react`, type-checked by `tsc` against the built
 * package (test/node/react-entry.test.mjs). Each `@ts-expect-error` marks a misuse the types must
 * refuse.
 */
import { useRef } from 'react';
import { MemoryAdapter, type SsoAdminPortal as SsoAdminPortalElement } from 'sso-admin-portal';
import { SsoAdminPortal, type SsoAdminPortalProps } from 'sso-admin-portal/react';

export function Settings({ dark }: { dark: boolean }) {
  const portal = useRef<SsoAdminPortalElement>(null);
  const props: SsoAdminPortalProps = { adapter: new MemoryAdapter(), locale: 'de' };
  return (
    <SsoAdminPortal
      {...props}
      ref={portal}
      theme={dark ? 'dark' : 'light'}
      onSsoConnectionSaved={(event) => console.log(event.connection.id, event.created)}
      onSsoTestCompleted={(event) => console.log(event.result)}
      onSsoStepChange={(event) => event.to.view === 'overview' && event.preventDefault()}
      onSsoError={() => void portal.current?.reload()}
    />
  );
}

export const misuses = [
  // @ts-expect-error: `theme` is light, dark or auto.
  <SsoAdminPortal key="theme" theme="sepia" />,
  // @ts-expect-error: no such event.
  <SsoAdminPortal key="event" onSsoConnectionDeleted={() => undefined} />,
  // @ts-expect-error: `sso-draft-change` is internal.
  <SsoAdminPortal key="internal" onSsoDraftChange={() => undefined} />,
];
