/**
 * The part of Auth0's `samlp` (npm, no types of its own) that `samlp-idp.ts` uses. Its
 * middlewares expect Express-like requests and responses: `samlp-idp.ts` adapts node:http ones.
 */
declare module 'samlp' {
  export interface SamlpRequest {
    method: string;
    headers: Record<string, string | string[] | undefined>;
    originalUrl: string;
    protocol: string;
    query: Record<string, string>;
    body: Record<string, string>;
    user?: unknown;
  }
  export interface SamlpResponse {
    set(name: string, value: string): void;
    send(statusOrBody: number | string, body?: unknown): void;
  }
  export type Middleware = (req: SamlpRequest, res: SamlpResponse, next: (error?: unknown) => void) => void;

  export interface PassportProfile {
    id: string;
    displayName?: string;
    name: { givenName?: string; familyName?: string };
    emails: { value: string }[];
  }

  export interface AuthOptions {
    issuer: string;
    cert: string;
    key: string;
    getPostURL(audience: string | undefined, samlRequestDom: unknown, req: SamlpRequest, callback: (error: unknown, postUrl?: string) => void): void;
    getUserFromRequest?(req: SamlpRequest): PassportProfile | undefined;
    audience?: string;
    recipient?: string;
    destination?: string;
    signatureAlgorithm?: 'rsa-sha256' | 'rsa-sha1';
    digestAlgorithm?: 'sha256' | 'sha1';
    signAssertion?: boolean;
    signResponse?: boolean;
    nameIdentifierFormat?: string;
    lifetimeInSeconds?: number;
    /** The SP's encryption certificate and its public key (PEM): the assertion is then encrypted. */
    encryptionCert?: string;
    encryptionPublicKey?: string;
    /** Content encryption (default AES-256-GCM); key transport is RSA-OAEP. */
    encryptionAlgorithm?: string;
    /** Default true: AES-CBC (and 3DES, RSA-1.5) are refused by its xml-encryption 4. */
    disallowEncryptionWithInsecureAlgorithm?: boolean;
    warnOnInsecureEncryptionAlgorithm?: boolean;
    RelayState?: string;
  }
  export function auth(options: AuthOptions): Middleware;

  export interface ParsedRequest {
    issuer?: string;
    assertionConsumerServiceURL?: string;
    destination?: string;
    id?: string;
  }
  export interface ParseRequestOptions {
    /**
     * The SP's request-signing certificate (base64 DER or PEM). With it, a signed request must
     * verify (query signature on HTTP-Redirect, XML signature on HTTP-POST) and an unsigned one
     * is refused. (Its `getCredentials` callback works for LogoutRequests only: samlp 8 has no
     * Issuer path for AuthnRequests.)
     */
    signingCert?: string;
  }
  export function parseRequest(req: SamlpRequest, callback: (error: unknown, data?: ParsedRequest) => void): void;
  export function parseRequest(req: SamlpRequest, options: ParseRequestOptions, callback: (error: unknown, data?: ParsedRequest) => void): void;

  export interface MetadataOptions {
    issuer: string;
    cert: string;
    redirectEndpointPath?: string;
    postEndpointPath?: string;
    logoutEndpointPaths?: { redirect?: string; post?: string };
  }
  export function metadata(options: MetadataOptions): (req: SamlpRequest, res: SamlpResponse) => void;
}
