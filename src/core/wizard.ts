/**
 * The setup wizard as pure state: where the admin is, what they entered (the draft), what each
 * step needs before Next, and how a draft becomes a connection update. The elements render this
 * state and forward intent; they hold no rules of their own.
 */
import type { AttributeMapping, Connection, ConnectionInput, ConnectionPatch, OidcConfigInput, PortalSession, Protocol, SamlBinding, SamlConfig } from './model.js';
import type { FieldIssue } from './model.js';

export * from './views.js';
import type { WizardStep } from './views.js';
import { msg } from '../portal/localize/msg.js';

/**
 * The steps' names, in the language shown when read: getters, so read them at render time and never
 * keep them. Here rather than in `views.ts`, which the element's first load carries: only the wizard shows them.
 */
export const WIZARD_STEP_LABELS: Readonly<Record<WizardStep, string>> = {
  get provider() {
    return msg('Identity provider');
  },
  get guide() {
    return msg('Create the app');
  },
  get configure() {
    return msg('Configure');
  },
  get attributes() {
    return msg('Attributes');
  },
  get test() {
    return msg('Test login');
  },
  get activate() {
    return msg('Activate');
  },
};

// ---------------------------------------------------------------------------------------
// The draft: everything the admin entered, saved or not

/** How the admin gives us the IdP's SAML configuration. */
export type SamlSource = 'url' | 'file' | 'xml' | 'manual';

export interface SamlDraft {
  source: SamlSource;
  metadataUrl: string;
  /** XML from a file or pasted. */
  metadataXml: string;
  fileName: string;
  /** The IdP chosen in an aggregate (`EntitiesDescriptor`). */
  aggregateEntityId: string;
  manual: {
    idpEntityId: string;
    ssoUrl: string;
    ssoBinding: SamlBinding;
    /** PEM/base64 text of each signing certificate. */
    certificates: string[];
  };
  /** What the last successful parse understood, ready to save. */
  understood: SamlConfig | null;
}

export interface OidcDraft {
  issuer: string;
  clientId: string;
  /** Only in memory: never written to browser storage, never read back from the server. */
  clientSecret: string;
  /** True when the saved connection already has a secret. */
  clientSecretSet: boolean;
  scopes: string;
  /** True once discovery was fetched and checked for the current issuer. */
  discoveryChecked: boolean;
}

export interface WizardDraft {
  connectionId: string | null;
  /** The version of the connection this draft was read from (for conflict detection). */
  version: number | null;
  providerId: string | null;
  protocol: Protocol | null;
  saml: SamlDraft;
  oidc: OidcDraft;
  attributeMapping: { email: string; firstName: string; lastName: string; groups: string };
}

export const DEFAULT_SCOPES = 'openid email profile';

export function emptyDraft(): WizardDraft {
  return {
    connectionId: null,
    version: null,
    providerId: null,
    protocol: null,
    saml: {
      source: 'url',
      metadataUrl: '',
      metadataXml: '',
      fileName: '',
      aggregateEntityId: '',
      manual: { idpEntityId: '', ssoUrl: '', ssoBinding: 'redirect', certificates: [''] },
      understood: null,
    },
    oidc: { issuer: '', clientId: '', clientSecret: '', clientSecretSet: false, scopes: DEFAULT_SCOPES, discoveryChecked: false },
    attributeMapping: { email: '', firstName: '', lastName: '', groups: '' },
  };
}

/**
 * The IdP simulator of a development backend is already set up: choosing it fills in its
 * metadata URL, issuer and client (fields the admin already typed are kept).
 */
export function withSimulatorValues(draft: WizardDraft, session: PortalSession | undefined): WizardDraft {
  const simulator = session?.simulator;
  if (draft.providerId !== 'simulator' || !simulator) return draft;
  return {
    ...draft,
    saml: draft.saml.metadataUrl ? draft.saml : { ...draft.saml, source: 'url', metadataUrl: simulator.samlMetadataUrl },
    oidc: {
      ...draft.oidc,
      issuer: draft.oidc.issuer || simulator.oidcIssuer,
      clientId: draft.oidc.clientId || simulator.oidcClientId,
      clientSecret: draft.oidc.clientSecret || (draft.oidc.clientSecretSet ? '' : simulator.oidcClientSecret),
    },
  };
}

/** The draft for editing a saved connection. */
export function draftFromConnection(connection: Connection): WizardDraft {
  const draft = emptyDraft();
  draft.connectionId = connection.id;
  draft.version = connection.version;
  draft.providerId = connection.providerId;
  draft.protocol = connection.protocol;
  if (connection.saml) {
    const saml = connection.saml;
    draft.saml.source = saml.metadataUrl ? 'url' : 'manual';
    draft.saml.metadataUrl = saml.metadataUrl ?? '';
    draft.saml.manual = {
      idpEntityId: saml.idpEntityId,
      ssoUrl: saml.ssoUrl,
      ssoBinding: saml.ssoBinding,
      certificates: [...saml.signingCertificates],
    };
    draft.saml.understood = saml;
  }
  if (connection.oidc) {
    draft.oidc = {
      issuer: connection.oidc.issuer,
      clientId: connection.oidc.clientId,
      clientSecret: '',
      clientSecretSet: connection.oidc.clientSecretSet,
      scopes: connection.oidc.scopes.join(' '),
      discoveryChecked: true,
    };
  }
  const m = connection.attributeMapping;
  draft.attributeMapping = { email: m.email, firstName: m.firstName ?? '', lastName: m.lastName ?? '', groups: m.groups ?? '' };
  return draft;
}

/** Fills the attribute names the provider sends, where the admin has not typed any. */
export function withAttributeDefaults(draft: WizardDraft, defaults: AttributeMapping | undefined): WizardDraft {
  if (!defaults) return draft;
  const current = draft.attributeMapping;
  return {
    ...draft,
    attributeMapping: {
      email: current.email || defaults.email,
      firstName: current.firstName || (defaults.firstName ?? ''),
      lastName: current.lastName || (defaults.lastName ?? ''),
      groups: current.groups || (defaults.groups ?? ''),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Guards: what each step needs before Next

export type StepCheck = { ok: true } | { ok: false; issues: FieldIssue[] };

const OK: StepCheck = { ok: true };

function issues(list: (FieldIssue | false)[]): StepCheck {
  const found = list.filter((i): i is FieldIssue => i !== false);
  return found.length ? { ok: false, issues: found } : OK;
}

/** Whether the admin may leave `step` forward, and if not, which fields to fix. */
export function checkStep(step: WizardStep, draft: WizardDraft): StepCheck {
  switch (step) {
    case 'provider':
      return issues([
        !draft.providerId && { path: 'providerId', message: msg('Choose your identity provider.') },
        !!draft.providerId && !draft.protocol && { path: 'protocol', message: msg('Choose SAML or OpenID Connect.') },
      ]);
    case 'guide':
      return OK;
    case 'configure':
      return draft.protocol === 'oidc' ? checkOidc(draft.oidc) : checkSaml(draft.saml);
    case 'attributes':
      return issues([!draft.attributeMapping.email.trim() && { path: 'attributeMapping.email', message: msg('Enter the attribute that carries the email address.') }]);
    default:
      return OK;
  }
}

function checkSaml(saml: SamlDraft): StepCheck {
  if (saml.understood) return OK;
  const field: Record<SamlSource, string> = {
    url: 'saml.metadataUrl',
    file: 'saml.metadataXml',
    xml: 'saml.metadataXml',
    manual: 'saml.manual.ssoUrl',
  };
  // Reached when nothing usable was entered: the SAML step reads what was entered when the admin continues.
  const message: Record<SamlSource, () => string> = {
    url: () => msg('Enter the metadata URL, so we can read and check it before saving.'),
    file: () => msg('Choose the metadata file, so we can check it before saving.'),
    xml: () => msg('Paste the metadata XML, so we can read and check it before saving.'),
    manual: () => msg('Fill in the fields, so we can check them before saving.'),
  };
  return { ok: false, issues: [{ path: field[saml.source], message: message[saml.source]() }] };
}

function checkOidc(oidc: OidcDraft): StepCheck {
  return issues([
    !oidc.issuer.trim() && { path: 'oidc.issuer', message: msg('Enter the issuer URL.') },
    !!oidc.issuer.trim() && !oidc.discoveryChecked && { path: 'oidc.issuer', message: msg('Check the issuer first, so we know it works.') },
    !oidc.clientId.trim() && { path: 'oidc.clientId', message: msg('Enter the client ID.') },
    !oidc.clientSecret && !oidc.clientSecretSet && { path: 'oidc.clientSecret', message: msg('Enter the client secret.') },
  ]);
}

// ---------------------------------------------------------------------------------------
// From draft to the adapter's inputs

/** Splits "openid email, profile" into scopes, always with `openid`. */
export function parseScopes(text: string): string[] {
  const scopes = text.split(/[\s,]+/).filter(Boolean);
  return scopes.includes('openid') ? [...new Set(scopes)] : ['openid', ...new Set(scopes)];
}

function mappingFromDraft(draft: WizardDraft): AttributeMapping {
  const m = draft.attributeMapping;
  const mapping: AttributeMapping = { email: m.email.trim() || 'email' };
  if (m.firstName.trim()) mapping.firstName = m.firstName.trim();
  if (m.lastName.trim()) mapping.lastName = m.lastName.trim();
  if (m.groups.trim()) mapping.groups = m.groups.trim();
  return mapping;
}

function oidcFromDraft(oidc: OidcDraft): OidcConfigInput {
  const input: OidcConfigInput = { issuer: oidc.issuer.trim(), clientId: oidc.clientId.trim(), scopes: parseScopes(oidc.scopes) };
  if (oidc.clientSecret) input.clientSecret = oidc.clientSecret;
  return input;
}

/** The connection to create when the admin leaves the provider step. */
export function creationInput(draft: WizardDraft): ConnectionInput {
  if (!draft.providerId || !draft.protocol) throw new Error('creationInput needs a provider and a protocol');
  return { protocol: draft.protocol, providerId: draft.providerId, attributeMapping: mappingFromDraft(draft) };
}

/** The update that saves what a step changed. */
export function patchForStep(step: WizardStep, draft: WizardDraft): ConnectionPatch | null {
  switch (step) {
    case 'configure':
      if (draft.protocol === 'saml') return draft.saml.understood ? { saml: draft.saml.understood } : null;
      return { oidc: oidcFromDraft(draft.oidc) };
    case 'attributes':
      return { attributeMapping: mappingFromDraft(draft) };
    default:
      return null;
  }
}

/** What may be kept in browser storage: everything but the client secret. */
export function storableDraft(draft: WizardDraft): WizardDraft {
  return { ...draft, oidc: { ...draft.oidc, clientSecret: '' } };
}

/** Reads a stored draft back, or null when it is not one of ours (old format, tampered). */
export function restoreDraft(value: unknown): WizardDraft | null {
  if (typeof value !== 'object' || value === null) return null;
  const base = emptyDraft();
  const v = value as Partial<WizardDraft>;
  if (typeof v.saml !== 'object' || typeof v.oidc !== 'object' || typeof v.attributeMapping !== 'object') return null;
  return {
    ...base,
    ...v,
    saml: { ...base.saml, ...v.saml, manual: { ...base.saml.manual, ...v.saml?.manual } },
    oidc: { ...base.oidc, ...v.oidc, clientSecret: '' },
    attributeMapping: { ...base.attributeMapping, ...v.attributeMapping },
  };
}
