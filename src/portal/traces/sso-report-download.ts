import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { buildDiagnosticReport, redactionText, type DiagnosticReport } from '../../core/diagnostic-report.js';
import { describeError, toPortalError, type PortalError } from '../../core/errors.js';
import type { LoginAttempt } from '../../core/login-trace.js';
import type { Connection, ServiceProvider, TestResult } from '../../core/model.js';
import { defineElement } from '../define.js';
import { msg, str } from '../localize/msg.js';
import { SsoPortalElement } from '../portal-element.js';
import { shared } from '../styles/shared.js';

/**
 * "Download report" of a login (issue 15, point 5): builds the diagnostic report
 * (`core/diagnostic-report.ts`) from a login attempt or a test result, lists exactly what it
 * leaves out, then offers the two files (HTML, JSON) as downloads. Everything happens in the
 * browser: the files are made from what the portal already read. A test result's report
 * includes its trace when the adapter keeps login traces (`listLoginAttempts`). Lazy: loaded
 * the first time the admin asks for a report. The panel speaks the portal's language; the files
 * are in English, for whoever the admin sends them to (`core/diagnostic-report.ts` says why).
 *
 * @tagname sso-report-download
 * @summary A login's diagnostic report: what is redacted, and the files to download.
 */
export class SsoReportDownload extends SsoPortalElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .panel {
        display: grid;
        gap: var(--sso-space-2);
        padding: var(--sso-space-3);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-md);
      }
      h3,
      h4,
      h5 {
        font-size: var(--sso-font-size-md);
        margin: 0;
      }
      p,
      ul {
        margin: 0;
      }
      ul {
        padding-inline-start: var(--sso-space-5);
      }
      .downloads {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2);
      }
      .error {
        color: var(--sso-color-danger);
      }
    `,
  ];

  /** The login attempt to report on (its trace included). */
  @property({ attribute: false }) attempt?: LoginAttempt;
  /** Or a test result (its attempt is looked up when the adapter keeps traces). */
  @property({ attribute: false }) test?: TestResult;
  /** The connection; read through the adapter when not given. */
  @property({ attribute: false }) connection?: Connection;
  /** Our SP values (default: the connection's, else the session's). */
  @property({ attribute: false }) serviceProvider?: ServiceProvider;
  /** The clock, for stable stories and tests. */
  @property({ attribute: false }) now?: Date;

  @state() private report?: DiagnosticReport;
  @state() private error?: PortalError;
  #urls: { html: string; json: string } | undefined;
  #abort?: AbortController;

  protected override updated(changed: PropertyValues): void {
    // Again when what it is made of changes, or when the context arrives after the properties.
    if (changed.has('attempt') || changed.has('test') || changed.has('connection') || (!this.report && !this.error && (changed.has('adapter') || changed.has('session')))) {
      void this.build();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
    this.#revoke();
  }

  /** Builds the report from what is given, reading what is missing (the connection, a test's trace). */
  private async build(): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    const connectionId = this.attempt?.connectionId ?? this.test?.connectionId;
    if (!connectionId || (!this.connection && !this.adapter)) return;
    try {
      const options = { signal: abort.signal };
      const connection = this.connection ?? (await this.adapter!.getConnection(connectionId, options));
      let attempt = this.attempt;
      if (!attempt && this.test && this.adapter?.listLoginAttempts) {
        attempt = (await this.adapter.listLoginAttempts(connectionId, options)).find((a) => a.testId === this.test!.id);
      }
      const serviceProvider = this.serviceProvider ?? connection.serviceProvider ?? this.session?.serviceProvider;
      if (!serviceProvider) return;
      if (abort.signal.aborted) return;
      const report = buildDiagnosticReport({
        connection,
        serviceProvider,
        ...(this.session ? { organizationName: this.session.organization.name } : {}),
        ...(attempt ? { attempt } : {}),
        ...(this.test ? { test: this.test } : {}),
        generatedAt: this.now ?? new Date(),
      });
      this.#revoke();
      this.#urls = {
        html: URL.createObjectURL(new Blob([report.html], { type: 'text/html' })),
        json: URL.createObjectURL(new Blob([report.json], { type: 'application/json' })),
      };
      this.error = undefined;
      this.report = report;
    } catch (cause) {
      if (abort.signal.aborted) return;
      this.error = toPortalError(cause);
    }
  }

  #revoke(): void {
    if (!this.#urls) return;
    URL.revokeObjectURL(this.#urls.html);
    URL.revokeObjectURL(this.#urls.json);
    this.#urls = undefined;
  }

  override render() {
    if (this.error) {
      const reason = describeError(this.error).title;
      return html`<div class="panel" role="alert"><p class="error">${msg(str`The report could not be made: ${reason}`)} <code>${this.error.code}</code></p></div>`;
    }
    const report = this.report;
    const urls = this.#urls;
    if (!report || !urls) return html`<div class="panel" aria-busy="true"><p>${msg('Preparing the report…')}</p></div>`;
    return html`<section class="panel" part="base" aria-labelledby="report-heading">
      <h3 id="report-heading">${msg('Diagnostic report')}</h3>
      <p>${msg('For your identity provider’s team or our support, in English: the connection’s settings, our service-provider values, the checks and the decoded messages. Left out of the files:')}</p>
      <ul part="redactions">
        ${report.redactionKinds.map((r) => html`<li>${redactionText(r)}</li>`)}
      </ul>
      <p class="downloads">
        <a class="button button--primary" part="download-html" href=${urls.html} download=${`${report.fileName}.html`}>${msg('Download report (HTML)')}</a>
        <a class="button" part="download-json" href=${urls.json} download=${`${report.fileName}.json`}>${msg('Download data (JSON)')}</a>
      </p>
      ${report.data.login.steps.length ? nothing : html`<p>${msg('This report has no step-by-step trace: only the test result was available.')}</p>`}
    </section>`;
  }
}

defineElement('sso-report-download', SsoReportDownload);

declare global {
  interface HTMLElementTagNameMap {
    'sso-report-download': SsoReportDownload;
  }
}
