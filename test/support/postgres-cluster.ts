/// <reference types="node" />
/**
 * A throw-away PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl start -w`
 * on a free loopback port (it waits until the server accepts connections), and `stop()` stops
 * it and removes the folder. PostgreSQL refuses to run as root, so as root the binaries run as
 * the `postgres` user (`runuser`), which owns the folder.
 *
 * The binaries are Debian's `postgresql` package (`/usr/lib/postgresql/15/bin`, or
 * `POSTGRES_BIN`). When they are missing this throws, saying to install it: the tests that need
 * a real PostgreSQL fail rather than skip (`.ci/run` installs it).
 */
import { execFile } from 'node:child_process';
import { access, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const POSTGRES_BIN = process.env.POSTGRES_BIN || '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server (fast shutdown: open connections are dropped) and keeps its data: `resume()` starts it again. */
  pause(): Promise<void>;
  /** Starts a paused server again, on the same port with the same data. */
  resume(): Promise<void>;
}

/** A port nothing listens on at 127.0.0.1 (at the moment of asking). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('No free port on 127.0.0.1.');
  return address.port;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('There is no "postgres" user: install Debian\'s postgresql package (apt-get install -y postgresql).');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  try {
    await access(join(POSTGRES_BIN, 'initdb'), constants.X_OK);
    await access(join(POSTGRES_BIN, 'pg_ctl'), constants.X_OK);
  } catch {
    throw new Error(
      `PostgreSQL server binaries not found in ${POSTGRES_BIN}: install Debian's postgresql package (apt-get install -y postgresql), or set POSTGRES_BIN to a folder with initdb and pg_ctl. CI installs it (.ci/run).`,
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'sso-portal-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const command = async (binary: string, args: string[]) => {
    const file = join(POSTGRES_BIN, binary);
    try {
      await (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const serverLog = await readFile(log, 'utf8').catch(() => '');
      throw new Error(`${binary} failed: ${(e.stderr || e.message).trim()}${serverLog ? `\n${serverLog.trim()}` : ''}`, { cause: error });
    }
  };
  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      await command('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) {
      const { uid, gid } = await postgresUser();
      await chown(dir, uid, gid);
    }
    await command('initdb', ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const port = await freeLoopbackPort();
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const start = async () => {
      await command('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', 'start']);
      started = true;
    };
    await start();
    const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    return {
      url: urlOf('postgres'),
      port,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name: ${JSON.stringify(name)}`);
        const client = new pg.Client({ connectionString: urlOf('postgres') });
        await client.connect();
        try {
          await client.query(`create database ${name}`);
        } finally {
          await client.end();
        }
        return urlOf(name);
      },
      stop,
      async pause() {
        if (!started) return;
        started = false;
        await command('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      },
      async resume() {
        if (!started) await start();
      },
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
