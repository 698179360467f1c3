/**
 * The explained result of a test login, `<sso-test-result>`, on its own: a success, a success
 * whose attribute mapping misses the email, one story per failure code (built with
 * `simulatedResult`, as the MemoryAdapter does), hostile attribute values, and dark mode.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { defineContextHost } from '../test/support/sso-context-host.js';
import { html } from 'lit';
import { defaultSession } from '../src/adapters/memory-adapter.js';
import { demoConnections } from '../src/adapters/demo-data.js';
import { simulatedResult, type SimulatedOutcome } from '../src/adapters/simulated-tests.js';
import type { AttributeMapping, Connection, Protocol, TestMode, TestResult } from '../src/core/model.js';
import { defaultAttributeMapping, findProvider } from '../src/core/providers/catalog.js';
import { connectionServiceProvider } from '../src/core/sp-metadata.js';
import { TEST_WARNINGS } from '../src/core/test-failures.js';
import '../src/portal/test/sso-test-result.js';
import { themeControls } from './story-helpers.js';


interface Args {
  theme: 'light' | 'dark' | 'auto';
  width: string;
}

const NOW = new Date('2026-03-02T10:00:00.000Z');
const SESSION = defaultSession(NOW);
const [OKTA_SAML, ENTRA_OIDC] = demoConnections(NOW) as [Connection, Connection];

/** A configured connection to `providerId`, with the provider's default attribute names. */
function connection(providerId: string, protocol: Protocol): Connection {
  const base = protocol === 'saml' ? OKTA_SAML : ENTRA_OIDC;
  const id = `conn_${providerId}_${protocol}`;
  return {
    ...structuredClone(base),
    id,
    // The connection's own SP values, as a backend with one SP per connection returns them.
    serviceProvider: connectionServiceProvider(SESSION.serviceProvider, id),
    providerId,
    protocol,
    status: 'configured',
    attributeMapping: defaultAttributeMapping(providerId, protocol),
  };
}

function testResult(outcome: SimulatedOutcome, conn: Connection, mode: TestMode = 'sp', patch: Partial<TestResult> = {}): TestResult {
  return {
    id: `test_${outcome}`,
    connectionId: conn.id,
    mode,
    startedAt: new Date(NOW.getTime() - 25_000).toISOString(),
    completedAt: NOW.toISOString(),
    ...simulatedResult(outcome, { connection: conn, session: SESSION, now: NOW }),
    ...patch,
  };
}

function view(args: Args, result: TestResult, conn: Connection, mapping: AttributeMapping = conn.attributeMapping) {
  return html`<div style="max-width:${args.width}">
    <sso-context-host theme=${args.theme}>
      <sso-test-result
        .result=${result}
        .provider=${findProvider(conn.providerId)}
        .protocol=${conn.protocol}
        .mapping=${mapping}
        .serviceProvider=${conn.serviceProvider ?? SESSION.serviceProvider}
        heading-level="2"
      ></sso-test-result>
    </sso-context-host>
  </div>`;
}

defineContextHost();

const meta: Meta<Args> = {
  title: 'Portal/Test result',
  ...themeControls('760px'),
};
export default meta;
type Story = StoryObj<Args>;

/** A failure of `outcome` on a connection to `providerId`. */
function failure(outcome: SimulatedOutcome, providerId: string, protocol: Protocol, mode: TestMode = 'sp'): Story {
  const conn = connection(providerId, protocol);
  return { render: (args) => view(args, testResult(outcome, conn, mode), conn) };
}

// --- Successes ----------------------------------------------------------------------------
const okta = connection('okta', 'saml');
export const Success: Story = { render: (args) => view(args, testResult('success', okta), okta) };

/** Entra sends the email as its claim URI; the mapping still says `email`. */
const entraSaml = connection('entra-id', 'saml');
export const SuccessWithMappingGaps: Story = {
  render: (args) => view(args, testResult('success', entraSaml), entraSaml, { ...entraSaml.attributeMapping, email: 'email', lastName: 'lastName' }),
};

const entraOidc = connection('entra-id', 'oidc');
export const SuccessOidc: Story = { render: (args) => view(args, testResult('success', entraOidc), entraOidc) };

/** The test worked, but the organization has no verified domain yet: sign-ins would be refused. */
export const SuccessDomainNotVerified: Story = {
  render: (args) => {
    const result = { ...testResult('success', okta), ...simulatedResult('success', { connection: okta, session: SESSION, now: NOW, verifiedDomains: [] }) };
    return view(args, result, okta);
  },
};

/** The test worked, but the IdP signed with SHA-1 (AD FS's old default): accepted, with where to switch to RSA-SHA256. */
export const SuccessSignedWithSha1: Story = {
  render: (args) => {
    const adfs = connection('adfs', 'saml');
    const warning = { code: 'weak_signature_algorithm' as const, ...TEST_WARNINGS.weak_signature_algorithm, details: { signatureAlgorithm: 'rsa-sha1' } };
    return view(args, { ...testResult('success', adfs), warnings: [warning] }, adfs);
  },
};

// --- One story per failure code (named after the code; the result shows its title) ---------
export const SignatureInvalid = failure('signature_invalid', 'okta', 'saml');
export const CertificateMismatch = failure('certificate_mismatch', 'entra-id', 'saml');
export const ResponseUnsigned = failure('response_unsigned', 'onelogin', 'saml');
export const AudienceMismatch = failure('audience_mismatch', 'entra-id', 'saml');
export const DestinationMismatch = failure('destination_mismatch', 'google-workspace', 'saml');
export const AssertionExpired = failure('assertion_expired', 'adfs', 'saml');
export const AssertionNotYetValid = failure('assertion_not_yet_valid', 'adfs', 'saml');
export const IssuerMismatch = failure('issuer_mismatch', 'keycloak', 'saml');
export const MissingEmail = failure('missing_email', 'google-workspace', 'saml');
export const UserDenied = failure('user_denied', 'okta', 'saml');
export const IdpError = failure('idp_error', 'ping', 'saml');
export const OidcInvalidClient = failure('oidc_invalid_client', 'entra-id', 'oidc');
export const OidcIssuerMismatch = failure('oidc_issuer_mismatch', 'okta', 'oidc');
export const Timeout = failure('timeout', 'auth0', 'saml', 'idp');
export const EmailUnverified = failure('email_unverified', 'okta', 'oidc');
export const RequestMismatch = failure('request_mismatch', 'okta', 'saml');
export const ResponseReplayed = failure('response_replayed', 'jumpcloud', 'saml');
export const ResponseMalformed = failure('response_malformed', 'generic-saml', 'saml');

// --- Edge cases ---------------------------------------------------------------------------
const HOSTILE_VALUES = [
  '<img src=x onerror="alert(1)">',
  '<script>alert(document.cookie)</script>',
  '</td></tr></table><h1>broken layout</h1>',
  '**not bold** and __not underlined__',
  'javascript:alert(1)',
  '\u202Egnp.exe (right-to-left override)',
  '{{constructor.constructor("alert(1)")()}}',
  `${'A'.repeat(400)}-no-spaces`,
  'line one\nline two',
];

/** Values and names an IdP (or an attacker controlling a profile field) could send: all text. */
export const HostileAttributes: Story = {
  args: { width: '320px' },
  render: (args) =>
    view(
      args,
      testResult('success', okta, 'sp', {
        profile: {
          email: 'ada@megacorp.example',
          firstName: '<img src=x onerror="alert(1)">',
          lastName: '\u202Eecalevol',
          groups: ['<script>alert(1)</script>', 'Engineering'],
          subject: 'ada@megacorp.example',
        },
        rawAttributes: {
          email: ['ada@megacorp.example'],
          firstName: ['<img src=x onerror="alert(1)">'],
          lastName: ['\u202Eecalevol'],
          groups: ['<script>alert(1)</script>', 'Engineering'],
          '<b onmouseover="alert(1)">attribute name with markup</b>': HOSTILE_VALUES,
          [`urn:example:${'very-long-attribute-name-'.repeat(8)}end`]: ['value'],
          empty: [],
        },
      }),
      okta,
    ),
};

export const Dark: Story = {
  args: { theme: 'dark' },
  render: (args) => view(args, testResult('audience_mismatch', entraSaml), entraSaml),
};

export const DarkSuccess: Story = {
  args: { theme: 'dark' },
  render: (args) => view(args, testResult('success', entraSaml), entraSaml, { ...entraSaml.attributeMapping, email: 'email' }),
};
