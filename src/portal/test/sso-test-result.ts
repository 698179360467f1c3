import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { literal, html as staticHtml, type StaticValue } from 'lit/static-html.js';
import type { AttributeMapping, Protocol, ServiceProvider, TestResult } from '../../core/model.js';
import { loadTestRemedies } from '../../core/providers/test-remedies.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import { FIELDS, diagnoseTest, fieldLabels, summarizeProfile, type DetailRow, type ProfileField, type TestDiagnosis } from '../../core/test-diagnosis.js';
import { activeLocale } from '../localize/active-locale.js';
import { msg, str } from '../localize/msg.js';
import { plural } from '../localize/plural.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { shared } from '../styles/shared.js';
import { richText } from '../ui/field.js';
import '../ui/sso-copy-field.js';

const HEADINGS: Record<number, StaticValue> = {
  2: literal`h2`,
  3: literal`h3`,
  4: literal`h4`,
  5: literal`h5`,
  6: literal`h6`,
};

const ICONS = { success: '✓', failure: '✕', pending: '…' } as const;

/** The tag on a received attribute that the mapping uses. */
function mappedLabel(field: ProfileField): string {
  switch (field) {
    case 'email':
      return msg('mapped to email');
    case 'firstName':
      return msg('mapped to first name');
    case 'lastName':
      return msg('mapped to last name');
    default:
      return msg('mapped to groups');
  }
}

/** `**labels**` in bold, and attribute names quoted “like this” as code; never HTML. */
function messageText(text: string) {
  return text.split(/(“[^”]*”)/g).map((part) => (part.startsWith('“') && part.endsWith('”') && part.length > 2 ? html`<code>${part.slice(1, -1)}</code>` : richText(part)));
}

/**
 * The outcome of a test login, explained: for a success, who signed in, where the attribute
 * mapping does not fit what arrived, and every attribute or claim received; for a failure, the
 * code, what it means, what to change in this identity provider's console, and the expected
 * and received values side by side.
 *
 * Renders what `diagnoseTest()` (`core/test-diagnosis.ts`) says about `result`. Every value
 * from the identity provider is shown as text, isolated from the surrounding text direction.
 * The element has no live region: the portal announces results through its own; call
 * `focusHeading()` to move focus to the result when it arrives.
 *
 * It is a block that takes its container's width (it is a size container, so its tables
 * switch to one card per row below 32rem); colours come from the `--sso-*` tokens.
 *
 * @tagname sso-test-result
 * @summary The explained result of a test login.
 * @csspart base - The whole result.
 * @csspart headline - The heading: "The test login worked" or "The test login failed".
 * @csspart code - Failures: the short name and the raw failure code.
 * @csspart meaning - Failures: what the failure means.
 * @csspart remedy - Failures: what to change, with our value to paste when one applies.
 * @csspart details - Failures: the table of expected and received values.
 * @csspart warnings - Successes: what real sign-ins still need (`TestResult.warnings`), e.g. a verified domain.
 * @csspart mapping-gaps - The list of attribute mapping problems.
 * @csspart profile - Successes: the received profile.
 * @csspart attributes - The table of every attribute or claim received.
 */
export class SsoTestResult extends LitElement {
  static override styles = [
    shared,
    css`
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2);
        margin-block-start: var(--sso-space-3);
      }
      :host {
        display: block;
        container-type: inline-size;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .result {
        display: grid;
        gap: var(--sso-space-4);
        padding: var(--sso-space-4);
        border: 1px solid var(--sso-color-border);
        border-inline-start: 4px solid var(--_tone, var(--sso-color-border));
        border-radius: var(--sso-radius-md);
        background: var(--sso-color-surface);
        color: var(--sso-color-text);
      }
      .result--success {
        --_tone: var(--sso-color-success);
        --_tone-bg: var(--sso-color-success-bg);
      }
      .result--failure {
        --_tone: var(--sso-color-danger);
        --_tone-bg: var(--sso-color-danger-bg);
      }
      .head {
        display: flex;
        align-items: center;
        gap: var(--sso-space-2);
      }
      .icon {
        display: inline-grid;
        place-items: center;
        flex: none;
        width: 1.75rem;
        height: 1.75rem;
        border-radius: 50%;
        background: var(--_tone-bg, var(--sso-color-neutral-bg));
        color: var(--_tone, var(--sso-color-neutral));
        font-weight: var(--sso-font-weight-strong);
      }
      .headline {
        font-size: var(--sso-font-size-lg);
      }
      .headline:focus {
        outline: none;
      }
      .sub {
        font-size: var(--sso-font-size-md);
      }
      section {
        display: grid;
        gap: var(--sso-space-2);
        min-width: 0;
      }
      .code-line {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: var(--sso-space-1) var(--sso-space-2);
      }
      code {
        font-family: var(--sso-font-family-mono);
        font-size: var(--sso-font-size-sm);
        overflow-wrap: anywhere;
      }
      .raw-code {
        padding: 0 var(--sso-space-1);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-sm);
        background: var(--sso-color-bg);
      }
      .notices {
        display: grid;
        gap: var(--sso-space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .notice {
        padding: var(--sso-space-3);
        border: 1px solid transparent;
        border-inline-start: 4px solid var(--sso-color-warning);
        border-radius: var(--sso-radius-sm);
        background: var(--sso-color-warning-bg);
      }
      .warning {
        display: grid;
        gap: var(--sso-space-2);
      }
      .warning p {
        margin: 0;
      }
      .notice--info {
        border-inline-start-color: var(--sso-color-neutral);
        background: var(--sso-color-neutral-bg);
      }
      .notice-label {
        font-weight: var(--sso-font-weight-strong);
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: var(--sso-space-1) var(--sso-space-3);
        margin: 0;
      }
      dt {
        color: var(--sso-color-text-muted);
      }
      dd {
        margin: 0;
        min-width: 0;
      }
      .list {
        margin: 0;
        padding-inline-start: var(--sso-space-4);
      }
      .value {
        white-space: pre-wrap;
        unicode-bidi: isolate;
      }
      .table {
        width: 100%;
        border-collapse: collapse;
        font-size: var(--sso-font-size-sm);
        table-layout: fixed;
      }
      .table th,
      .table td {
        padding: var(--sso-space-2);
        border-bottom: 1px solid var(--sso-color-border);
        text-align: start;
        vertical-align: top;
        min-width: 0;
      }
      .table thead th {
        color: var(--sso-color-text-muted);
        font-weight: var(--sso-font-weight-strong);
      }
      .table tbody th {
        font-weight: var(--sso-font-weight-strong);
      }
      .attributes col.name {
        width: 40%;
      }
      .details col.item {
        width: 26%;
      }
      .values {
        display: grid;
        gap: var(--sso-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .tag {
        display: inline-block;
        margin-inline-start: var(--sso-space-1);
        padding: 0 var(--sso-space-1);
        border: 1px solid transparent;
        border-radius: var(--sso-radius-sm);
        background: var(--sso-color-neutral-bg);
        color: var(--sso-color-neutral);
        font-family: var(--sso-font-family);
        font-size: var(--sso-font-size-sm);
        font-weight: normal;
        white-space: nowrap;
      }
      .mismatch-flag {
        display: block;
        margin-block-start: var(--sso-space-1);
        color: var(--sso-color-danger);
        font-weight: var(--sso-font-weight-strong);
      }
      .cell-label {
        display: none;
      }
      .count {
        font-weight: normal;
        color: var(--sso-color-text-muted);
      }

      /* Narrow: each table row becomes a small card; the column headers stay for screen readers. */
      @container (max-width: 32rem) {
        dl {
          grid-template-columns: minmax(0, 1fr);
        }
        dd {
          margin-block-end: var(--sso-space-2);
        }
        .table,
        .table tbody,
        .table tr,
        .table th,
        .table td {
          display: block;
          width: auto;
        }
        .table thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
          white-space: nowrap;
        }
        .table tr {
          padding-block: var(--sso-space-2);
          border-bottom: 1px solid var(--sso-color-border);
        }
        .table th,
        .table td {
          padding: var(--sso-space-1) 0;
          border: 0;
        }
        .cell-label {
          display: block;
          color: var(--sso-color-text-muted);
          font-size: var(--sso-font-size-sm);
        }
      }

      @media (forced-colors: active) {
        .result,
        .card,
        .notice,
        .tag,
        .raw-code {
          border-color: CanvasText;
        }
        .icon {
          border: 1px solid CanvasText;
        }
        .mismatch-flag {
          color: Mark;
          forced-color-adjust: none;
          background: Canvas;
        }
      }
    `,
  ];

  /** The test result to explain. Nothing renders without one. */
  @property({ attribute: false }) result?: TestResult;

  /** The connection's identity provider (catalog entry): its console-specific remedies and hints. */
  @property({ attribute: false }) provider?: ProviderDefinition;

  /** The connection's protocol. */
  @property() protocol: Protocol = 'saml';

  /** The connection's attribute mapping, compared with what arrived. */
  @property({ attribute: false }) mapping: AttributeMapping = { email: 'email' };

  /** Our SP values: the one to paste is shown with audience and destination failures. */
  @property({ attribute: false }) serviceProvider?: ServiceProvider;

  /** The level of the result's heading (2-6); sub-headings are one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 4;

  /** Language for dates and times (default: the portal's). */
  @property() locale?: string;

  private diagnosis?: TestDiagnosis;

  /** The diagnostic report's panel is open (issue 15: `sso-report-download`, loaded on the first press). */
  @state() private reportOpen = false;

  /** Moves focus to the result's heading (when the result has just arrived). */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('#headline')?.focus();
  }

  /** A built-in provider's own remedies load before the result shows (once; the generic ones if they cannot). */
  protected override async scheduleUpdate(): Promise<unknown> {
    await loadTestRemedies(this.provider?.id).catch(() => undefined);
    return super.scheduleUpdate();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) this.reportOpen = false;
    // Every update, not only when an input changed: a language switch renders again with none changed.
    this.diagnosis = this.result
      ? diagnoseTest(this.result, { provider: this.provider, protocol: this.protocol, mapping: this.mapping, serviceProvider: this.serviceProvider })
      : undefined;
  }

  private heading(offset: 0 | 1, content: unknown, attrs: { id?: string; className?: string } = {}) {
    const level = Math.min(6, Math.max(2, Math.round(this.headingLevel) || 4) + offset);
    const tag = HEADINGS[level] ?? literal`h6`;
    return staticHtml`<${tag} id=${attrs.id ?? nothing} class=${attrs.className ?? nothing} tabindex=${offset === 0 ? '-1' : nothing} part=${offset === 0 ? 'headline' : nothing}>${content}</${tag}>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'test-result', 'base headline code meaning remedy details warnings mapping-gaps profile attributes');
  }

  override render() {
    const result = this.result;
    const d = this.diagnosis;
    if (!result || !d) return nothing;
    return html`<article part="base" class="result result--${d.status}" aria-labelledby="headline">
      <div class="head">
        <span class="icon" aria-hidden="true">${ICONS[d.status]}</span>
        ${this.heading(0, d.headline, { id: 'headline', className: 'headline' })}
      </div>
      ${d.status === 'success' ? this.renderSuccess(result, d) : d.status === 'failure' ? this.renderFailure(result, d) : html`<p>${d.meaning}</p>`}
      ${d.status === 'pending' ? nothing : this.renderReport(result)}
    </article>`;
  }

  /**
   * "Download report": the report's panel lists what it leaves out, then offers the files.
   * "Login attempts": the connection's last tests and sign-ins with their traces (a dialog).
   */
  private renderReport(result: TestResult) {
    return html`${this.reportOpen ? html`<sso-report-download .test=${result} .serviceProvider=${this.serviceProvider}></sso-report-download>` : nothing}
      <p class="actions">
        ${this.reportOpen ? nothing : html`<button class="button" type="button" part="report" @click=${this.openReport}>${msg('Download report')}</button>`}
        <button class="button" type="button" part="attempts" @click=${this.openAttempts}>${msg('Login attempts')}</button>
      </p>`;
  }

  private async openAttempts(): Promise<void> {
    const { showLoginAttempts } = await import('../traces/sso-login-attempts.js');
    showLoginAttempts(this.renderRoot, this.result!.connectionId);
  }

  private async openReport(): Promise<void> {
    await import('../traces/sso-report-download.js');
    this.reportOpen = true;
  }

  private renderSuccess(result: TestResult, d: TestDiagnosis) {
    return html`${this.renderSummary(result)} ${this.renderWarnings(d)} ${this.renderGaps(d)} ${this.renderProfile(result)} ${this.renderAttributes(result)}`;
  }

  /** What the admin should settle although the test worked (a verified domain, a weak signature): message, what to do, values. */
  private renderWarnings(d: TestDiagnosis) {
    if (!d.warnings.length) return nothing;
    return html`<section aria-labelledby="warnings-heading">
      ${this.heading(1, msg('Before your users sign in'), { id: 'warnings-heading', className: 'sub' })}
      <ul class="notices" part="warnings">
        ${d.warnings.map(
          (w) => html`<li class="notice warning">
            <p class="code-line">
              <strong class="notice-label"><span aria-hidden="true">⚠ </span>${w.title}</strong><code class="raw-code">${w.code}</code>
            </p>
            <p>${w.message}</p>
            ${w.remedy ? html`<p><span class="notice-label">${msg('What to do:')} </span>${richText(w.remedy)}</p>` : nothing}
            ${w.details.length
              ? html`<dl>
                  ${w.details.map(
                    (row) =>
                      html`<dt>${row.label}</dt>
                        <dd>${this.renderValues(row.received ?? row.expected, row.format)}</dd>`,
                  )}
                </dl>`
              : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  /** "Signed in as Ada Lovelace (ada@…), in 2 groups.", each value isolated from the sentence's direction. */
  private renderSummary(result: TestResult) {
    const { name, email, subject, groups, text } = summarizeProfile(result);
    if (!text) return nothing;
    const who = name ?? email ?? subject;
    const value = (v: string) => html`<span class="value">${v}</span>`;
    const user = who ? (name && email ? html`${value(who)} (${value(email)})` : value(who)) : undefined;
    const n = groups.length;
    return html`<p>
      ${user
        ? n
          ? plural(n, { one: () => msg(html`Signed in as ${user}, in ${n} group.`), other: () => msg(html`Signed in as ${user}, in ${n} groups.`) })
          : msg(html`Signed in as ${user}.`)
        : n
          ? plural(n, { one: () => msg(str`Signed in as an unnamed user, in ${n} group.`), other: () => msg(str`Signed in as an unnamed user, in ${n} groups.`) })
          : msg('Signed in as an unnamed user.')}
    </p>`;
  }

  private renderFailure(result: TestResult, d: TestDiagnosis) {
    const name = this.provider?.name;
    const fromProvider = d.remedySource === 'provider' && name;
    return html`<p class="code-line" part="code">
        <strong>${d.title}</strong>${d.code ? html`<code class="raw-code">${d.code}</code>` : nothing}
      </p>
      <p part="meaning">${d.meaning}</p>
      <section part="remedy" class="card" aria-labelledby="remedy-heading">
        ${this.heading(1, fromProvider ? msg(str`What to change in ${name}`) : msg('What to do'), { id: 'remedy-heading', className: 'sub' })}
        <p>${richText(d.remedy)}</p>
        ${d.idpLaunch ? html`<p>${richText(d.idpLaunch)}</p>` : nothing}
        ${d.spValue ? html`<sso-copy-field label=${d.spValue.label} .value=${d.spValue.value}></sso-copy-field>` : nothing}
      </section>
      ${this.renderDetails(d.details)} ${this.renderGaps(d)}
      ${d.code === 'missing_email' ? html`${this.renderProfile(result)} ${this.renderAttributes(result)}` : nothing}`;
  }

  private renderGaps(d: TestDiagnosis) {
    if (!d.mappingGaps.length) return nothing;
    return html`<section aria-labelledby="gaps-heading">
      ${this.heading(1, msg('Attribute mapping'), { id: 'gaps-heading', className: 'sub' })}
      <ul class="notices" part="mapping-gaps">
        ${d.mappingGaps.map(
          (gap) =>
            html`<li class="notice ${gap.severity === 'optional' ? 'notice--info' : ''}">
              <span class="notice-label">${gap.severity === 'required' ? msg('Needs a fix:') : msg('Note:')} </span>${messageText(gap.message)}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderProfile(result: TestResult) {
    const profile = result.profile;
    if (!profile) return nothing;
    const none = html`<span class="muted">${msg('Not received')}</span>`;
    const subjectLabel = this.protocol === 'oidc' ? msg('Subject (sub)') : msg('Name ID');
    const labels = fieldLabels();
    const groups = profile.groups ?? [];
    return html`<section aria-labelledby="profile-heading">
      ${this.heading(1, msg('Who signed in'), { id: 'profile-heading', className: 'sub' })}
      <dl part="profile">
        <dt>${labels.email}</dt>
        <dd>${profile.email ? html`<span class="value">${profile.email}</span>` : none}</dd>
        <dt>${labels.firstName}</dt>
        <dd>${profile.firstName ? html`<span class="value">${profile.firstName}</span>` : none}</dd>
        <dt>${labels.lastName}</dt>
        <dd>${profile.lastName ? html`<span class="value">${profile.lastName}</span>` : none}</dd>
        <dt>${labels.groups}</dt>
        <dd>
          ${groups.length
            ? html`<ul class="list">
                ${groups.map((g) => html`<li><span class="value">${g}</span></li>`)}
              </ul>`
            : none}
        </dd>
        ${profile.subject ? html`<dt>${subjectLabel}</dt><dd><code class="value">${profile.subject}</code></dd>` : nothing}
      </dl>
    </section>`;
  }

  private renderAttributes(result: TestResult) {
    const entries = Object.entries(result.rawAttributes ?? {});
    const oidc = this.protocol === 'oidc';
    const who = this.provider?.name;
    const mappedTo = new Map<string, ProfileField>();
    for (const field of FIELDS) {
      const name = this.mapping[field];
      if (name && !mappedTo.has(name)) mappedTo.set(name, field);
    }
    const n = entries.length;
    const count = oidc
      ? plural(n, { one: () => msg(str`${n} claim`), other: () => msg(str`${n} claims`) })
      : plural(n, { one: () => msg(str`${n} attribute`), other: () => msg(str`${n} attributes`) });
    const sent = who ? msg(str`Everything ${who} sent`) : msg('Everything the identity provider sent');
    return html`<section aria-labelledby="attributes-heading">
      ${this.heading(1, html`${sent} <span class="count">(${count})</span>`, { id: 'attributes-heading', className: 'sub' })}
      ${entries.length
        ? html`<table part="attributes" class="table attributes" role="table" aria-labelledby="attributes-heading">
            <colgroup><col class="name" /><col /></colgroup>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">${oidc ? msg('Claim') : msg('Attribute')}</th>
                <th scope="col" role="columnheader">${msg('Values')}</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              ${entries.map(([name, values]) => {
                const field = mappedTo.get(name);
                return html`<tr role="row">
                  <th scope="row" role="rowheader">
                    <code class="value">${name}</code>${field ? html`<span class="tag">${mappedLabel(field)}</span>` : nothing}
                  </th>
                  <td role="cell">${this.renderValues(values, 'code')}</td>
                </tr>`;
              })}
            </tbody>
          </table>`
        : html`<p class="muted">${oidc ? msg('No claims arrived.') : msg('No attributes arrived.')}</p>`}
    </section>`;
  }

  private renderDetails(rows: DetailRow[]) {
    if (!rows.length) return nothing;
    return html`<section aria-labelledby="details-heading">
      ${this.heading(1, msg('What we expected and what arrived'), { id: 'details-heading', className: 'sub' })}
      <table part="details" class="table details" role="table" aria-labelledby="details-heading">
        <colgroup><col class="item" /><col /><col /></colgroup>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">${msg('Item')}</th>
            <th scope="col" role="columnheader">${msg('Expected')}</th>
            <th scope="col" role="columnheader">${msg('Received')}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${rows.map(
            (row) => html`<tr role="row" class=${row.mismatch ? 'mismatch' : ''}>
              <th scope="row" role="rowheader">${row.label}</th>
              <td role="cell"><span class="cell-label" aria-hidden="true">${msg('Expected')}</span>${this.renderValues(row.expected, row.format)}</td>
              <td role="cell">
                <span class="cell-label" aria-hidden="true">${msg('Received')}</span>${this.renderValues(row.received, row.format)}
                ${row.mismatch ? html`<span class="mismatch-flag">${msg('✕ Does not match')}</span>` : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  private renderValues(values: readonly string[] | undefined, format: DetailRow['format']) {
    if (!values || values.length === 0) {
      return html`<span class="muted"><span aria-hidden="true">—</span><span class="visually-hidden">${msg('none')}</span></span>`;
    }
    const one = (value: string): TemplateResult =>
      format === 'time'
        ? html`<time class="value" datetime=${value}>${this.formatTime(value)}</time>`
        : format === 'code'
          ? html`<code class="value">${value}</code>`
          : html`<span class="value">${value}</span>`;
    if (values.length === 1) return one(values[0]!);
    return html`<ul class="values">
      ${values.map((value) => html`<li>${one(value)}</li>`)}
    </ul>`;
  }

  private formatTime(value: string): string {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return value;
    try {
      return new Intl.DateTimeFormat(this.locale ?? activeLocale.format, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
    } catch {
      return date.toISOString();
    }
  }
}

defineElement('sso-test-result', SsoTestResult);

declare global {
  interface HTMLElementTagNameMap {
    'sso-test-result': SsoTestResult;
  }
}
