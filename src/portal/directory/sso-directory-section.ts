import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Directory, DirectoryStatus } from '../../core/directory-model.js';
import { DIRECTORY_PROVIDER_NAMES } from '../../core/directory-providers/names.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import { defineElement } from '../define.js';
import { msg, str } from '../localize/msg.js';
import { exportParts } from '../parts.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared, viewStyles } from '../styles/shared.js';
import type { SsoConfirmDialog } from '../ui/sso-confirm-dialog.js';
import '../ui/sso-confirm-dialog.js';
import '../ui/sso-status-badge.js';
import type { ActionMenuItem, SsoMenuSelectEvent } from '../ui/sso-action-menu.js';
import '../ui/sso-action-menu.js';
import { SsoDirectoryDisabledEvent, SsoDirectoryEnabledEvent } from './directory-events.js';
import { directoryStyles } from './directory-styles.js';
import type { SsoDirectorySetup, SetupStart } from './sso-directory-setup.js';

/** A directory's status as the status badge says it: setting up is "Pending", off is "Turned off". */
export const BADGE: Record<DirectoryStatus, 'pending' | 'active' | 'inactive'> = { setup: 'pending', enabled: 'active', disabled: 'inactive' };

/** "12 (10 active)": a directory's users, and how many of them are active (the setup's waiting step says it too). */
export const userCounts = (d: Directory) => msg(str`${d.counts.users} (${d.counts.activeUsers} active)`);

/** The setup flow, loaded when the admin starts or continues a setup. */
const loadSetup = () => import('./sso-directory-setup.js');

/**
 * Directory sync in the overview, beside SSO: each directory's status, last sync, user and
 * group counts and recent errors, with its actions; or an empty state that starts the setup
 * (`sso-directory-setup`). Loaded lazily, and shown only when the adapter has directory sync
 * (`listDirectories`).
 *
 * @tagname sso-directory-section
 * @summary Directory sync (SCIM) overview and setup.
 * @fires sso-directory-enabled - A directory was enabled (`event.directory`).
 * @fires sso-directory-disabled - A directory was disabled (`event.directory`).
 * @csspart heading - The section's heading.
 * @csspart directory - One directory's summary.
 * @csspart empty-state - Shown when there is no directory.
 * @csspart load-error - Shown when the directories could not be loaded.
 */
export class SsoDirectorySection extends SsoPortalElement {
  static override styles = [
    shared,
    viewStyles,
    directoryStyles,
    css`
      :host {
        margin-block-start: var(--sso-space-6);
      }
      h3 {
        font-size: var(--sso-font-size-md);
      }
      ul {
        display: grid;
        gap: var(--sso-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .directory,
      .empty {
        display: grid;
        gap: var(--sso-space-2);
        padding: var(--sso-space-4);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface-raised);
      }
      .empty {
        justify-items: start;
        border-style: dashed;
        background: var(--sso-color-surface);
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sso-space-2);
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;

  /** How often the setup's waiting step asks for new requests, in milliseconds. */
  @property({ attribute: false }) pollInterval = 3000;

  @state() private directories?: Directory[];
  @state() private loadError?: PortalError;
  /** The setup in progress (new, or continued for a directory). */
  @state() private setup?: SetupStart;
  /** A failed action, shown on its directory. */
  @state() private actionError?: { id: string; error: PortalError };
  @state() private busy?: string;

  #load?: AbortController;

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'directory', 'heading directory empty-state load-error');
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#load?.abort();
  }

  /** Loads the directories again (after a change, or "Try again"). */
  async reload(): Promise<void> {
    this.#load?.abort();
    const controller = (this.#load = new AbortController());
    await this.updateComplete;
    if (!this.adapter?.listDirectories) return;
    try {
      this.directories = await this.adapter.listDirectories({ signal: controller.signal });
      this.loadError = undefined;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.loadError = toPortalError(error);
    }
  }

  /** Starts a setup, or continues one (`{ directory }`); stories start at a step this way. */
  async startSetup(start: SetupStart = {}): Promise<void> {
    await loadSetup();
    this.actionError = undefined;
    this.setup = start;
    await this.updateComplete;
    const setup = this.renderRoot.querySelector<SsoDirectorySetup>('sso-directory-setup');
    await setup?.updateComplete;
    setup?.focusHeading();
  }

  /** Moves focus to the section's heading. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  override render() {
    const has = (this.directories?.length ?? 0) > 0;
    return html`<section aria-labelledby="directory-heading">
      <div class="header">
        <h3 id="directory-heading" part="heading" tabindex="-1">${msg('Directory sync')}</h3>
        ${has && !this.setup ? html`<button class="button" type="button" @click=${() => this.startSetup()}>${msg('Add directory')}</button>` : nothing}
      </div>
      ${this.setup
        ? html`<sso-directory-setup
            .start=${this.setup}
            .now=${this.now}
            .pollInterval=${this.pollInterval}
            @sso-directory-setup-end=${this.onSetupEnd}
          ></sso-directory-setup>`
        : this.renderBody()}
      <sso-confirm-dialog></sso-confirm-dialog>
    </section>`;
  }

  private renderBody() {
    if (this.loadError) {
      const { title, action } = describeError(this.loadError);
      return html`<div class="notice notice--danger" part="load-error" role="alert">
        <p><strong>${msg(str`Your directories could not be loaded. ${title}.`)}</strong></p>
        <p>${action}</p>
        <button class="button" type="button" @click=${() => this.reload()}>${msg('Try again')}</button>
      </div>`;
    }
    if (!this.directories) return html`<p class="muted" role="status">${msg('Loading directory sync…')}</p>`;
    if (this.directories.length === 0) {
      return html`<div class="empty" part="empty-state">
        <h4>${msg('Keep your users in sync with your directory')}</h4>
        <p class="muted">
          ${msg('With directory sync (SCIM 2.0), your identity provider creates, updates and deactivates your users and groups here as they join, move or leave.')}
          ${msg('Works with Okta, Microsoft Entra ID, OneLogin, JumpCloud, PingOne and any SCIM 2.0 provider.')}
        </p>
        <button class="button button--primary" type="button" @click=${() => this.startSetup()}>${msg('Set up directory sync')}</button>
      </div>`;
    }
    return html`<ul aria-label=${msg('Directories')}>
      ${this.directories.map((d) => this.renderDirectory(d))}
    </ul>`;
  }

  private renderDirectory(d: Directory) {
    const now = this.now ?? new Date();
    const error = this.actionError?.id === d.id ? describeError(this.actionError.error) : undefined;
    const busy = this.busy === d.id;
    const items: ActionMenuItem[] = [
      { id: 'regenerate', label: msg('Regenerate token') },
      { id: 'delete', label: msg('Delete'), tone: 'danger' },
    ];
    return html`<li class="directory" part="directory">
      <div class="title">
        <h4>${d.name}</h4>
        <sso-status-badge status=${BADGE[d.status]}></sso-status-badge>
      </div>
      <dl class="counts">
        <div><dt>${msg('Provider')}</dt><dd>${DIRECTORY_PROVIDER_NAMES[d.provider]}</dd></div>
        <div><dt>${msg('Last sync')}</dt><dd>${d.lastSyncAt ? formatRelativeTime(d.lastSyncAt, now) : msg('Never')}</dd></div>
        <div><dt>${msg('Users')}</dt><dd>${userCounts(d)}</dd></div>
        <div><dt>${msg('Groups')}</dt><dd>${d.counts.groups}</dd></div>
        <div class=${d.recentErrors ? 'errors' : ''}><dt>${msg('Errors (24 h)')}</dt><dd>${d.recentErrors}</dd></div>
      </dl>
      ${error
        ? html`<div class="notice notice--danger" role="alert"><p><strong>${error.title}.</strong></p><p>${error.action}</p></div>`
        : nothing}
      <div class="actions">
        ${d.status === 'setup'
          ? html`<button class="button button--primary" type="button" @click=${() => this.startSetup({ directory: d })}>${msg(html`Continue setup<span class="visually-hidden"> of ${d.name}</span>`)}</button>`
          : html`<button class="button" type="button" ?disabled=${busy} @click=${() => this.toggle(d)}>
              ${d.status === 'enabled' ? msg('Disable') : msg('Enable')}<span class="visually-hidden"> ${d.name}</span>
            </button>`}
        ${d.status !== 'setup'
          ? html`<button class="button" type="button" @click=${() => this.startSetup({ directory: d, step: 'wait' })}>${msg(html`Recent requests<span class="visually-hidden"> of ${d.name}</span>`)}</button>`
          : nothing}
        <sso-action-menu context=${d.name} .items=${items} @sso-menu-select=${(e: SsoMenuSelectEvent) => this.onAction(d, e.item)}></sso-action-menu>
      </div>
    </li>`;
  }

  private get dialog(): SsoConfirmDialog {
    return this.renderRoot.querySelector('sso-confirm-dialog')!;
  }

  private async toggle(d: Directory): Promise<void> {
    const enable = d.status !== 'enabled';
    if (
      !enable &&
      !(await this.dialog.ask({
        title: msg(str`Disable ${d.name}?`),
        body: [msg('Its SCIM requests are refused from now on: new users are not created and people who leave are not deactivated here. The users and groups already synced are kept.')],
        confirmLabel: msg('Disable'),
        tone: 'danger',
      }))
    ) {
      return;
    }
    await this.act(d, async (adapter) => {
      const updated = await adapter.setDirectoryEnabled!(d.id, enable, { version: d.version });
      this.dispatchEvent(enable ? new SsoDirectoryEnabledEvent(updated) : new SsoDirectoryDisabledEvent(updated));
      this.announcer?.announce(enable ? msg(str`${updated.name} enabled.`) : msg(str`${updated.name} disabled.`));
    });
  }

  private async onAction(d: Directory, item: string): Promise<void> {
    if (item === 'regenerate') {
      await this.startSetup({ directory: d, step: 'connect', regenerate: true });
      return;
    }
    if (
      await this.dialog.ask({
        title: msg(str`Delete ${d.name}?`),
        body: [msg('Its token stops working at once, and the users and groups it synced are deleted here. Your identity provider is not changed: turn provisioning off there too.')],
        confirmLabel: msg('Delete'),
        tone: 'danger',
      })
    ) {
      await this.act(d, async (adapter) => {
        await adapter.deleteDirectory!(d.id);
        this.announcer?.announce(msg(str`${d.name} deleted.`));
      });
      this.focusHeading();
    }
  }

  /** Runs an action on a directory, then reloads the list; a failure is shown on the directory. */
  private async act(d: Directory, action: (adapter: NonNullable<SsoPortalElement['adapter']>) => Promise<void>): Promise<void> {
    if (!this.adapter) return;
    this.busy = d.id;
    this.actionError = undefined;
    try {
      await action(this.adapter);
    } catch (error) {
      this.actionError = { id: d.id, error: toPortalError(error) };
    } finally {
      this.busy = undefined;
    }
    await this.reload();
  }

  private async onSetupEnd(): Promise<void> {
    this.setup = undefined;
    await this.reload();
    this.focusHeading();
  }
}

defineElement('sso-directory-section', SsoDirectorySection);

declare global {
  interface HTMLElementTagNameMap {
    'sso-directory-section': SsoDirectorySection;
  }
}
