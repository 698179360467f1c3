/**
 * Building blocks shared by the provider modules: the attribute names most IdPs send or are
 * told to send, and the monogram logo every provider uses.
 */
import type { AttributeMapping } from '../model.js';

/** The standard OpenID Connect claims (`email` and `profile` scopes) plus the usual `groups` claim. */
export const OIDC_STANDARD_CLAIMS: Readonly<AttributeMapping> = Object.freeze({
  email: 'email',
  firstName: 'given_name',
  lastName: 'family_name',
  groups: 'groups',
});

/** The plain SAML attribute names our guides tell the admin to type, where the IdP lets them choose. */
export const SAML_SIMPLE_NAMES: Readonly<AttributeMapping> = Object.freeze({
  email: 'email',
  firstName: 'firstName',
  lastName: 'lastName',
  groups: 'groups',
});

/** The WS-Federation claim types that Microsoft IdPs (and Auth0) send in SAML assertions. */
export const WS_CLAIMS = Object.freeze({
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  /** Entra ID's group claim (object IDs, or names for groups synced from AD). */
  entraGroups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  /** AD FS's "Group" claim type, also Auth0's default for `groups`. */
  group: 'http://schemas.xmlsoap.org/claims/Group',
});

/** The white used for monogram letters; tests check its contrast with every fill. */
export const LOGO_INK = '#ffffff';

/**
 * A 32×32 rounded square in `fill` with a white monogram: readable at 32 px, on light and dark
 * pages alike (fills are chosen for at least 4.5:1 against white). Not a trademark copy.
 */
export function monogramLogo(fill: string, letters: string): string {
  const size = letters.length === 1 ? 18 : letters.length === 2 ? 14 : 11;
  const baseline = Math.round((16 + size * 0.36) * 10) / 10;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">` +
    `<rect width="32" height="32" rx="7" fill="${fill}"/>` +
    `<text x="16" y="${baseline}" fill="${LOGO_INK}" font-family="Arial,Helvetica,sans-serif" font-size="${size}" font-weight="700" text-anchor="middle">${letters}</text>` +
    `</svg>`
  );
}
