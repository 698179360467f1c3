/**
 * Where an email signs in, on this server: the domain's owner and its connections read from the
 * store, then core's `explainRouting` (core/routing.ts). Home-realm discovery
 * (`LoginFlows.discover`) and the routing previews (portal API, admin API, dashboard) all call
 * {@link routeEmail}, so a preview says exactly what discovery does.
 */
import { providerName } from '../../core/providers/names.js';
import { emailDomain, explainRouting, type RoutingDecision } from '../../core/routing.js';
import { verifiedOwnerOf } from '../organization-service.js';
import type { Store } from '../store/store.js';

/**
 * The routing decision for `email`. `viewer`: a portal's preview, for that organization only
 * (a domain it has not verified is not explained further, whoever verified it).
 */
export async function routeEmail(store: Store, email: string, viewer?: { id: string; name: string }): Promise<RoutingDecision> {
  const domain = emailDomain(email.trim());
  const owner = domain ? await verifiedOwnerOf(store, domain) : undefined;
  const connections = owner && (!viewer || owner.id === viewer.id) ? (await store.getOrganizationData(owner.id)).connections : [];
  return explainRouting(email, { owner: owner ? { id: owner.id, name: owner.name, connections } : null, ...(viewer ? { viewer } : {}), providerName });
}
