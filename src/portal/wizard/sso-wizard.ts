import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PortalError, describeError, toPortalError } from '../../core/errors.js';
import { hasCurrentPassingTest } from '../../core/activation.js';
import { lazyLoader } from '../../core/lazy.js';
import type { Connection, FieldIssue } from '../../core/model.js';
import { availableProviders } from '../../core/providers/choose.js';
import { isKnownProvider, loadProvider, loadedProvider } from '../../core/providers/load.js';
import { providerName } from '../../core/providers/names.js';
import type { ProviderDefinition, ProviderSummary } from '../../core/providers/types.js';
import type { Protocol } from '../../core/model.js';
import { OVERVIEW, WIZARD_STEPS, checkStep, creationInput, draftFromConnection, emptyDraft, nextStep, patchForStep, previousStep, withAttributeDefaults, type WizardDraft, type WizardStep } from '../../core/wizard.js';
import { defineElement } from '../define.js';
import { exportParts } from '../parts.js';
import { backendMessage } from '../../core/text.js';
import { activeLocale } from '../localize/active-locale.js';
import { msg, str } from '../localize/msg.js';
import { plural } from '../localize/plural.js';
import { afterPaint } from '../idle.js';
import { SsoPortalElement } from '../portal-element.js';
import { SsoConnectionSavedEvent, SsoErrorEvent, SsoSessionExpiredEvent, type SsoTestCompletedEvent } from '../events.js';
import { SsoNavigateEvent, type SsoDraftChangeEvent } from '../internal-events.js';
import { shared, viewStyles } from '../styles/shared.js';
import '../ui/sso-stepper.js';
import { clearDraft, draftKey, loadDraft, saveDraft } from './draft-storage.js';
import type { Conflict } from '../../core/wizard-conflict.js';
import type { SsoConflictChoiceEvent } from './sso-save-conflict.js';
import type { SsoStepElement } from './step-element.js';

/**
 * Each step's element is its own chunk, loaded when the step is first shown, and the next one
 * is fetched while the admin reads the current one (so no step waits on the network). Exported
 * for tests, which replace a loader to see a failed load.
 */
export const STEP_MODULES: Record<'provider' | 'guide' | 'saml' | 'oidc' | 'attributes' | 'test' | 'activate', () => Promise<unknown>> = {
  provider: () => import('./sso-step-provider.js'),
  guide: () => import('./sso-step-guide.js'),
  saml: () => import('./sso-step-saml.js'),
  oidc: () => import('./sso-step-oidc.js'),
  attributes: () => import('./sso-step-attributes.js'),
  test: () => import('./sso-step-test.js'),
  activate: () => import('./sso-step-activate.js'),
};
type StepModule = keyof typeof STEP_MODULES;

/** Each step's module, loaded once (`core/lazy.ts`); tests replace `STEP_MODULES` entries before a load. */
const stepModules = lazyLoader((name: StepModule) => STEP_MODULES[name]().then(() => true));
const loadStepModule = (name: StepModule) => stepModules.load(name);

/** The module that renders `step` (the configure step has one per protocol). */
function stepModule(step: WizardStep, protocol: Protocol | null | undefined): StepModule {
  if (step === 'configure') return protocol === 'oidc' ? 'oidc' : 'saml';
  return step;
}

/** A step's name (`core/views.ts` keeps them in English for hosts). */
function stepLabel(step: WizardStep): string {
  switch (step) {
    case 'provider':
      return msg('Identity provider');
    case 'guide':
      return msg('Create the app');
    case 'configure':
      return msg('Configure');
    case 'attributes':
      return msg('Attributes');
    case 'test':
      return msg('Test login');
    case 'activate':
      return msg('Activate');
  }
}

const stepperSteps = () => WIZARD_STEPS.map((id) => ({ id, label: stepLabel(id) }));

/**
 * The step region's name, "Step 3 of 6: Configure". A label, not `aria-labelledby`: the step's
 * heading is in the step element's shadow root, which an ID reference cannot reach.
 */
const stepName = (step: WizardStep) => {
  const n = WIZARD_STEPS.indexOf(step) + 1;
  const total = WIZARD_STEPS.length;
  const label = stepLabel(step);
  return msg(str`Step ${n} of ${total}: ${label}`);
};

/**
 * The setup wizard: progress, the current step, Back/Next, saving with conflict handling,
 * and the draft kept in the browser so nothing typed is lost.
 *
 * @tagname sso-wizard
 * @summary Setup wizard.
 * @csspart heading - The wizard's heading.
 * @csspart stepper - The progress through the steps.
 * @csspart step - The current step's content.
 * @csspart actions - The Back and Next buttons.
 */
export class SsoWizard extends SsoPortalElement {
  static override styles = [
    shared,
    viewStyles,
    css`
      /* Inherited by every step: a long URL or fingerprint in a sentence wraps inside 320 px
         (WCAG 1.4.10) instead of widening the page. */
      :host {
        overflow-wrap: anywhere;
      }
      sso-stepper {
        margin-block-end: var(--sso-space-5);
      }
      .step {
        display: grid;
        gap: var(--sso-space-4);
        padding: var(--sso-space-5);
        border: 1px solid var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface-raised);
      }
      @container (max-width: 30rem) {
        .step {
          padding: var(--sso-space-3);
        }
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: var(--sso-space-2);
        margin-block-start: var(--sso-space-4);
      }
      .problem {
        display: grid;
        gap: var(--sso-space-2);
        margin-block-start: var(--sso-space-4);
        padding: var(--sso-space-4);
        border: 1px solid var(--sso-color-danger);
        border-inline-start-width: 4px;
        border-radius: var(--sso-radius-md);
        background: var(--sso-color-danger-bg);
      }
      .step > .problem {
        margin-block-start: 0;
      }
      .problem h3 {
        font-size: var(--sso-font-size-md);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sso-space-2);
      }
    `,
  ];

  @property() step: WizardStep = 'provider';

  /** The connection being edited; unset for a new one. */
  @property({ attribute: false }) connection?: Connection;

  /** How often the test step asks for a result, in ms. */
  @property({ type: Number }) pollInterval = 1000;

  /** How long the test step waits for a login before `timeout`, in ms. */
  @property({ type: Number }) testTimeout = 5 * 60_000;

  /** Comma-separated provider ids the host allows (the portal's `providers` attribute). */
  @property({ attribute: false }) restrictProviders?: string;




  @state() private draft: WizardDraft = emptyDraft();
  @state() private issues: FieldIssue[] = [];
  private wordedIn = activeLocale;
  /** The backend dropped the saved client secret (a new issuer or client ID): its issue says so. */
  private secretDropped = false;
  @state() private saving = false;
  /** The step is finishing work before Next (reading a metadata URL). */
  @state() private preparing = false;
  @state() private saveError?: PortalError;
  @state() private conflict?: Conflict;
  /** The current step's code and provider guide could not be loaded (offline, blocked chunk). */
  @state() private stepLoadError?: PortalError;
  /** Settles when what the current step needs is loaded (its module, the provider's definition). */
  private stepReady: Promise<void> = Promise.resolve();
  /** What is being loaded for the current step (module and provider), so a render does not start it twice. */
  private loadingKey?: string;
  /** Settles when the picked provider's definition is loaded and its attribute names applied. */
  private providerReady: Promise<void> = Promise.resolve();
  private storageKey?: string;
  private abort?: AbortController;
  /** Opened on a saved connection (Edit), rather than to set up a new one. */
  private editing?: boolean;

  async focusHeading(): Promise<void> {
    await this.stepReady.catch(() => undefined);
    await this.updateComplete;
    const step = this.renderRoot.querySelector<SsoStepElement>('.step > *');
    if (step && 'focusHeading' in step) {
      void step.updateComplete.then(() => step.focusHeading());
      return;
    }
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.editing ??= !!this.connection;
    if (!this.storageKey || changed.has('connection')) this.initDraft();
    if (!this.isStepLoaded() && !this.stepLoadError) this.loadStep();
    // After a language switch, the step's own check words the issues shown again.
    if (this.issues.length && this.wordedIn !== activeLocale) {
      const check = checkStep(this.step, this.draft);
      this.issues = this.worded(this.issues.map((i) => (check.ok ? undefined : check.issues.find((c) => c.path === i.path)) ?? i));
    }
    this.wordedIn = activeLocale;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('step') && this.isStepLoaded()) afterPaint(() => this.prefetchNext());
  }

  /** Whether the current step's module and the provider's definition are here (render it now). */
  private isStepLoaded(): boolean {
    const id = this.draft.providerId;
    const providerLoaded = this.step === 'provider' || !id || !isKnownProvider(id) || !!loadedProvider(id);
    return !!stepModules.loaded(stepModule(this.step, this.draft.protocol)) && providerLoaded;
  }

  /** Loads what the current step needs, then renders it; a failure shows a retry. */
  private loadStep(): void {
    const step = this.step;
    const id = this.draft.providerId;
    const key = `${stepModule(step, this.draft.protocol)} ${id ?? ''}`;
    if (key === this.loadingKey) return;
    this.loadingKey = key;
    this.stepReady = Promise.all([loadStepModule(stepModule(step, this.draft.protocol)), step !== 'provider' && id ? loadProvider(id) : undefined]).then(
      () => {
        this.loadingKey = undefined;
        this.stepLoadError = undefined;
        this.requestUpdate();
        afterPaint(() => this.prefetchNext());
      },
      (error: unknown) => {
        this.loadingKey = undefined;
        this.stepLoadError = new PortalError('network', { message: 'This step could not be loaded.', cause: error });
        this.announcer?.announce(describeError(this.stepLoadError).title);
        throw this.stepLoadError;
      },
    );
    this.stepReady.catch(() => undefined);
  }

  /**
   * Fetches what the next step needs while the admin reads this one. Failures wait for the real
   * load. The activation step is reached only through a successful test: it is fetched when one
   * succeeds (`onTestCompleted`), or here when the connection's latest test already did.
   */
  private prefetchNext(): void {
    const to = nextStep(this.step);
    const reachable = to !== 'activate' || (!!this.connection && hasCurrentPassingTest(this.connection));
    if (to && reachable) loadStepModule(stepModule(to, this.draft.protocol)).catch(() => undefined);
    if (this.draft.providerId) loadProvider(this.draft.providerId).catch(() => undefined);
  }

  private readonly onTestCompleted = (event: SsoTestCompletedEvent): void => {
    if (event.result.status === 'success') loadStepModule('activate').catch(() => undefined);
  };

  private retryStep(): void {
    this.stepLoadError = undefined;
    this.loadStep();
    void this.focusHeading();
  }

  private initDraft(): void {
    const org = this.session?.organization.id ?? 'unknown';
    const id = this.connection?.id ?? this.draft.connectionId ?? null;
    if (this.storageKey && id === this.draft.connectionId && this.draft.connectionId) {
      // Same connection, changed by our own test or activation: keep the draft, follow the version.
      if (this.connection && this.connection.version > (this.draft.version ?? 0)) this.draft = { ...this.draft, version: this.connection.version };
      return;
    }
    this.storageKey = draftKey(org, id);
    const stored = loadDraft(this.storageKey);
    if (stored && (!this.connection || stored.version === this.connection.version)) {
      this.draft = stored;
      if (this.connection) this.draft = { ...stored, oidc: { ...stored.oidc, clientSecretSet: this.connection.oidc?.clientSecretSet ?? false } };
      this.announcer?.announce(msg('Your unsaved changes were restored.'));
    } else {
      this.draft = this.connection ? draftFromConnection(this.connection) : emptyDraft();
    }
  }

  private get providerList(): ProviderSummary[] {
    const session = this.session;
    return availableProviders({
      devMode: session?.devMode ?? false,
      protocols: { saml: session?.features.saml ?? true, oidc: session?.features.oidc ?? true },
      restrictTo: this.restrictProviders
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
  }

  /** The picked provider's definition, once loaded; undefined for a provider the catalog does not know. */
  private get provider(): ProviderDefinition | undefined {
    return this.draft.providerId ? loadedProvider(this.draft.providerId) : undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    exportParts(this, 'wizard', 'heading stepper step actions');
  }

  override render() {
    const name = this.connection?.name ?? (this.draft.providerId ? providerName(this.draft.providerId) : 'SSO');
    const heading = this.editing && this.connection ? msg(str`Edit ${name} connection`) : msg('Set up a new SSO connection');
    return html`
      <div class="header">
        <h2 part="heading" tabindex="-1">${heading}</h2>
        <button class="button" type="button" @click=${this.backToOverview}>${msg('Back to connections')}</button>
      </div>
      <sso-stepper part="stepper" .steps=${stepperSteps()} current=${this.step} ?complete=${this.step === 'activate' && this.connection?.status === 'active'}></sso-stepper>
      <section class="step" part="step" aria-label=${stepName(this.step)} @sso-draft-change=${this.onDraftChange} @sso-navigate=${this.relayNavigate} @sso-test-completed=${this.onTestCompleted}>
        ${this.renderStep()}
      </section>
      ${this.conflict ? html`<sso-save-conflict part="conflict" .conflict=${this.conflict} @sso-conflict-choice=${this.onConflictChoice}></sso-save-conflict>` : nothing} ${this.renderSaveError()}
      <div class="actions" part="actions">
        ${previousStep(this.step)
          ? html`<button class="button" type="button" ?disabled=${this.saving || this.preparing} @click=${this.back}>${msg('Back')}</button>`
          : html`<span></span>`}
        ${this.renderNext()}
      </div>
    `;
  }

  /** The current step's element, once its code is here. */
  protected renderStep() {
    if (this.stepLoadError) {
      const { title } = describeError(this.stepLoadError);
      return html`<div class="problem" part="step-error">
        <h3 tabindex="-1">${title}</h3>
        <p>${msg('This step could not be loaded. Check your connection and try again; what you entered is kept.')}</p>
        <p class="muted">${msg(html`Error code: <code>${this.stepLoadError.code}</code>`)}</p>
        <p><button class="button" type="button" @click=${this.retryStep}>${msg('Try again')}</button></p>
      </div>`;
    }
    if (!this.isStepLoaded()) return html`<p class="muted" role="status" aria-busy="true">${msg('Loading…')}</p>`;
    const common = { draft: this.draft, issues: this.issues };
    switch (this.step) {
      case 'provider':
        return html`<sso-step-provider .draft=${common.draft} .issues=${common.issues} .providers=${this.providerList}></sso-step-provider>`;
      case 'guide':
        return html`<sso-step-guide .draft=${common.draft} .issues=${common.issues} .provider=${this.provider} .connection=${this.connection}></sso-step-guide>`;
      case 'configure':
        return this.draft.protocol === 'oidc'
          ? html`<sso-step-oidc .draft=${common.draft} .issues=${common.issues} .provider=${this.provider} .connection=${this.connection}></sso-step-oidc>`
          : html`<sso-step-saml .draft=${common.draft} .issues=${common.issues} .provider=${this.provider} .connection=${this.connection}></sso-step-saml>`;
      case 'attributes':
        return html`<sso-step-attributes .draft=${common.draft} .issues=${common.issues} .provider=${this.provider}></sso-step-attributes>`;
      case 'test':
        return html`<sso-step-test .draft=${common.draft} .provider=${this.provider} .connection=${this.connection} .pollInterval=${this.pollInterval} .timeout=${this.testTimeout}></sso-step-test>`;
      case 'activate':
        return html`<sso-step-activate .draft=${common.draft} .provider=${this.provider} .connection=${this.connection}></sso-step-activate>`;
    }
  }

  private renderNext() {
    if (this.step === 'activate') {
      return html`<button class="button button--primary" type="button" @click=${this.backToOverview}>${msg('Done')}</button>`;
    }
    const saves = this.step === 'provider' || this.step === 'configure' || this.step === 'attributes';
    const label = this.preparing ? msg('Reading…') : this.saving ? msg('Saving…') : saves ? msg('Save and continue') : msg('Continue');
    // While the step's code loads, Next has nothing to save yet; after a failed load it tries again.
    const busy = this.saving || this.preparing || (!this.isStepLoaded() && !this.stepLoadError);
    return html`<button class="button button--primary" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${this.next}>${label}</button>`;
  }

  private renderSaveError() {
    const error = this.saveError;
    if (!error) return nothing;
    const { title, action } = describeError(error);
    return html`<div class="problem" part="save-error">
      <h3>${title}</h3>
      <p>${(error.code === 'validation_failed' && backendMessage(error.message)) || action}</p>
      <p class="muted">${msg(html`Your input is kept. Error code: <code>${error.code}</code>`)}</p>
      ${error.retryable ? html`<p><button class="button" type="button" @click=${this.next}>${msg('Try again')}</button></p>` : nothing}
    </div>`;
  }

  /** A step asks to go elsewhere (the test result's "Go to Domains"): the shell hears it from the wizard. */
  private relayNavigate(event: SsoNavigateEvent): void {
    event.stopPropagation();
    this.dispatchEvent(new SsoNavigateEvent(event.to));
  }

  private onDraftChange(event: SsoDraftChangeEvent): void {
    event.stopPropagation();
    const before = this.draft;
    let after = event.update(before);
    if (after.providerId !== before.providerId || after.protocol !== before.protocol) {
      const provider = after.providerId ? loadedProvider(after.providerId) : undefined;
      const defaults = after.protocol ? provider?.attributeDefaults[after.protocol] : undefined;
      after = withAttributeDefaults({ ...after, attributeMapping: emptyDraft().attributeMapping }, defaults);
      if (after.providerId && !provider && isKnownProvider(after.providerId)) this.providerReady = this.applyProviderDefaults(after.providerId, after.protocol);
    }
    this.draft = after;
    if (this.issues.length) {
      const check = checkStep(this.step, after);
      this.issues = check.ok ? [] : this.issues.filter((i) => check.issues.some((c) => c.path === i.path));
    }
    if (this.storageKey) saveDraft(this.storageKey, after);
  }

  /**
   * Loads a just-picked provider's definition and prefills its attribute names, unless the admin
   * moved on to another provider or protocol meanwhile. A failed load leaves the usual names:
   * the next step's load shows the failure.
   */
  private async applyProviderDefaults(providerId: string, protocol: Protocol | null): Promise<void> {
    const provider = await loadProvider(providerId).catch(() => undefined);
    const draft = this.draft;
    if (!provider || !protocol || draft.providerId !== providerId || draft.protocol !== protocol) return;
    this.draft = withAttributeDefaults({ ...draft, attributeMapping: emptyDraft().attributeMapping }, provider.attributeDefaults[protocol]);
    if (this.storageKey) saveDraft(this.storageKey, this.draft);
  }

  /** The step check's issues, the client secret's saying why it is asked for again once the backend dropped it. */
  private worded(issues: FieldIssue[]): FieldIssue[] {
    const message = msg('The issuer or client ID changed, so the saved client secret was removed: enter the client secret of this client.');
    return this.secretDropped ? issues.map((i) => (i.path === 'oidc.clientSecret' ? { ...i, message } : i)) : issues;
  }

  /** Shows the step's issues, announces them and focuses the first field concerned. */
  private async showIssues(issues: FieldIssue[]): Promise<void> {
    this.issues = issues;
    const count = issues.length;
    const messages = issues.map((i) => i.message).join(' ');
    this.announcer?.announce(plural(count, { one: () => msg(str`One field needs your attention: ${messages}`), other: () => msg(str`${count} fields need your attention: ${messages}`) }));
    await this.updateComplete;
    const step = this.renderRoot.querySelector<SsoStepElement>('.step > *');
    await step?.updateComplete;
    step?.focusFirstInvalid();
  }

  private async next(): Promise<void> {
    if (this.stepLoadError) return this.retryStep();
    if (this.saving || this.preparing || !this.isStepLoaded()) return;
    await this.providerReady;
    const current = this.renderRoot.querySelector<SsoStepElement>('.step > *');
    if (current) {
      // The step finishes what the admin left for us (a metadata URL not read yet), with its own progress.
      this.preparing = true;
      let ready: boolean;
      try {
        ready = await current.beforeContinue();
      } finally {
        this.preparing = false;
      }
      if (!ready) {
        await this.updateComplete;
        await current.updateComplete;
        current.focusFirstInvalid();
        return;
      }
    }
    const check = checkStep(this.step, this.draft);
    if (!check.ok) return this.showIssues(this.worded(check.issues));
    this.issues = [];
    this.secretDropped = false;
    const secretWasSet = this.draft.oidc.clientSecretSet;
    const saved = await this.save(false);
    if (!saved) return;
    // The backend may have dropped what the step relied on: a new issuer or client ID drops the
    // saved client secret (it belongs to the old client). Stay here and ask for it.
    const after = checkStep(this.step, this.draft);
    if (!after.ok) {
      this.secretDropped = secretWasSet && !this.draft.oidc.clientSecretSet;
      return this.showIssues(this.worded(after.issues));
    }
    const to = nextStep(this.step);
    if (to) this.dispatchEvent(new SsoNavigateEvent({ view: 'wizard', step: to, connectionId: this.draft.connectionId ?? undefined }));
  }

  /** Saves what this step changed. `force` overwrites a newer saved version (after a conflict). */
  private async save(force: boolean): Promise<boolean> {
    const adapter = this.adapter;
    if (!adapter) return false;
    const draft = this.draft;
    const creating = this.step === 'provider' && !draft.connectionId;
    const patch = creating ? null : this.step === 'provider' ? { providerId: draft.providerId ?? undefined } : patchForStep(this.step, draft);
    if (!creating && (!patch || !draft.connectionId)) return true;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.saving = true;
    this.saveError = undefined;
    this.announcer?.announce(msg('Saving…'));
    try {
      let connection: Connection;
      if (creating) {
        connection = await adapter.createConnection(creationInput(draft), { signal: abort.signal });
      } else {
        const version = force && this.conflict ? this.conflict.theirs.version : (draft.version ?? 0);
        connection = await adapter.updateConnection(draft.connectionId!, patch!, { version }, { signal: abort.signal });
      }
      this.conflict = undefined;
      this.afterSave(connection, creating);
      return true;
    } catch (error) {
      await this.handleSaveError(toPortalError(error));
      return false;
    } finally {
      this.saving = false;
    }
  }

  private afterSave(connection: Connection, created: boolean): void {
    const oldKey = this.storageKey;
    // A secret the backend now holds is forgotten here; one not sent yet (typed or prefilled before
    // the OIDC step saves it) is kept.
    const secretSaved = connection.oidc?.clientSecretSet ?? false;
    this.draft = {
      ...this.draft,
      connectionId: connection.id,
      version: connection.version,
      oidc: { ...this.draft.oidc, clientSecret: secretSaved ? '' : this.draft.oidc.clientSecret, clientSecretSet: connection.oidc?.clientSecretSet ?? this.draft.oidc.clientSecretSet },
    };
    if (created && oldKey) clearDraft(oldKey);
    this.storageKey = draftKey(this.session?.organization.id ?? 'unknown', connection.id);
    saveDraft(this.storageKey, this.draft);
    this.announcer?.announce(msg('Saved.'));
    this.dispatchEvent(new SsoConnectionSavedEvent(connection, created));
  }

  private async handleSaveError(error: PortalError): Promise<void> {
    if (error.code === 'aborted') return;
    if (error.code === 'conflict' && this.draft.connectionId && this.adapter) {
      try {
        // The conflict view loads with the first conflict (most admins never see one).
        const [theirs, view] = await Promise.all([this.adapter.getConnection(this.draft.connectionId), import('./sso-save-conflict.js')]);
        this.conflict = { theirs, rows: view.conflictingFields(this.draft, theirs) };
        this.announcer?.announce(msg('Someone else saved this connection meanwhile. Choose which version to keep.'));
        return;
      } catch (inner) {
        error = toPortalError(inner);
      }
    }
    this.saveError = error;
    const title = describeError(error).title;
    this.announcer?.announce(msg(str`${title}. Your input is kept.`));
    if (error.code === 'session_expired') this.dispatchEvent(new SsoSessionExpiredEvent());
    else this.dispatchEvent(new SsoErrorEvent(error, 'save'));
  }

  private onConflictChoice(event: SsoConflictChoiceEvent): void {
    if (event.choice === 'mine') void this.keepMine();
    else this.useTheirs();
  }

  private async keepMine(): Promise<void> {
    const saved = await this.save(true);
    if (!saved) return;
    const to = nextStep(this.step);
    if (to) this.dispatchEvent(new SsoNavigateEvent({ view: 'wizard', step: to, connectionId: this.draft.connectionId ?? undefined }));
  }

  private useTheirs(): void {
    const theirs = this.conflict?.theirs;
    if (!theirs) return;
    this.conflict = undefined;
    this.draft = draftFromConnection(theirs);
    if (this.storageKey) saveDraft(this.storageKey, this.draft);
    this.announcer?.announce(msg('Loaded the saved version.'));
  }

  private back(): void {
    const to = previousStep(this.step);
    this.saveError = undefined;
    this.issues = [];
    if (to) this.dispatchEvent(new SsoNavigateEvent({ view: 'wizard', step: to, connectionId: this.draft.connectionId ?? undefined }));
  }

  private backToOverview(): void {
    this.dispatchEvent(new SsoNavigateEvent(OVERVIEW));
  }
}

defineElement('sso-wizard', SsoWizard);

declare global {
  interface HTMLElementTagNameMap {
    'sso-wizard': SsoWizard;
  }
}
