/**
 * Reads a body stream as UTF-8 text, at most `max` bytes: past that it stops reading, cancels the
 * stream and answers `undefined` (the caller says "too large" its own way). A missing body is ''.
 */
export async function readTextCapped(stream: ReadableStream<Uint8Array> | null, max: number): Promise<string | undefined> {
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
