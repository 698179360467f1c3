/**
 * Reading SAML metadata through an adapter: on its backend when it can
 * (`PortalAdapter.readSamlMetadata`), so the browser never loads the reader; otherwise, or for a
 * backend without that route (`not_found`, remembered per adapter), here with `parseSamlMetadata`
 * (a URL is downloaded through `fetchMetadata` first). Either way the words are in the language shown.
 */
import { toPortalError } from '../core/errors.js';
import { englishOnly } from '../core/text.js';
import type { MetadataResult } from '../core/saml-metadata.js';
import type { PortalAdapter, RequestOptions, SamlMetadataSource } from './portal-adapter.js';

/** Adapters whose backend answered `not_found` for a metadata read (no such route). */
const backendsWithoutReader = new WeakSet<PortalAdapter>();

export async function readSamlMetadataWith(adapter: PortalAdapter, source: SamlMetadataSource, options: RequestOptions = {}): Promise<MetadataResult> {
  if (adapter.readSamlMetadata && !backendsWithoutReader.has(adapter)) {
    try {
      const result = await adapter.readSamlMetadata(source, options);
      // The backend words it in English: ours, by code, in another language.
      return englishOnly() ? result : (await import('../core/saml-metadata.js')).inShownLanguage(result);
    } catch (error) {
      if (toPortalError(error).code !== 'not_found') throw error;
      backendsWithoutReader.add(adapter);
    }
  }
  const xml = source.url === undefined ? source.xml : await adapter.fetchMetadata(source.url, options);
  const { parseSamlMetadata } = await import('../core/saml-metadata.js');
  return parseSamlMetadata(xml, { entityId: source.entityId });
}
