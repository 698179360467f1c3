/**
 * What a login attempt's trace keeps of the messages (issue 15, point 4): the decoded SAML
 * AuthnRequest and Response, or the OIDC authorization request and answer, redacted before they
 * are stored (`core/login-trace.ts`): no signature value, digest, certificate (its SHA-256
 * fingerprint instead), key or ciphertext; no code, state, nonce, PKCE value or token.
 */
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { TRACE_MESSAGE_MAX, redactXml, redactedParameters, type TraceMessage } from '../../core/login-trace.js';
import type { PendingLogin } from './pending-logins.js';

/** The SHA-256 fingerprint (colon hex) of a base64 DER certificate, for a redacted trace. */
function certificateNote(element: string, content: string): string | undefined {
  if (element !== 'X509Certificate') return undefined;
  const der = Buffer.from(content.replace(/\s+/g, ''), 'base64');
  if (der.length === 0) return undefined;
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return `: certificate SHA-256 ${hex.match(/../g)!.join(':')}`;
}

const xmlMessage = (xml: string): TraceMessage => ({ format: 'xml', body: redactXml(xml, certificateNote) || '(empty)' });

const jsonMessage = (value: unknown): TraceMessage => {
  const body = JSON.stringify(value, null, 2);
  return { format: 'json', body: body.length > TRACE_MESSAGE_MAX ? `${body.slice(0, TRACE_MESSAGE_MAX)}…` : body };
};

/** The AuthnRequest we sent (HTTP-Redirect: deflated in the URL; HTTP-POST: in the form), decoded and redacted. */
export function samlRequestMessage(login: PendingLogin): TraceMessage | undefined {
  try {
    const posted = login.start?.form?.fields.SAMLRequest;
    if (posted) return xmlMessage(Buffer.from(posted, 'base64').toString('utf8'));
    const redirected = login.start?.redirectUrl ? new URL(login.start.redirectUrl).searchParams.get('SAMLRequest') : null;
    if (redirected) return xmlMessage(inflateRawSync(Buffer.from(redirected, 'base64'), { maxOutputLength: 1024 * 1024 }).toString('utf8'));
  } catch {
    // Our own request always decodes; a trace without it is still a trace.
  }
  return undefined;
}

/** The SAMLResponse as posted, decoded (size-capped) and redacted; the text as received when it is not base64. */
export function samlResponseMessage(samlResponse: string): TraceMessage {
  const compact = samlResponse.replace(/\s+/g, '').slice(0, 2 * 1024 * 1024);
  const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : samlResponse.slice(0, TRACE_MESSAGE_MAX);
  return xmlMessage(decoded.replace(/\r\n?/g, '\n'));
}

/** The authorization request we sent: its parameters, one-time values redacted. */
export function oidcRequestMessage(login: PendingLogin): TraceMessage | undefined {
  if (!login.start?.redirectUrl) return undefined;
  const url = new URL(login.start.redirectUrl);
  return jsonMessage({ authorizationEndpoint: `${url.origin}${url.pathname}`, parameters: redactedParameters(url.searchParams) });
}

/** The IdP's answer: the callback's parameters (code and state redacted) and the claims that arrived. */
export function oidcResponseMessage(callbackUrl: string, claims: Record<string, string[]>): TraceMessage {
  return jsonMessage({ callback: redactedParameters(new URL(callbackUrl).searchParams), claims });
}
