/**
 * SCIM PATCH (RFC 7644 §3.5.2) on stored documents: `applyPatch(doc, body, kind)` returns a new
 * document (the input is not changed) and the top-level attributes that changed.
 */
import { ScimError } from './scim-error.js';
import type { ResourceKind } from './scim-schemas.js';
import type { ScimDoc } from './scim-resources.js';

/** Most operations in one PATCH request. */
export const MAX_PATCH_OPERATIONS = 1000;

export interface PatchResult {
  /** The patched document, in stored form (as `parseUserInput`/`parseGroupInput` return). */
  doc: ScimDoc;
  /** Top-level keys of the document whose value changed (an extension's attributes count as its URN). */
  changed: string[];
}

export function applyPatch(doc: ScimDoc, body: unknown, kind: ResourceKind): PatchResult {
  void doc;
  void body;
  void kind;
  throw new ScimError(501, undefined, 'PATCH is not implemented yet.');
}
