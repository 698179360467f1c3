/** What differs between the admin's draft and the version someone else saved (the wizard's conflict view). Pure. */
import type { Connection } from './model.js';
import { draftFromConnection, type WizardDraft } from './wizard.js';

export interface Conflict {
  theirs: Connection;
  rows: { field: string; mine: string; theirs: string }[];
}

/** The fields where two versions of a connection differ, for the conflict view. */
export function conflictingFields(mine: WizardDraft, theirs: Connection): Conflict['rows'] {
  const other = draftFromConnection(theirs);
  const rows: { field: string; mine: string; theirs: string }[] = [];
  const compare = (field: string, a: string, b: string) => {
    if (a !== b) rows.push({ field, mine: a, theirs: b });
  };
  if (mine.protocol === 'saml') {
    const a = mine.saml.understood;
    const b = other.saml.understood;
    compare('IdP entity ID', a?.idpEntityId ?? '', b?.idpEntityId ?? '');
    compare('SSO URL', a?.ssoUrl ?? '', b?.ssoUrl ?? '');
    compare('Signing certificates', String(a?.signingCertificates.length ?? 0), String(b?.signingCertificates.length ?? 0));
    compare('Metadata URL', a?.metadataUrl ?? '', b?.metadataUrl ?? '');
  } else {
    compare('Issuer', mine.oidc.issuer, other.oidc.issuer);
    compare('Client ID', mine.oidc.clientId, other.oidc.clientId);
    compare('Scopes', mine.oidc.scopes, other.oidc.scopes);
  }
  compare('Email attribute', mine.attributeMapping.email, other.attributeMapping.email);
  compare('First name attribute', mine.attributeMapping.firstName, other.attributeMapping.firstName);
  compare('Last name attribute', mine.attributeMapping.lastName, other.attributeMapping.lastName);
  compare('Groups attribute', mine.attributeMapping.groups, other.attributeMapping.groups);
  return rows;
}
