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

export { LOGO_INK, monogramLogo } from './logo.js';
