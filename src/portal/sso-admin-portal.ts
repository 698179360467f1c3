import { LitElement, html, isServer, nothing, type PropertyValues } from 'lit';
import { backendMessage } from '../core/text.js';
import { activeLocale } from './localize/active-locale.js';
import { msg } from './localize/msg.js';
import { property, state } from 'lit/decorators.js';
import { PortalError, describeError, toPortalError } from '../core/errors.js';
import type { Connection, PortalSession } from '../core/model.js';
import { OVERVIEW, type PortalView } from '../core/views.js';
import { loadHttpAdapter } from '../adapters/http-adapter-loader.js';
import type { PortalAdapter } from '../adapters/portal-adapter.js';
import { provideContext } from './context.js';
import { defineElement } from './define.js';
import { portals } from './parts.js';
import { SsoConnectionSavedEvent, SsoErrorEvent, SsoSessionExpiredEvent, SsoStepChangeEvent } from './events.js';
import { SsoConnectionChangeEvent, SsoNavigateEvent } from './internal-events.js';
import { portalStyles } from './sso-admin-portal.styles.js';
import { shared } from './styles/shared.js';
import { tokens } from './styles/tokens.js';
import './overview/sso-connections-overview.js';
import type { SsoConnectionsOverview } from './overview/sso-connections-overview.js';
import type { SsoWizard } from './wizard/sso-wizard.js';

/** How long the first render waits for another language's catalogue before it shows English. */
const FIRST_LANGUAGE_WAIT_MS = 3000;

/** Loaded when a page first asks for another language than English (or other date formats). */
let localeSwitcher: Promise<typeof import('./localize/switch-locale.js')> | undefined;

/** The wizard (steps, provider guides, parsers) loads when the admin first opens it. */
const loadWizard = () => import('./wizard/sso-wizard.js');

export type PortalTheme = 'light' | 'dark' | 'auto';

/** The session and connections the portal shows. */
export interface Loaded {
  session: PortalSession;
  connections: Connection[];
}

type Load = { status: 'initial' } | { status: 'pending' } | { status: 'complete'; value: Loaded } | { status: 'error'; error: PortalError };

/**
 * The portal API's first answers a server-rendered page embedded for the portal: the JSON of the
 * `<script type="application/json">` with this id, `{ session, connections }`. Anything else
 * (no such element, not JSON, not an object) is nothing: the adapter asks the server.
 */
function readInitialData(id: string | undefined): { session?: unknown; connections?: unknown } | undefined {
  const element = id ? document.getElementById(id) : null;
  if (!(element instanceof HTMLScriptElement) || element.type !== 'application/json') return undefined;
  try {
    const data: unknown = JSON.parse(element.textContent ?? '');
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Picks the adapter from the element's configuration, or explains what is missing. */
async function resolveAdapter(adapter: PortalAdapter | undefined, apiBase: string | undefined, token: string | undefined, initialData?: string): Promise<PortalAdapter> {
  if (adapter) return adapter;
  if (apiBase && token) {
    // Loaded only when a page configures the portal by attributes (at once when the page ran it).
    const HttpAdapter = await loadHttpAdapter();
    return new HttpAdapter({ baseUrl: apiBase, token, initial: readInitialData(initialData) });
  }
  if (apiBase || token) {
    throw new PortalError('not_configured', {
      message: apiBase ? 'The `token` attribute is missing: set it with `api-base`.' : 'The `api-base` attribute is missing: set it with `token`.',
    });
  }
  throw new PortalError('not_configured');
}

/** Resolves once the page has loaded and its scripts had a turn to configure the element. */
async function pageScriptsDone(): Promise<void> {
  if (document.readyState !== 'complete') {
    await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Self-serve SSO setup for an organization's IT admin: choose the identity provider, follow
 * its guide, enter its configuration, test a real login, activate, and verify domains.
 *
 * The inner views' parts are exported as `<view>-<part>` (`overview-`, `domains-`, `rollout-`,
 * `directory-`, `directory-setup-`, `wizard-`, `stepper-`, `test-`, `test-result-`).
 *
 * @tagname sso-admin-portal
 * @summary Drop-in SSO admin portal.
 *
 * @fires sso-step-change - Before the admin moves to another step or view; cancelable.
 * @fires sso-connection-saved - A connection was created or saved.
 * @fires sso-test-completed - A test login finished.
 * @fires sso-connection-activated - A connection was turned on.
 * @fires sso-connection-deactivated - A connection was turned off.
 * @fires sso-domain-verified - A domain was verified.
 * @fires sso-directory-enabled - A directory (directory sync, SCIM) was enabled: `event.directory` (its `id`, `provider`, `name`, counts).
 * @fires sso-directory-disabled - A directory was disabled: `event.directory`.
 * @fires sso-session-expiring - The session ends in 5 minutes or less (a banner says so).
 * @fires sso-session-expired - The portal link expired.
 * @fires sso-error - An operation failed (the portal already shows it).
 *
 * @csspart base - The portal's outer box.
 * @csspart brand - The branding header (shown when the session has a logo).
 * @csspart loading - The loading state.
 * @csspart error - The error state, with its retry button.
 * @csspart expired - The expired-link state.
 * @csspart session-banner - The banner before the session ends (inside `sso-session-banner`).
 * @csspart live-region - The visually hidden live region that announces changes.
 * @csspart overview-heading - The overview's heading.
 * @csspart overview-empty-state - Shown when there is no connection yet.
 * @csspart overview-connection - One connection in the list.
 * @csspart domains-heading - The "Domains" heading.
 * @csspart domains-loading - Shown while the domains load.
 * @csspart domains-list-error - The list could not be loaded; with a retry button when retrying can help.
 * @csspart domains-empty-state - Shown when there is no domain yet.
 * @csspart domains-domain - One domain in the list.
 * @csspart domains-routing - Where the domain's users sign in.
 * @csspart domains-txt-record - The DNS TXT record to create, with the Verify button.
 * @csspart domains-verify-failed - The record was not found at the last check.
 * @csspart domains-row-error - An action on one domain failed.
 * @csspart domains-add-form - The form that adds a domain.
 * @csspart domains-add-error - Adding failed for a reason other than the domain itself (network, server...).
 * @csspart domains-remove-dialog - The dialog that confirms a removal.
 * @csspart rollout - The list of connections with their stage.
 * @csspart rollout-editor - The test users' editor.
 * @csspart rollout-preview - The routing preview's form and answer.
 * @csspart directory-heading - The directory sync section's heading.
 * @csspart directory - One directory's summary (directory sync).
 * @csspart directory-empty-state - Shown when there is no directory.
 * @csspart directory-load-error - Shown when the directories could not be loaded.
 * @csspart directory-setup-heading - The directory sync setup's step heading.
 * @csspart wizard-heading - The wizard's heading.
 * @csspart wizard-stepper - The progress through the steps.
 * @csspart wizard-step - The current step's content.
 * @csspart wizard-actions - The Back and Next buttons.
 * @csspart stepper-list - The ordered list of steps.
 * @csspart stepper-step - One step.
 * @csspart stepper-compact - The narrow form: "Step 3 of 6 · Configure" and a progress bar.
 * @csspart test-waiting - The panel shown while the login is under way.
 * @csspart test-history - Earlier tests of this connection.
 * @csspart test-result-base - The whole test result.
 * @csspart test-result-headline - The heading: "The test login worked" or "The test login failed".
 * @csspart test-result-code - Failures: the short name and the raw failure code.
 * @csspart test-result-meaning - Failures: what the failure means.
 * @csspart test-result-remedy - Failures: what to change, with our value to paste when one applies.
 * @csspart test-result-details - Failures: the table of expected and received values.
 * @csspart test-result-warnings - Successes: what real sign-ins still need (`TestResult.warnings`), e.g. a verified domain.
 * @csspart test-result-mapping-gaps - The list of attribute mapping problems.
 * @csspart test-result-profile - Successes: the received profile.
 * @csspart test-result-attributes - The table of every attribute or claim received.
 * @csspart test-links - The test links section (a sign-in link for a colleague).
 *
 * @cssprop --sso-color-bg - Background of the portal.
 * @cssprop --sso-color-surface - Background of panels and empty states.
 * @cssprop --sso-color-surface-raised - Background of cards and buttons.
 * @cssprop --sso-color-text - Text colour.
 * @cssprop --sso-color-text-muted - Secondary text colour.
 * @cssprop --sso-color-border - Borders.
 * @cssprop --sso-color-accent - Primary buttons and the current step.
 * @cssprop --sso-color-on-accent - Text on the accent colour.
 * @cssprop --sso-color-focus - Focus ring.
 * @cssprop --sso-color-success - Success text; `--sso-color-success-bg` its background.
 * @cssprop --sso-color-warning - Warning text; `--sso-color-warning-bg` its background.
 * @cssprop --sso-color-danger - Error text; `--sso-color-danger-bg` its background.
 * @cssprop --sso-color-neutral - Neutral badge text; `--sso-color-neutral-bg` its background.
 * @cssprop --sso-space-1 - Spacing scale, 1 (smallest) to 6.
 * @cssprop --sso-radius-md - Corner radius of buttons and fields (`-sm`, `-lg`, `-pill` too).
 * @cssprop --sso-font-family - Font of the portal (`--sso-font-family-mono` for values).
 * @cssprop --sso-font-size-md - Base font size (`-sm`, `-lg`, `-xl` too).
 */
export class SsoAdminPortal extends LitElement {
  static override styles = [tokens, shared, portalStyles];

  /** The adapter the portal talks to. Takes precedence over `api-base` and `token`. */
  @property({ attribute: false }) adapter?: PortalAdapter;

  /** Base URL of the portal REST API (used with `token`). */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /** Portal token from the setup link (used with `api-base`). */
  @property() token?: string;

  /**
   * The id of a `<script type="application/json">` in the page holding the portal API's first
   * answers, `{ "session": ..., "connections": ... }`, so the first paint needs no request (used
   * with `api-base` and `token`; each part is validated, and fetched when missing or invalid).
   */
  @property({ attribute: 'initial-data' }) initialData?: string;

  /** Comma-separated provider ids the wizard offers, e.g. `okta,entra-id`. All when unset. */
  @property() providers?: string;

  /** Colour scheme: `light`, `dark`, or `auto` (follows the operating system). */
  @property({ reflect: true }) theme: PortalTheme = 'light';

  /**
   * Language of the portal's text, dates and numbers (BCP 47: `de`, `fr-CA`, `ar`). A language the
   * portal does not ship, or a malformed tag, falls back by language, then to English. Unset: the
   * `lang` of the nearest ancestor that has one, else English.
   */
  @property() locale?: string;

  @state() protected activeAdapter?: PortalAdapter;
  @state() protected session?: PortalSession;

  /** What the elements inside get (context.ts): the adapter and session as they change, and the live region. */
  private readonly setContext = provideContext(this, { announcer: { announce: (message) => this.announce(message) } });

  @state() private place: PortalView = OVERVIEW;
  /** Set when the wizard's code could not be loaded (offline, blocked chunk). */
  @state() private wizardLoadError?: PortalError;
  @state() private announcement = '';
  /** The language of the live region's last words: after a switch they go, rather than stay in the old one. */
  private announcedIn = activeLocale;
  /** No adapter, even after the page's scripts ran: the host forgot to configure the portal. */
  @state() private unconfigured = false;
  private focusOnRender = false;
  private expiredNotified = false;
  /** The session's warning (session-warning.ts, loaded when due), above the content. */
  @state() protected sessionNotice?: unknown;
  private expiryTimer?: ReturnType<typeof setTimeout>;

  /** The session and connections: loading, loaded or failed (`initial`: not configured yet). */
  @state() private load: Load = { status: 'initial' };
  /** What the current load was started with (`adapter`, `api-base`, `token`): another value loads again. */
  private loadedWith?: readonly unknown[];
  private loadAbort?: AbortController;
  private initialDataRead = false;
  /**
   * @internal The first answers a server renders the portal with (@lit-labs/ssr,
   * src/server/portal-ssr.ts): its declarative shadow DOM is then the overview the browser's
   * first render shows from `initial-data`. Never read in the browser.
   */
  serverAnswers?: Loaded;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.announcedIn !== activeLocale) this.announcement = '';
    // Server-rendered (@lit-labs/ssr): the overview of the page's first answers, else the loading state; the browser loads.
    if (isServer) {
      const value = this.serverAnswers;
      if (value) [this.session, this.load] = [value.session, { status: 'complete', value }];
      this.setContext({ session: this.session });
      return;
    }
    if (changed.has('activeAdapter') || changed.has('session')) this.setContext({ adapter: this.activeAdapter, session: this.session });
    if (changed.has('locale') && this.hasUpdated) void this.useLocale();
    const args = [this.adapter, this.apiBase, this.token];
    if (!this.loadedWith || args.some((a, i) => a !== this.loadedWith![i])) void this.reload();
  }

  /** Loads the session and connections again (after an error, or when the host knows data changed). */
  async reload(): Promise<void> {
    const { adapter, apiBase, token } = this;
    this.loadedWith = [adapter, apiBase, token];
    this.loadAbort?.abort();
    const abort = (this.loadAbort = new AbortController());
    const { signal } = abort;
    this.unconfigured = false;
    if (!adapter && !apiBase && !token) {
      // Hosts usually set `adapter` from a script that runs after the element upgrades.
      void this.reportMissingConfiguration();
      this.load = { status: 'initial' };
      return;
    }
    this.load = { status: 'pending' };
    try {
      // The page's first answers serve the first load only: "Try again" and later loads ask the server.
      const initialData = this.initialDataRead ? undefined : this.initialData;
      if (!adapter && apiBase && token) this.initialDataRead = true;
      const resolved = await resolveAdapter(adapter, apiBase, token, initialData);
      this.activeAdapter = resolved;
      const [session, connections] = await Promise.all([resolved.getSession({ signal }), resolved.listConnections({ signal })]);
      if (signal.aborted) return;
      this.session = session;
      this.load = { status: 'complete', value: { session, connections } };
      this.watchExpiry(session.expiresAt);
    } catch (error) {
      if (signal.aborted) return;
      const problem = toPortalError(error);
      this.load = { status: 'error', error: problem };
      this.reportLoadError(problem);
    }
  }

  /** Loads the session's warning 5 minutes before it ends (a timeout's longest wait at most: it checks again then). */
  protected watchExpiry(expiresAt: string): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => void import('./session-warning.js').then((m) => m.sessionWarning(this as never)), Math.min(Date.parse(expiresAt) - Date.now() - 3e5, 2e9));
  }

  /** Server-rendered nodes wait in the shadow root until the first render (`scheduleUpdate`). */
  private serverShadow = false;

  protected override createRenderRoot() {
    // A server-rendered portal (declarative shadow DOM, src/server/portal-ssr.ts) is rendered anew,
    // not hydrated: Lit would render after the server's nodes. They stay until the first render,
    // which removes them in its own task (scheduleUpdate), so no frame shows an empty root. A host
    // that loads Lit's hydration support hydrates.
    this.serverShadow = !!this.shadowRoot?.firstChild && !(globalThis as { litElementHydrateSupport?: unknown }).litElementHydrateSupport;
    return super.createRenderRoot();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    portals.add(this);
    // Moved in the page: the timer the removal stopped starts again.
    if (this.session) this.watchExpiry(this.session.expiresAt);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.expiryTimer);
  }

  /** @internal Says `message` through the portal's single live region (the inner elements' announcer). */
  announce(message: string): void {
    this.announcement = '';
    void this.updateComplete.then(() => {
      this.announcedIn = activeLocale;
      this.announcement = message;
    });
  }

  /**
   * Shows a view: the overview, or a wizard step (of a saved connection, or of a new one).
   * For hosts that deep-link ("Edit SSO" in their own UI); fires no `sso-step-change`, since
   * the host asked for it.
   */
  show(view: PortalView): void {
    if (view.view === 'wizard') void this.ensureWizard();
    this.place = view;
    this.focusOnRender = true;
  }

  /** Applies `locale`: English needs nothing loaded; another language loads its catalogue, then every element renders again. */
  private useLocale(): Promise<void> | undefined {
    const requested = this.locale ?? this.closest('[lang]')?.getAttribute('lang');
    // No wish: the page's language stays as it is (another portal on the page may have set one).
    if (!requested) return undefined;
    // The text is English already: an English page loads nothing for its language.
    if (!localeSwitcher && /^en(-US)?$/i.test(requested)) return undefined;
    localeSwitcher ??= import('./localize/switch-locale.js');
    return localeSwitcher.then(
      ({ switchLocale }) => switchLocale(requested),
      (error: unknown) => console.warn('sso-admin-portal: the languages could not load, so the portal stays in English.', error),
    );
  }

  /**
   * The first render waits for the page's language (at most {@link FIRST_LANGUAGE_WAIT_MS}), so
   * no frame shows English first, nor the server's text replaced by English. The server's nodes
   * go in the same task as that render (see `createRenderRoot`).
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (this.hasUpdated || isServer) return super.scheduleUpdate();
    const language = this.useLocale();
    const first = () => {
      if (this.serverShadow) {
        this.shadowRoot?.replaceChildren();
        // LitElement renders before the root's first child at createRenderRoot (a server node, now gone).
        this.renderOptions.renderBefore = null;
      }
      this.serverShadow = false;
      return super.scheduleUpdate();
    };
    return language ? Promise.race([language, new Promise((resolve) => setTimeout(resolve, FIRST_LANGUAGE_WAIT_MS))]).then(first) : first();
  }

  override render() {
    const logo = this.session?.branding.logoUrl;
    return html`<div class="portal" part="base" lang=${activeLocale.lang} dir=${activeLocale.dir} @sso-navigate=${this.onNavigate} @sso-connection-change=${this.onConnectionChange}
      @sso-session-expired=${this.onChildSessionExpired}
    >
      ${logo
        ? html`<div class="brand" part="brand"><img src=${logo} alt=${this.session?.branding.name ?? ''} /></div>`
        : nothing}
      ${this.sessionNotice}${this.renderLoad(this.load)}
      <div class="visually-hidden" role="status" part="live-region">${this.announcement}</div>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.focusOnRender && this.load.status !== 'pending') {
      this.focusOnRender = false;
      void this.focusCurrentHeading();
    }
  }

  private renderLoad(load: Load) {
    if (load.status === 'complete') return this.renderContent(load.value);
    if (load.status === 'error') return this.renderError(load.error);
    return this.unconfigured && load.status === 'initial' ? this.renderError(new PortalError('not_configured')) : this.renderLoading();
  }

  private renderLoading() {
    return html`<div class="state state--loading" part="loading" aria-busy="true">
      <span class="spinner" aria-hidden="true"></span>
      <p>${msg('Loading your SSO settings…')}</p>
    </div>`;
  }

  private renderContent({ connections }: Loaded) {
    const place = this.place;
    if (place.view === 'wizard') {
      if (this.wizardLoadError) return this.renderError(this.wizardLoadError);
      const connection = place.connectionId ? connections.find((c) => c.id === place.connectionId) : undefined;
      return html`<sso-wizard
        .step=${place.step}
        .connection=${connection}
        .restrictProviders=${this.providers}
        @sso-connection-saved=${this.onConnectionSaved}
      ></sso-wizard>`;
    }
    return html`<sso-connections-overview .connections=${connections}></sso-connections-overview>`;
  }

  private renderError(error: PortalError) {
    const { title, action } = describeError(error);
    if (error.code === 'session_expired') {
      return html`<section class="state state--expired" part="expired" aria-labelledby="state-heading">
        <h2 id="state-heading" tabindex="-1">${title}</h2>
        <p>${action}</p>
      </section>`;
    }
    const canRetry = error.code !== 'not_configured' && error.code !== 'not_available';
    return html`<section class="state state--error" part="error" aria-labelledby="state-heading">
      <h2 id="state-heading" tabindex="-1">${title}</h2>
      <p>${(error.code === 'not_available' && backendMessage(error.message)) || action}</p>
      <p class="muted">${msg(html`Error code: <code>${error.code}</code>`)}</p>
      ${canRetry
        ? html`<button class="button button--primary" type="button" @click=${this.retry}>${msg('Try again')}</button>`
        : nothing}
    </section>`;
  }

  /** Keeps the loaded list in step with what the wizard saved (the event goes on to the host). */
  private onConnectionSaved(event: SsoConnectionSavedEvent): void {
    this.updateConnection(event.connection);
  }

  /** A child found the link expired: the host hears of it once, whoever noticed first. */
  private onChildSessionExpired(event: SsoSessionExpiredEvent): void {
    if (this.expiredNotified) event.stopPropagation();
    this.expiredNotified = true;
  }

  /** Internal: a test, an activation or a deletion changed a connection. Stops here. */
  private onConnectionChange(event: SsoConnectionChangeEvent): void {
    event.stopPropagation();
    this.updateConnection(event.connection, event.deletedId);
  }

  private updateConnection(connection: Connection | null, deletedId?: string): void {
    if (this.load.status !== 'complete') return;
    const loaded = this.load.value;
    const others = loaded.connections.filter((c) => c.id !== (connection?.id ?? deletedId));
    loaded.connections = (connection ? [...others, connection] : others).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    this.requestUpdate();
  }

  private retry(): void {
    this.focusOnRender = true;
    if (this.wizardLoadError) {
      this.wizardLoadError = undefined;
      void this.ensureWizard();
      return;
    }
    void this.reload();
  }

  private async ensureWizard(): Promise<void> {
    if (this.wizardLoadError) return;
    try {
      await loadWizard();
    } catch (error) {
      this.wizardLoadError = new PortalError('network', { message: 'The setup wizard could not be loaded.', cause: error });
      this.announce(describeError(this.wizardLoadError).title);
      this.dispatchEvent(new SsoErrorEvent(this.wizardLoadError, 'load'));
    }
  }

  private async reportMissingConfiguration(): Promise<void> {
    await pageScriptsDone();
    if (this.adapter || this.apiBase || this.token || !this.isConnected) return;
    this.unconfigured = true;
    console.warn(`<sso-admin-portal>: ${describeError(new PortalError('not_configured')).action}`);
  }

  private reportLoadError(error: PortalError): void {
    if (error.code === 'aborted') return;
    if (error.code === 'not_available') {
      // The host's set-up, not the admin's doing: tell its developers, fire nothing.
      console.warn(`<sso-admin-portal>: ${error.message}`);
      return;
    }
    this.announce(describeError(error).title);
    if (error.code === 'session_expired') {
      if (!this.expiredNotified) {
        this.expiredNotified = true;
        this.dispatchEvent(new SsoSessionExpiredEvent());
      }
      return;
    }
    this.dispatchEvent(new SsoErrorEvent(error, 'load'));
  }

  private onNavigate(event: SsoNavigateEvent): void {
    event.stopPropagation();
    this.navigate(event.to);
  }

  private navigate(to: PortalView): void {
    if (!this.dispatchEvent(new SsoStepChangeEvent(this.place, to))) return;
    if (to.view === 'wizard') void this.ensureWizard();
    this.place = to;
    this.focusOnRender = true;
  }

  private async focusCurrentHeading(): Promise<void> {
    await this.updateComplete;
    if (this.place.view === 'wizard') {
      await this.ensureWizard();
      await this.updateComplete;
    }
    const view = this.renderRoot.querySelector<SsoWizard | SsoConnectionsOverview>('sso-wizard, sso-connections-overview');
    if (view) {
      await view.updateComplete;
      if (this.place.view === 'overview' && this.place.section === 'domains' && 'focusDomains' in view) await view.focusDomains();
      else await view.focusHeading();
      return;
    }
    this.renderRoot.querySelector<HTMLElement>('#state-heading')?.focus();
  }
}

defineElement('sso-admin-portal', SsoAdminPortal);

declare global {
  interface HTMLElementTagNameMap {
    'sso-admin-portal': SsoAdminPortal;
  }
}
