/// <reference types="node" />
/**
 * The admin key of `npm run server`: `SSO_PORTAL_ADMIN_KEY`, else `<data>/admin-key` (mode
 * 0600), made once, atomically (a crash never leaves an empty file behind). A damaged file is
 * an error that says what to do.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAtomically, removeTempFiles } from './atomic-file.js';

export const ADMIN_KEY_FILE = 'admin-key';

/** The admin key and where it came from (for the start banner). */
export async function loadOrCreateAdminKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ key: string; source: string }> {
  const fromEnv = env.SSO_PORTAL_ADMIN_KEY?.trim();
  if (fromEnv) return { key: fromEnv, source: 'SSO_PORTAL_ADMIN_KEY' };
  const file = join(dataDir, ADMIN_KEY_FILE);
  await removeTempFiles(file);
  let stored: string | undefined;
  try {
    stored = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (stored !== undefined) {
    const key = stored.trim();
    if (/^[\x21-\x7e]{16,512}$/.test(key)) return { key, source: file };
    throw new Error(
      `${file} ${key === '' ? 'is empty' : 'is damaged (it must hold one key of 16 to 512 visible characters, on one line)'}. ` +
        'Delete it and start again to make a new admin key (nothing else is lost, but whatever used the old key, such as scripts ' +
        'calling the admin API, needs the new one), or set SSO_PORTAL_ADMIN_KEY.',
    );
  }
  const key = `sk_admin_${randomBytes(24).toString('base64url')}`;
  // Another process made it meanwhile: use theirs.
  if (!(await createFileAtomically(file, `${key}\n`, 0o600))) return loadOrCreateAdminKey(dataDir, env);
  return { key, source: `${file} (new)` };
}
