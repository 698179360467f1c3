/// <reference types="node" />
/**
 * Crash-safe file writes for the server's data folder (the store, `admin-key`, `secrets.key`,
 * the simulators' keys): the content goes to a temporary file beside the target, created with
 * its final mode, written and fsynced; then it is renamed over the target (or, for
 * {@link createFileAtomically}, linked to it only if there is none) and the folder is fsynced
 * so that the new name itself is durable. A crash at any point leaves the old file or the new
 * one, never an empty or half-written one (at worst a `*.tmp` file, see {@link removeTempFiles}).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';

function tempNameFor(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

async function writeTemp(file: string, content: string, mode: number): Promise<string> {
  // A first start has no data folder yet (a fresh clone's `.data/`): made private, like the files.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = tempNameFor(file);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

/** fsyncs a folder, so that a rename or link in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `content` atomically (temp file, fsync, rename, fsync of the folder). */
export async function writeFileAtomically(file: string, content: string, mode = 0o600): Promise<void> {
  const temp = await writeTemp(file, content, mode);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(file));
}

/**
 * Creates `file` with `content` atomically, only if it does not exist: returns false (and writes
 * nothing) when it does, e.g. because another process made it meanwhile.
 */
export async function createFileAtomically(file: string, content: string, mode = 0o600): Promise<boolean> {
  const temp = await writeTemp(file, content, mode);
  try {
    // link() fails with EEXIST instead of replacing: the exclusive create, complete or not at all.
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDir(dirname(file));
  return true;
}

/** A temporary file older than this is a leftover even if its process id is in use again. */
const STALE_TEMP_MS = 60 * 60 * 1000;

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a crash left beside `file` (`<file>.<pid>.<hex>.tmp`): those of a
 * process that no longer runs, or older than an hour. A writer that is still at work (this
 * process or another one starting at the same time) keeps its file: removing it would fail
 * that writer's rename or link.
 */
export async function removeTempFiles(file: string): Promise<void> {
  const name = basename(file);
  const dir = dirname(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of names) {
    if (!entry.startsWith(`${name}.`) || !entry.endsWith(TEMP_SUFFIX)) continue;
    const path = join(dir, entry);
    const pid = Number(/^\.(\d+)\./.exec(entry.slice(name.length))?.[1]);
    if (Number.isSafeInteger(pid) && pid > 0 && (pid === process.pid || processIsRunning(pid))) {
      const modified = await stat(path).then((info) => info.mtimeMs, () => undefined);
      if (modified === undefined || Date.now() - modified < STALE_TEMP_MS) continue;
    }
    await unlink(path).catch(() => undefined);
  }
}

/** The text of `file`, or undefined when there is none. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
