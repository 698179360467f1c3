/**
 * The certificate base64 decoder the metadata reader had before it used the platform's
 * `Uint8Array.fromBase64` (white space removed, checked, padding completed, atob): the reference
 * the reader's decoders are compared with, in Node (test/server/reader-codecs.test.ts) and in
 * Chromium (test/browser/core/base64.test.ts).
 */
export function referenceBase64(text: string): Uint8Array | null {
  let clean = text.replace(/\s+/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return null;
  const remainder = clean.length % 4;
  if (remainder === 1) return null;
  if (remainder > 1) clean += '='.repeat(4 - remainder);
  try {
    return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
