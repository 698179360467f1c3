import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Directory, DirectoryProviderId, DirectoryRequest } from '../../core/directory-model.js';
import { directoryRemedyText, directorySummaryText } from '../../core/directory-request-text.js';
import { DIRECTORY_PROVIDER_NAMES, availableDirectoryProviders } from '../../core/directory-providers/names.js';
import { directoryGuides } from '../../core/directory-providers/load.js';
import type { DirectoryGuide } from '../../core/directory-providers/types.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import { defineElement } from '../define.js';
import { msg, str } from '../localize/msg.js';
import { plural } from '../localize/plural.js';
import { exportParts } from '../parts.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';
import type { SsoConfirmDialog } from '../ui/sso-confirm-dialog.js';
import '../ui/sso-confirm-dialog.js';
import '../ui/sso-copy-field.js';
import '../ui/sso-stepper.js';
import { SsoDirectoryEnabledEvent } from './directory-events.js';
import { directoryStyles } from './directory-styles.js';
import { userCounts } from './sso-directory-section.js';

export type SetupStep = 'provider' | 'connect' | 'wait';

/** Where a setup starts: a new one, or a directory's, at a step (stories and "Continue setup"). */
export interface SetupStart {
  directory?: Directory;
  /** The directory's token, when this page has it (just created). */
  token?: string;
  provider?: DirectoryProviderId;
  step?: SetupStep;
  /** Ask at once to regenerate the token (the overview's "Regenerate token"). */
  regenerate?: boolean;
}

const steps = () => [
  { id: 'provider', label: msg('Provider') },
  { id: 'connect', label: msg('Connect') },
  { id: 'wait', label: msg('First requests') },
];

/** What failed, said when the error is shown (so in the language of that moment). */
type Doing = () => string;
const pollFailed: Doing = () => msg('New requests could not be loaded.');

/** What arrived so far, for the waiting step's live region. */
function arrivalsText(d: Directory): string {
  if (d.lastRequestAt === null) return msg('No request yet. This page checks every few seconds.');
  const { users, groups } = d.counts;
  const arrived = plural(users, {
    one: () => plural(groups, { one: () => msg(str`${users} user and ${groups} group arrived.`), other: () => msg(str`${users} user and ${groups} groups arrived.`) }),
    other: () => plural(groups, { one: () => msg(str`${users} users and ${groups} group arrived.`), other: () => msg(str`${users} users and ${groups} groups arrived.`) }),
  });
  const refused = d.recentErrors;
  if (!refused) return arrived;
  return `${arrived} ${plural(refused, { one: () => msg(str`${refused} request was refused.`), other: () => msg(str`${refused} requests were refused.`) })}`;
}

/**
 * A summary's names isolated (FSI…PDI) in its sentence, so a name or an address in the other
 * direction (a Hebrew name in English, an address in Arabic) keeps its order, in every language.
 */
const isolated = (values: DirectoryRequest['summaryValues'] = {}) =>
  Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      // `method` and `resource` choose the words, they are not shown as such.
      typeof value === 'string' && key !== 'method' && key !== 'resource' ? `\u2068${value}\u2069` : Array.isArray(value) ? value.map((v) => `\u2068${v}\u2069`) : value,
    ]),
  );

/** Text with the console's `**labels**` in bold and `code` as code, rendered as text (never HTML). */
function guideText(text: string, origin: string) {
  return text
    .replaceAll('{origin}', origin)
    .split(/(\*\*[^*]+\*\*|`[^`]+`)/g)
    .map((part) => (part.length > 4 && part.startsWith('**') ? html`<strong>${part.slice(2, -2)}</strong>` : part.length > 2 && part.startsWith('`') ? html`<code>${part.slice(1, -1)}</code>` : part));
}

/**
 * Sets up a directory: choose the provider, follow its guide with the SCIM base URL and the
 * bearer token to copy (the token shown once; regenerating stops the old one at once), then wait
 * for the first requests, see what arrived (users and groups, each request's outcome and what to
 * change for a refused one) and enable it. Polls while the waiting step is shown and the page is
 * visible; stops when it is hidden or removed.
 *
 * @tagname sso-directory-setup
 * @summary Directory sync setup flow.
 * @fires sso-directory-enabled - The admin enabled the directory (`event.directory`).
 * @csspart heading - The step's heading.
 */
export class SsoDirectorySetup extends SsoPortalElement {
  static override styles = [
    shared,
    directoryStyles,
    css`
      :host {
        display: grid;
        gap: var(--sso-space-4);
      }
      fieldset {
        display: grid;
        gap: var(--sso-space-2);
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        margin-block-end: var(--sso-space-2);
        font-weight: var(--sso-font-weight-strong);
      }
      .providers {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: var(--sso-space-2);
      }
      label.name {
        display: grid;
        gap: var(--sso-space-1);
        max-width: 24rem;
        font-weight: var(--sso-font-weight-strong);
      }
      input[type='text'] {
        font: inherit;
        padding: var(--sso-space-2);
        border: 1px solid var(--sso-color-border-strong, var(--sso-color-border));
        border-radius: var(--sso-radius-sm);
        background: var(--sso-color-surface);
        color: inherit;
      }
      ol.guide,
      ul.plain {
        display: grid;
        gap: var(--sso-space-2);
        margin: 0;
        padding-inline-start: var(--sso-space-5);
        /* A URL in a step wraps inside 320 px (WCAG 1.4.10). */
        overflow-wrap: anywhere;
      }
      .requests {
        display: grid;
        gap: var(--sso-space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .request {
        display: grid;
        gap: var(--sso-space-1);
        padding: var(--sso-space-2) var(--sso-space-3);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-md);
        overflow-wrap: anywhere;
      }
      .request--refused {
        border-inline-start: 4px solid var(--sso-color-danger);
      }
      .request small {
        color: var(--sso-color-text-muted);
      }
    `,
  ];

  /** Where the setup starts. */
  @property({ attribute: false }) start: SetupStart = {};

  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;

  /** How often the waiting step asks for new requests, in milliseconds. */
  @property({ attribute: false }) pollInterval = 3000;

  @state() private step: SetupStep = 'provider';
  @state() private provider?: DirectoryProviderId;
  @state() private name = '';
  @state() private guide?: DirectoryGuide;
  @state() private directory?: Directory;
  @state() private token?: string;
  @state() private requests?: DirectoryRequest[];
  @state() private error?: { error: PortalError; doing: Doing };
  @state() private busy = false;
  @state() private choiceMissing = false;
  /** What the waiting step's live region speaks of: the directory when something last arrived. */
  @state() private arrivals?: Directory;

  #poll?: ReturnType<typeof setTimeout>;
  #pollAbort?: AbortController;
  #started = false;
  #onVisibility = () => {
    if (document.visibilityState === 'visible') this.#schedule(0);
    else this.#stopPolling();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'directory-setup', 'heading');
    document.addEventListener('visibilitychange', this.#onVisibility);
    if (this.step === 'wait') this.#schedule(0);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stopPolling();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('start') && !this.#started) {
      this.#started = true;
      const { directory, token, provider, step } = this.start;
      this.directory = directory;
      this.token = token;
      this.provider = directory?.provider ?? provider;
      this.step = step ?? (directory ? 'connect' : 'provider');
      if (this.provider && this.step !== 'provider') void this.#loadGuide(this.provider);
      if (this.step === 'wait') this.#schedule(0);
      if (this.start.regenerate) void this.updateComplete.then(() => this.regenerate());
    }
  }

  /** Moves focus to the step's heading. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h4')?.focus();
  }

  override render() {
    return html`
      <sso-stepper .steps=${steps()} current=${this.step} label=${msg('Directory sync setup')}></sso-stepper>
      ${this.step === 'provider' ? this.renderProvider() : this.step === 'connect' ? this.renderConnect() : this.renderWait()}
      <sso-confirm-dialog></sso-confirm-dialog>
    `;
  }

  private renderError() {
    if (!this.error) return nothing;
    const { title, action } = describeError(this.error.error);
    return html`<div class="notice notice--danger" role="alert" part="error">
      <p><strong>${this.error.doing()} ${title}.</strong></p>
      <p>${action}</p>
      ${this.error.error.code === 'conflict' ? html`<button class="button" type="button" @click=${this.refresh}>${msg('Load the latest version')}</button>` : nothing}
    </div>`;
  }

  // -------------------------------------------------------------------------------------
  // Provider

  private renderProvider() {
    const ids = availableDirectoryProviders(this.session?.devMode ?? false);
    return html`<form class="stack" novalidate @submit=${this.onChoose}>
      <h4 part="heading" tabindex="-1">${msg('Choose your directory')}</h4>
      <fieldset aria-describedby=${this.choiceMissing ? 'choice-error' : nothing}>
        <legend>${msg('Where do your users come from?')}</legend>
        <div class="providers">
          ${ids.map(
            (id) => html`<label class="option">
              <input type="radio" name="provider" .value=${id} .checked=${this.provider === id} @change=${() => ((this.provider = id), (this.choiceMissing = false))} />
              ${DIRECTORY_PROVIDER_NAMES[id]}
            </label>`,
          )}
        </div>
      </fieldset>
      ${this.choiceMissing ? html`<p id="choice-error" class="errors" role="alert">${msg('Choose where your users come from.')}</p>` : nothing}
      <label class="name">
        <span>${msg(html`Name <span class="muted">(optional, e.g. “Okta (employees)”)</span>`)}</span>
        <input type="text" maxlength="200" autocomplete="off" .value=${this.name} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
      </label>
      ${this.renderError()}
      <div class="actions">
        <button class="button button--primary" type="submit" ?disabled=${this.busy}>${this.busy ? msg('Creating…') : msg('Continue')}</button>
        <button class="button" type="button" @click=${this.end}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  private onChoose = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!this.provider) {
      this.choiceMissing = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[name="provider"]')?.focus();
      return;
    }
    const provider = this.provider;
    await this.#run(() => msg('The directory could not be created.'), async () => {
      const guide = await this.#loadGuide(provider);
      if (guide.canPush) {
        const created = await this.adapter!.createDirectory!({ provider, name: this.name.trim() || undefined });
        this.directory = created.directory;
        this.token = created.token;
        this.announcer?.announce(msg('Directory created. Copy its SCIM base URL and token now.'));
      }
      await this.#go('connect');
    });
  };

  async #loadGuide(provider: DirectoryProviderId): Promise<DirectoryGuide> {
    const guide = await directoryGuides.load(provider);
    if (this.provider === provider) this.guide = guide;
    return guide;
  }

  // -------------------------------------------------------------------------------------
  // Connect: the guide, the URL and the token

  private renderConnect() {
    const guide = this.guide;
    if (!guide) {
      return html`<h4 part="heading" tabindex="-1">${msg('Loading the guide…')}</h4>
        ${this.renderError()}`;
    }
    const origin = this.adapter?.origin ?? location.origin;
    const d = this.directory;
    return html`<div class="stack">
      <h4 part="heading" tabindex="-1">${guide.canPush ? msg(str`Connect ${guide.name}`) : msg(str`${guide.name} cannot send users here`)}</h4>
      ${guide.canPush
        ? html`<p>${msg(str`Open ${guide.name} in another tab and follow these steps. Nothing reaches this application until you enable directory sync at the end.`)}</p>`
        : nothing}
      <ol class="guide">
        ${guide.steps.map((s) => html`<li>${guideText(s, origin)}</li>`)}
      </ol>
      ${guide.id === 'directory-simulator'
        ? html`<p><a href="${origin}/simulator/directory" target="_blank" rel="noopener noreferrer">${msg(html`Open the Directory Simulator<span class="visually-hidden"> (opens in a new tab)</span>`)}</a></p>`
        : nothing}
      ${guide.options.length ? html`<h5>${msg('Turn on')}</h5><ul class="plain">${guide.options.map((o) => html`<li lang="en">${o}</li>`)}</ul>` : nothing}
      ${guide.mapping.length ? html`<h5>${msg('Attribute mapping')}</h5><ul class="plain">${guide.mapping.map((m) => html`<li>${guideText(m, origin)}</li>`)}</ul>` : nothing}
      ${guide.help ? html`<p><a href=${guide.help.url} hreflang="en" target="_blank" rel="noopener noreferrer">${guide.help.label}<span class="visually-hidden"> ${msg('(opens in a new tab)')}</span></a></p>` : nothing}
      ${d ? this.renderCredentials(guide, d) : nothing}
      ${this.renderError()}
      <div class="actions">
        ${d
          ? html`<button class="button button--primary" type="button" @click=${() => this.#go('wait')}>${msg('I entered them: wait for the first request')}</button>`
          : html`<button class="button button--primary" type="button" @click=${() => this.#go('provider')}>${msg('Choose another provider')}</button>`}
        <button class="button" type="button" @click=${this.end}>${d ? msg('Finish later') : msg('Cancel')}</button>
      </div>
    </div>`;
  }

  private renderCredentials(guide: DirectoryGuide, d: Directory) {
    return html`<div class="stack">
      <sso-copy-field label=${guide.urlLabel} label-lang="en" .value=${d.scimBaseUrl + (guide.urlSuffix ?? '')}></sso-copy-field>
      ${this.token
        ? html`<sso-copy-field label=${guide.tokenLabel} label-lang="en" .value=${this.token}></sso-copy-field>
            <div class="notice" part="token-warning">
              <p><strong>${msg('Copy this token now: you will not see it again.')}</strong></p>
              <p>${msg(str`Once you leave this step, only its first characters (${d.tokenHint}…) are shown. If it is lost, regenerate it.`)}</p>
            </div>`
        : html`<div class="notice notice--info">
            <p>${msg(str`The token (${d.tokenHint}…) was shown once, when it was created. If you no longer have it, regenerate it.`)}</p>
          </div>`}
      <div class="actions">
        <button class="button" type="button" ?disabled=${this.busy} @click=${() => this.regenerate()}>${msg('Regenerate token')}</button>
      </div>
    </div>`;
  }

  /** Asks, then issues a new token (the old one stops at once) and shows it. */
  async regenerate(): Promise<void> {
    const d = this.directory;
    if (!d) return;
    const dialog = this.renderRoot.querySelector<SsoConfirmDialog>('sso-confirm-dialog')!;
    const confirmed = await dialog.ask({
      title: msg('Regenerate the token?'),
      body: [
        msg(
          str`The current token (${d.tokenHint}…) stops working at once: ${DIRECTORY_PROVIDER_NAMES[d.provider]} is refused until you paste the new token into its provisioning settings.`,
        ),
      ],
      confirmLabel: msg('Regenerate token'),
      tone: 'danger',
    });
    if (!confirmed) return;
    await this.#run(() => msg('The token could not be regenerated.'), async () => {
      const renewed = await this.adapter!.regenerateDirectoryToken!(d.id, { version: d.version });
      this.directory = renewed.directory;
      this.token = renewed.token;
      this.announcer?.announce(msg('New token issued: copy it now. The old one no longer works.'));
      await this.#go('connect');
    });
  }

  // -------------------------------------------------------------------------------------
  // Waiting for requests

  private renderWait() {
    const d = this.directory;
    if (!d) return nothing;
    const now = this.now ?? new Date();
    const arrived = d.lastRequestAt !== null;
    const requests = this.requests ?? [];
    return html`<div class="stack" data-state=${arrived ? 'arrived' : 'waiting'}>
      <h4 part="heading" tabindex="-1">${arrived ? msg(str`Requests from ${d.name}`) : msg('Waiting for the first request')}</h4>
      <p role="status" aria-live="polite">${this.arrivals ? arrivalsText(this.arrivals) : ''}</p>
      ${arrived
        ? html`<dl class="counts">
            <div><dt>${msg('Users')}</dt><dd>${userCounts(d)}</dd></div>
            <div><dt>${msg('Groups')}</dt><dd>${d.counts.groups}</dd></div>
            <div><dt>${msg('Last request')}</dt><dd>${formatRelativeTime(d.lastRequestAt!, now)}</dd></div>
            <div class=${d.recentErrors ? 'errors' : ''}><dt>${msg('Refused (24 h)')}</dt><dd>${d.recentErrors}</dd></div>
          </dl>`
        : html`<p class="muted">
            ${msg(str`Start provisioning in ${DIRECTORY_PROVIDER_NAMES[d.provider]} (or assign a user to the app): its requests show here as they arrive.`)}
          </p>`}
      ${requests.length
        ? html`<h5>${msg('Last requests')}</h5>
            <ul class="requests" aria-label=${msg('Last requests')}>
              ${requests.slice(0, 10).map((r) => this.renderRequest(r, now))}
            </ul>`
        : nothing}
      ${this.renderError()}
      <div class="actions">
        ${d.status === 'setup'
          ? html`<button class="button button--primary" type="button" ?disabled=${this.busy || !arrived} aria-describedby=${arrived ? nothing : 'enable-hint'} @click=${this.enable}>
              ${msg('Enable directory sync')}
            </button>`
          : nothing}
        <button class="button" type="button" @click=${() => this.#go('connect')}>${msg('Back to the guide')}</button>
        <button class="button" type="button" @click=${this.end}>${d.status === 'setup' ? msg('Finish later') : msg('Done')}</button>
      </div>
      ${d.status === 'setup' && !arrived ? html`<p id="enable-hint" class="muted">${msg('You can enable it once the first request has arrived.')}</p>` : nothing}
    </div>`;
  }

  /**
   * One request of the log. Its summary and remedy are worded here, in the language shown, from
   * the code and facts the server stored (`core/directory-request-text.ts`); an entry without them
   * (older rows, other backends) or with a code this version does not know shows the server's
   * English text, marked `lang="en"`. The SCIM error's detail is what the provider was answered:
   * English as sent.
   */
  private renderRequest(r: DirectoryRequest, now: Date) {
    const refused = r.status >= 400;
    const summary = r.summaryCode ? directorySummaryText(r.summaryCode, isolated(r.summaryValues)) : undefined;
    const provider = this.directory?.provider;
    const remedy = r.error?.facts && provider ? directoryRemedyText(provider, r.error.facts) : undefined;
    return html`<li class="request ${refused ? 'request--refused' : ''}">
      <span><strong lang=${summary ? nothing : 'en'} dir="auto">${summary ?? r.summary}</strong> · ${refused ? msg(str`Refused (${r.status})`) : `OK (${r.status})`}</span>
      <small><code>${r.method} ${r.path}</code> · ${formatRelativeTime(r.at, now)}</small>
      ${r.error
        ? html`<p>${r.error.scimType ? html`<code>${r.error.scimType}</code>: ` : nothing}<span lang="en" dir="auto">${r.error.detail}</span></p>
            <p>${msg(html`<strong>What to change:</strong> ${html`<span lang=${remedy ? nothing : 'en'} dir="auto">${remedy ?? r.error.remedy}</span>`}`)}</p>`
        : nothing}
    </li>`;
  }

  private enable = async (): Promise<void> => {
    const d = this.directory;
    if (!d) return;
    await this.#run(() => msg('Directory sync could not be enabled.'), async () => {
      const enabled = await this.adapter!.setDirectoryEnabled!(d.id, true, { version: d.version });
      this.directory = enabled;
      this.dispatchEvent(new SsoDirectoryEnabledEvent(enabled));
      const app = this.session?.branding.name;
      this.announcer?.announce(
        app ? msg(str`${enabled.name} enabled: its users and groups now reach ${app}.`) : msg(str`${enabled.name} enabled: its users and groups now reach the application.`),
      );
      this.end();
    });
  };

  #schedule(ms: number): void {
    clearTimeout(this.#poll);
    if (!this.isConnected || this.step !== 'wait' || document.visibilityState === 'hidden') return;
    this.#poll = setTimeout(() => void this.#pollOnce(), ms);
  }

  #stopPolling(): void {
    clearTimeout(this.#poll);
    this.#pollAbort?.abort();
  }

  async #pollOnce(): Promise<void> {
    const d = this.directory;
    const adapter = this.adapter;
    if (!d || !adapter?.getDirectory || !adapter.listDirectoryRequests) return;
    this.#pollAbort?.abort();
    const controller = (this.#pollAbort = new AbortController());
    try {
      const [directory, requests] = await Promise.all([adapter.getDirectory(d.id, { signal: controller.signal }), adapter.listDirectoryRequests(d.id, { signal: controller.signal })]);
      const before = this.directory;
      this.directory = directory;
      this.requests = requests;
      if (this.error?.doing === pollFailed) this.error = undefined;
      this.#sayArrivals(before, directory);
    } catch (error) {
      if (controller.signal.aborted) return;
      // An action's error stays shown: polling goes on meanwhile.
      this.error ??= { error: toPortalError(error), doing: pollFailed };
    }
    this.#schedule(this.pollInterval);
  }

  /** Updates the polite live region when something new arrived (not on every poll). */
  #sayArrivals(before: Directory | undefined, now: Directory): void {
    const said = this.arrivals;
    const same = said && said.lastRequestAt === now.lastRequestAt && said.counts.users === now.counts.users && said.counts.groups === now.counts.groups && said.recentErrors === now.recentErrors;
    if (!same || before?.lastRequestAt !== now.lastRequestAt) this.arrivals = now;
  }

  // -------------------------------------------------------------------------------------

  private refresh = async (): Promise<void> => {
    const d = this.directory;
    if (!d) return;
    await this.#run(() => msg('The directory could not be loaded.'), async () => {
      this.directory = await this.adapter!.getDirectory!(d.id);
    });
  };

  async #go(step: SetupStep): Promise<void> {
    this.error = undefined;
    this.step = step;
    if (step === 'wait') this.#schedule(0);
    else this.#stopPolling();
    await this.updateComplete;
    this.focusHeading();
  }

  /** Runs an adapter action with `busy` set; a failure is shown (what the admin typed stays). */
  async #run(doing: Doing, action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      await action();
    } catch (error) {
      this.error = { error: toPortalError(error), doing };
    } finally {
      this.busy = false;
    }
  }

  private end = (): void => {
    this.#stopPolling();
    this.dispatchEvent(new Event('sso-directory-setup-end'));
  };
}

defineElement('sso-directory-setup', SsoDirectorySetup);

declare global {
  interface HTMLElementTagNameMap {
    'sso-directory-setup': SsoDirectorySetup;
  }
}
