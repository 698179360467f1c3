/**
 * Copying text to the clipboard, apart from any element (as GitHub's clipboard-copy-element
 * does), so that tests pass a fake clipboard instead of depending on the browser's permission.
 */

/** The part of `navigator.clipboard` this module uses. */
export interface ClipboardLike {
  writeText(text: string): Promise<void>;
}

/**
 * How a copy went. `unavailable`: there is no clipboard API (an insecure `http:` page, an old
 * browser); `rejected`: the browser refused (no permission, the document has no focus).
 */
export type CopyResult = { ok: true } | { ok: false; reason: 'unavailable' | 'rejected'; error?: unknown };

export interface CopyOptions {
  /** The clipboard to write to. Defaults to `navigator.clipboard` (when there is one). */
  clipboard?: ClipboardLike | null;
}

function defaultClipboard(): ClipboardLike | undefined {
  // `navigator.clipboard` is typed as always present, but is missing outside secure contexts.
  const nav = globalThis.navigator as Navigator | undefined;
  return nav?.clipboard;
}

/**
 * Writes `text` to the clipboard. Never throws: the result says whether it worked, so the
 * caller can fall back to selecting the text for the person to copy by hand.
 */
export async function copyText(text: string, { clipboard = defaultClipboard() }: CopyOptions = {}): Promise<CopyResult> {
  if (!clipboard || typeof clipboard.writeText !== 'function') return { ok: false, reason: 'unavailable' };
  try {
    await clipboard.writeText(text);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: 'rejected', error };
  }
}

/** True for macOS and iOS/iPadOS user agents, whose copy shortcut is ⌘C. */
export function isApplePlatform(userAgent: string): boolean {
  return /Mac|iPhone|iPad|iPod/.test(userAgent);
}

/** The keyboard shortcut that copies the selection: `⌘C` on Apple platforms, `Ctrl+C` elsewhere. */
export function copyShortcut(userAgent: string = globalThis.navigator?.userAgent ?? ''): '⌘C' | 'Ctrl+C' {
  return isApplePlatform(userAgent) ? '⌘C' : 'Ctrl+C';
}
