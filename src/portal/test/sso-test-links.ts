import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import { formatRelativeTime } from '../../core/format.js';
import type { TestLink, TestLinkWithUrl } from '../../core/test-link-model.js';
import { testFailureTitle } from '../../core/test-titles.js';
import { defineElement } from '../define.js';
import { msg, str } from '../localize/msg.js';
import { exportParts } from '../parts.js';
import { SsoSessionExpiredEvent } from '../events.js';
import { SsoPortalElement } from '../portal-element.js';
import { fieldStyles, textField } from '../ui/field.js';
import { shared } from '../styles/shared.js';
import '../ui/sso-copy-field.js';
import '../ui/sso-status-badge.js';
import { errorNotice, stepStyles } from '../wizard/step-element.js';
import type { SsoStepTest } from '../wizard/sso-step-test.js';

/**
 * The module loads when the admin presses the step's "Test link for a colleague" (its only
 * importer): the element made then opens at once; later ones show the step's button (slotted)
 * until it is pressed.
 */
let pressed = true;

/** What a link's badge says: its status, and once used, how its test went. */
function badgeOf(link: TestLink): { status: 'pending' | 'success' | 'failure' | 'inactive'; label: string } {
  switch (link.status) {
    case 'pending':
      return { status: 'pending', label: msg('Not used yet') };
    case 'expired':
      return { status: 'inactive', label: msg('Expired') };
    case 'revoked':
      return { status: 'inactive', label: msg('Withdrawn') };
    default:
      if (!link.result) return { status: 'failure', label: msg('Did not start') };
      if (link.result.status === 'pending') return { status: 'pending', label: msg('Signing in…') };
      return link.result.status === 'success' ? { status: 'success', label: msg('Passed') } : { status: 'failure', label: msg('Failed') };
  }
}

/** Whether the link's state may still change by itself (the colleague may use it, or their login is under way). */
const moving = (link: TestLink) => link.status === 'pending' || (link.status === 'used' && link.result?.status === 'pending');

/**
 * "Test link for a colleague" (issue 15): the IT admin often has no account in the app's
 * assignment at the IdP, so they make a single-use link (24 hours) for a colleague who has one.
 * Lists the connection's links with their status; a used link shows its test's result in the same
 * view as the admin's own test (`show`, the test step's renderer). Polls while a link may change
 * (the colleague's browser reports to the backend, never to this page). Loaded when the admin
 * opens it, in its own chunk.
 *
 * @tagname sso-test-links
 * @summary Test links for a colleague.
 * @csspart test-links - The section.
 */
export class SsoTestLinks extends SsoPortalElement {
  static override styles = [
    shared,
    fieldStyles,
    stepStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--sso-space-3);
      }
      h4 {
        margin: 0;
      }
      ul {
        display: grid;
        gap: var(--sso-space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: grid;
        gap: var(--sso-space-2);
        padding: var(--sso-space-3);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-md);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sso-space-2);
      }
      .who {
        font-weight: var(--sso-font-weight-strong);
        overflow-wrap: anywhere;
      }
      .head .button {
        margin-inline-start: auto;
      }
      summary {
        cursor: pointer;
        color: var(--sso-color-accent);
      }
    `,
  ];

  /**
   * The test step it sits in (its shadow root's host; no binding, so the step's template, in the
   * size-critical flow, stays small): the connection (its draft's) and the view of a result.
   */
  private get step(): SsoStepTest | undefined {
    const host = (this.getRootNode() as ShadowRoot).host;
    return host?.localName === 'sso-step-test' ? (host as SsoStepTest) : undefined;
  }

  private get connectionId(): string {
    return this.step?.draft.connectionId ?? '';
  }

  /** How often to ask again while a link may change, in ms. */
  @property({ type: Number }) pollInterval = 3000;

  /** Open: the panel; closed: the step's own button (slotted). */
  @state() private open = pressed;
  @state() private links: TestLink[] = [];
  @state() private made?: TestLinkWithUrl;
  @state() private label = '';
  @state() private busy = false;
  @state() private error?: PortalError;
  #timer?: ReturnType<typeof setTimeout>;
  #loaded = false;

  constructor() {
    super();
    pressed = false; // later steps show the button until it is pressed again
  }

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'test', 'test-links');
    if (this.open) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Opened by the admin's press on "Test link for a colleague" (that button is gone): focus goes to what opened.
    if (changed.has('open' as keyof SsoTestLinks) && this.open) this.renderRoot.querySelector<HTMLElement>('h4')?.focus();
  }

  private show(): void {
    this.open = true;
    void this.load();
  }

  override render() {
    if (!this.open) return html`<slot @click=${this.show}></slot>`;
    // The step shows the button whatever the adapter (its template stays small): say so here.
    if (this.adapter && !this.adapter.createTestLink) return html`<p class="muted">${msg('This portal’s backend does not offer test links for colleagues.')}</p>`;
    return html`<section part="test-links" aria-labelledby="links-heading">
      <h4 id="links-heading" tabindex="-1">${msg('Test link for a colleague')}</h4>
      <p class="muted">
        ${msg('No account assigned to the app in your identity provider? Send a link to a colleague who has one: it works once, for 24 hours, and runs the same test from their browser. Their result appears here.')}
      </p>
      <div class="row">
        ${textField({
          id: 'link-label',
          label: msg('Who is it for? (optional)'),
          hint: msg('To tell your links apart, e.g. “Ada, Finance”.'),
          value: this.label,
          onInput: (value) => (this.label = value),
          autocomplete: 'off',
        })}
        <button class="button button--primary" type="button" ?disabled=${this.busy} @click=${this.create}>${msg('Create test link')}</button>
      </div>
      ${this.made
        ? html`<div class="notice notice--success">
            <sso-copy-field
              label=${this.made.label ? msg(str`Test link for ${this.made.label}`) : msg('Test link')}
              .value=${this.made.url}
              hint=${msg('Shown only now. Send it to your colleague: it works once, within 24 hours.')}
            ></sso-copy-field>
          </div>`
        : nothing}
      ${this.error ? errorNotice('error', describeError(this.error).title, describeError(this.error).action, this.error.code) : nothing}
      ${this.links.length ? html`<ul aria-label=${msg('Test links')}>${this.links.map((link, i) => this.renderLink(link, i))}</ul>` : nothing}
    </section>`;
  }

  private renderLink(link: TestLink, index: number) {
    const badge = badgeOf(link);
    const who = link.label ?? msg('A colleague');
    const created = formatRelativeTime(link.createdAt);
    const result = link.result;
    const finished = result && result.status !== 'pending';
    // The newest finished result is open; older ones behind a disclosure.
    const open = finished && this.links.findIndex((l) => l.result && l.result.status !== 'pending') === index;
    return html`<li>
      <div class="head">
        <span class="who">${who}</span>
        <sso-status-badge status=${badge.status} label=${badge.label}></sso-status-badge>
        <span class="muted">${msg(html`created <time datetime=${link.createdAt}>${created}</time>`)}</span>
        ${result?.error ? html`<span>${testFailureTitle(result.error.code)}</span>` : nothing}
        ${link.status === 'pending'
          ? html`<button class="button" type="button" aria-label=${link.label ? msg(str`Withdraw the test link for ${link.label}`) : msg('Withdraw the test link for a colleague')} @click=${() => this.revoke(link)}
              >${msg('Withdraw')}</button
            >`
          : nothing}
      </div>
      ${finished && this.step
        ? html`<details ?open=${open}>
            <summary>${link.label ? msg(str`Result of the test by ${link.label}`) : msg('Result of the colleague’s test')}</summary>
            ${this.step.renderResult(result)}
          </details>`
        : nothing}
    </li>`;
  }

  private async load(): Promise<void> {
    clearTimeout(this.#timer);
    const adapter = this.adapter;
    if (!adapter?.listTestLinks || !this.connectionId) return;
    try {
      const before = new Map(this.links.map((l) => [l.id, l]));
      this.links = await adapter.listTestLinks(this.connectionId);
      if (this.#loaded) this.announceChanges(before);
      this.#loaded = true;
    } catch (error) {
      this.fail(toPortalError(error));
      return;
    }
    if (this.isConnected && this.links.some(moving)) this.#timer = setTimeout(() => void this.load(), this.pollInterval);
  }

  /** Says what changed since the last look: a colleague's test ended. */
  private announceChanges(before: Map<string, TestLink>): void {
    for (const link of this.links) {
      const was = before.get(link.id)?.result?.status;
      const now = link.result?.status;
      if (!now || now === 'pending' || was === now) continue;
      const who = link.label;
      const title = testFailureTitle(link.result?.error?.code);
      this.announcer?.announce(
        now === 'success'
          ? who
            ? msg(str`The test login of ${who} worked.`)
            : msg('The test login of your colleague worked.')
          : who
            ? msg(str`The test login of ${who} failed: ${title}.`)
            : msg(str`The test login of your colleague failed: ${title}.`),
      );
    }
  }

  private async create(): Promise<void> {
    const adapter = this.adapter;
    if (!adapter?.createTestLink || this.busy) return;
    this.busy = true;
    this.error = undefined;
    try {
      const label = this.label.trim();
      this.made = await adapter.createTestLink(this.connectionId, label ? { label } : {});
      this.label = '';
      this.announcer?.announce(msg('Test link created. Copy it and send it to your colleague.'));
      await this.load();
    } catch (error) {
      this.fail(toPortalError(error));
    } finally {
      this.busy = false;
    }
  }

  private async revoke(link: TestLink): Promise<void> {
    const adapter = this.adapter;
    if (!adapter?.revokeTestLink) return;
    this.error = undefined;
    try {
      await adapter.revokeTestLink(link.id);
      if (this.made?.id === link.id) this.made = undefined;
      this.announcer?.announce(msg('Test link withdrawn.'));
      this.renderRoot.querySelector<HTMLElement>('h4')?.focus(); // its button is gone
    } catch (error) {
      this.fail(toPortalError(error));
    }
    await this.load();
  }

  private fail(error: PortalError): void {
    if (error.code === 'aborted') return;
    this.error = error;
    this.announcer?.announce(describeError(error).title);
    if (error.code === 'session_expired') this.dispatchEvent(new SsoSessionExpiredEvent());
  }
}

defineElement('sso-test-links', SsoTestLinks);

declare global {
  interface HTMLElementTagNameMap {
    'sso-test-links': SsoTestLinks;
  }
}
