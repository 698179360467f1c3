/// <reference types="node" />
/**
 * The whole mock backend as one app: the REST API with real test logins (`app.ts`,
 * `login/`), the IdP simulators (SAML and OIDC), and the pages (hosted portal; the demo host app
 * when `demo`). `main.ts` serves it; the server tests build the very same thing.
 */
import { createPortalApp, type AppOptions, type PortalApp } from './app.js';
import { registerPages, type DemoPages } from './pages.js';
import { resolveAllowedOrigins } from './security-headers.js';
import { createOidcSimulator, SIMULATOR_OIDC_CLIENT, type OidcSimulator } from './simulator/oidc-idp.js';
import { SamlIdpSimulator } from './simulator/saml-idp.js';
import { registerSamlSimulatorRoutes } from './simulator/saml-routes.js';
import { registerDirectorySimulatorRoutes } from './simulator/directory/routes.js';

export interface MockServerOptions extends Omit<AppOptions, 'logins' | 'simulator'> {
  /**
   * The data folder (`main.ts`): the simulators' keys are then in the database's `keys` table
   * (private keys sealed), shared by every instance, with the key files an earlier version kept in
   * `<dataDir>/simulator/` imported once. Null (tests): in memory, per process.
   */
  dataDir: string | null;
  /** Serve the demo host app (dashboard, settings and login pages). */
  demo?: boolean;
  /** More `host:port` values the demo pages answer for. */
  allowedHosts?: string[];
  logins?: AppOptions['logins'];
}

export interface MockServer extends PortalApp {
  saml: SamlIdpSimulator;
  oidc: OidcSimulator;
  /** The pages' memory of link URLs (the dashboard lists the links made in this process with their URL). */
  pages: DemoPages;
  /** Stops what the app runs besides requests (the OIDC simulator). */
  close(): Promise<void>;
}

export async function createMockServer(options: MockServerOptions): Promise<MockServer> {
  const { dataDir, demo = false, allowedHosts, ...appOptions } = options;
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const keys = dataDir === null ? undefined : { database: options.database, secrets: options.secrets, importFrom: dataDir };
  const saml = await SamlIdpSimulator.open({ publicBaseUrl, dataDir, keys });
  const oidc = await createOidcSimulator({ publicBaseUrl, dataDir, keys });
  const portal = createPortalApp({
    ...appOptions,
    publicBaseUrl,
    // The demo host pages' origin only in demo mode.
    allowedOrigins: appOptions.allowedOrigins ?? resolveAllowedOrigins(publicBaseUrl, undefined, { demo }),
    // Development IdPs run on loopback over plain http; a signed-in demo user lands on the login page.
    logins: options.logins ?? { allowHttpIssuers: true, signedInPath: demo ? '/demo/login' : undefined },
    simulator: {
      samlMetadataUrl: saml.metadataUrl,
      oidcIssuer: oidc.issuer,
      oidcClientId: SIMULATOR_OIDC_CLIENT.clientId,
      oidcClientSecret: SIMULATOR_OIDC_CLIENT.clientSecret,
    },
  });
  const { app, allowedOrigins, loginFlows } = portal;
  // The simulator sends attributes under the names each connection maps.
  // The simulators offer a user at the organization's verified domain.
  registerSamlSimulatorRoutes(app, saml, {
    publicBaseUrl,
    attributeNamesFor: (entityId) => loginFlows?.attributeNamesFor(entityId),
    userDomainFor: (entityId) => loginFlows?.userDomainFor(entityId),
  });
  oidc.mount(app, { userDomainFor: (redirectUri) => loginFlows?.userDomainFor(redirectUri) });
  // The Directory Simulator's page (development only): it sends SCIM requests to this app, in-process.
  if (demo) registerDirectorySimulatorRoutes(app, { publicBaseUrl, allowedHosts });
  const pages = registerPages(app, {
    store: portal.store,
    adminKey: options.adminKey,
    publicBaseUrl,
    firstAnswers: portal.firstAnswers,
    logger: portal.logger,
    demo,
    allowedHosts,
    frameAncestors: allowedOrigins,
    loginFlows,
    host: { services: portal.services, db: options.database.db, webhooks: portal.webhookStore },
  });
  return { ...portal, saml, oidc, pages, close: () => oidc.close() };
}
