/**
 * A host's backend as it would use `sso-admin-portal/admin`, type-checked by `tsc` against the
 * built package (test/node/admin-sdk.test.mjs). Each `@ts-expect-error` marks a misuse the types
 * must refuse: the test also compiles this file without them and expects an error on each line.
 */
import { createAdminClient, isPortalError, verifyWebhook, type CreatedPortalLink, type Organization, type PortalLink } from 'sso-admin-portal/admin';

const admin = createAdminClient({ baseUrl: 'https://sso.example.com', adminKey: 'sk_admin_example' });

export async function onboard(name: string): Promise<{ organization: Organization; link: CreatedPortalLink }> {
  const organization = await admin.createOrganization({ name, branding: { name: 'Acme' } });
  const link = await admin.createLink(organization.id, { lifetimeHours: 1 });
  const url: string = link.url;
  const expires: string = link.expiresAt;
  void [url, expires];
  return { organization, link };
}

export async function links(orgId: string, signal: AbortSignal): Promise<PortalLink[]> {
  const all = await admin.listLinks(orgId, { signal });
  for (const link of all) {
    const revoked: void = await admin.revokeLink(link.id);
    void revoked;
  }
  const defaultLifetime = await admin.createLink(orgId);
  const domain = await admin.verifyDomainManually(orgId, 'example.com');
  const keys = await admin.getEncryptionKeys(orgId, 'conn_1');
  const next: string | undefined = keys.next?.fingerprint;
  void [defaultLifetime.token, domain.status, next];
  return all;
}

export async function misuse(orgId: string): Promise<void> {
  // @ts-expect-error createOrganization needs a body with a name
  await admin.createOrganization();
  // @ts-expect-error lifetimeHours is a number
  await admin.createLink(orgId, { lifetimeHours: '2' });
  // @ts-expect-error verifyDomainManually takes the organization and the domain
  await admin.verifyDomainManually(orgId);
  // @ts-expect-error no such route
  await admin.deleteOrganization(orgId);
  const org = await admin.getOrganization(orgId);
  // @ts-expect-error an organization has no token
  void org.token;
}

export async function receive(body: string, headers: Record<string, string | string[] | undefined>): Promise<{ status: number }> {
  try {
    const event = await verifyWebhook(body, headers, process.env.WEBHOOK_SECRET ?? '');
    // @ts-expect-error the payload is unknown until checked
    void event.type;
    return { status: 204 };
  } catch (error) {
    if (isPortalError(error) && error.code.startsWith('webhook_')) return { status: 400 };
    throw error;
  }
}
