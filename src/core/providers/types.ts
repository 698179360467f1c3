/**
 * What the portal knows about an identity provider: enough to pick it, to guide the admin
 * through its console, and to prefill what it sends. One module per provider implements
 * {@link ProviderDefinition}; `catalog.ts` lists them.
 */
import type { AttributeMapping, Protocol } from '../model.js';
import type { TestFailureCode } from '../test-failures.js';

/** Our service-provider values that a guide shows inline, each in a copy field. */
export type SpValueKey = 'entityId' | 'acsUrl' | 'metadataUrl' | 'oidcRedirectUri';

/** A value the admin copies from the portal into the IdP console at this step. */
export interface GuideField {
  /** Which of our values: an SP value, or the attribute/claim name for a profile field. */
  value: SpValueKey | `attribute:${keyof AttributeMapping}`;
  /** The name of the field in the IdP's console, e.g. "Single sign-on URL" (Okta), "Reply URL" (Entra): English in every language, as the console shows it. */
  label: string;
}

/** One numbered instruction of a guide. */
export interface GuideStep {
  /**
   * The instruction, in plain text, through `msg` (docs/i18n.md). `**Text**` marks a label of the
   * IdP console's UI (menu, button, field) and is shown in bold; translations keep those labels
   * in English, as the console shows them. No HTML.
   */
  text: string;
  /** Our values to paste at this step. */
  fields?: GuideField[];
  /** Offer our SP metadata XML for download at this step (IdPs that import SP metadata). */
  offerSpMetadata?: boolean;
  /** Offer one of our certificates as a file at this step, when the backend has one (`ServiceProvider.…CertificateUrl`). */
  offerSpCertificate?: 'signing' | 'encryption';
  /** A tip or warning shown under the instruction. Same markup as `text`. */
  note?: string;
}

export interface HelpLink {
  label: string;
  /** https URL of the IdP's own documentation. */
  url: string;
  /** The protocol this page is about; omitted when it covers both (or the provider has one). */
  protocol?: Protocol;
}

/** Where the admin finds what the configure step asks for, per protocol. */
export interface ConfigureHints {
  /** SAML: what the metadata URL looks like, e.g. `https://login.microsoftonline.com/{tenant-id}/federationmetadata/...`. */
  metadataUrlExample?: string;
  /** SAML: where the console shows the metadata URL or XML. */
  metadataLocation?: string;
  /** OIDC: what the issuer looks like, e.g. `https://{your-domain}.okta.com`. */
  issuerExample?: string;
  /** OIDC: where the console shows the client ID and secret. */
  clientLocation?: string;
}

/**
 * A provider's text (guide, lead, hints, link labels, remedies, IdP-initiated test, attribute
 * hints) is read through getters that call `msg`, so each read answers in the language shown:
 * read it when rendering, never keep it.
 */
export interface ProviderDefinition {
  /** Stable id stored on connections (`Connection.providerId`). */
  readonly id: string;
  /** The product name the admin knows. */
  readonly name: string;
  /** Other names admins search for (e.g. "Azure AD" for Entra ID). */
  readonly aliases?: readonly string[];
  readonly protocols: readonly Protocol[];
  /**
   * For providers with both protocols: the one its guide recommends, preselected when the admin
   * picks the provider (they may still choose the other). Defaults to the first of `protocols`.
   */
  readonly recommendedProtocol?: Protocol;
  /** Shown only when the session is in dev mode. */
  readonly devOnly?: boolean;
  /**
   * A small square logo: complete `<svg>` markup with a `viewBox`, no script, no external
   * reference, no `id` attributes, under 2 kB. A simple mark in the brand colour, not a copy
   * of a trademark.
   */
  readonly logo: string;
  /**
   * The guide's opening, in place of "Open the <name> admin console in another tab and follow
   * these steps", for a provider where there is nothing to open (the IdP Simulator). Same markup
   * as {@link GuideStep.text}.
   */
  readonly guideLead?: string;
  /** Numbered steps for creating the app in the IdP's console, per protocol. */
  readonly guides: Readonly<Partial<Record<Protocol, readonly GuideStep[]>>>;
  /** The attribute (SAML) or claim (OIDC) names this IdP sends or is told to send, per protocol. */
  readonly attributeDefaults: Readonly<Partial<Record<Protocol, AttributeMapping>>>;
  readonly configureHints?: Readonly<Partial<Record<Protocol, ConfigureHints>>>;
  readonly helpLinks: readonly HelpLink[];
  /**
   * What to change in this IdP's console when a test login fails, per protocol and failure
   * code, where it differs from the generic remedy of `TEST_FAILURES`: the screen, the field
   * and the value, in the console's own words. Same markup as {@link GuideStep.text}. The
   * built-in providers keep theirs apart (`loadTestRemedies`, `providers/test-remedies.ts`), so the
   * wizard, which loads a definition for its guide, does not carry them; a host's own provider
   * may set them here.
   */
  readonly testRemedies?: ProviderTestRemedies;
  /**
   * How to start an IdP-initiated test login from this IdP (its dashboard tile, test button or
   * launch URL), per protocol; for protocols without an IdP-initiated flow, says so. Same markup
   * as {@link GuideStep.text}.
   */
  readonly idpInitiatedTest?: Readonly<Partial<Record<Protocol, string>>>;
  /**
   * Where this IdP sends a profile field, or what to add in its console, shown when the field
   * did not arrive under the mapped name, e.g. Entra SAML email: "Entra sends it as
   * http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress". Same markup as
   * {@link GuideStep.text}.
   */
  readonly attributeHints?: Readonly<Partial<Record<Protocol, Readonly<Partial<Record<keyof AttributeMapping, string>>>>>>;
}

/** What the provider list needs of a provider: to show, find and pick it. `summaries.ts` lists them. */
export type ProviderSummary = Pick<ProviderDefinition, 'id' | 'name' | 'aliases' | 'protocols' | 'recommendedProtocol' | 'devOnly' | 'logo'>;

/** A provider's own remedies for failed test logins: per protocol, per failure code (see {@link ProviderDefinition.testRemedies}). */
export type ProviderTestRemedies = Readonly<Partial<Record<Protocol, Readonly<Partial<Record<TestFailureCode, string>>>>>>;
