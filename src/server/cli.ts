/// <reference types="node" />
/**
 * `npm run portal -- <command>`: the admin API from a terminal.
 *
 *   org create "<name>"                 org list
 *   link create <orgId> [--hours N]     link list <orgId>      link revoke <linkId>
 *   domain verify <orgId> <domain>
 *
 * SSO_PORTAL_URL (default http://127.0.0.1:4400); SSO_PORTAL_ADMIN_KEY, else the key the
 * server generated in its data folder (SSO_PORTAL_DATA_DIR or .data/).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultDataDir } from './store/json-file-store.js';

const USAGE = `Usage: npm run portal -- <command>
  org create "<name>"               create an organization
  org list                          list organizations
  link create <orgId> [--hours N]   create a portal link (default 168 hours)
  link list <orgId>                 list an organization's links
  link revoke <linkId>              revoke a link (it stops working at once)
  domain verify <orgId> <domain>    mark a domain as verified (method "manual")
Environment: SSO_PORTAL_URL (default http://127.0.0.1:4400), SSO_PORTAL_ADMIN_KEY.`;

class UsageError extends Error {}

async function adminKey(): Promise<string> {
  const fromEnv = process.env.SSO_PORTAL_ADMIN_KEY?.trim();
  if (fromEnv) return fromEnv;
  try {
    return (await readFile(join(defaultDataDir(), 'admin-key'), 'utf8')).trim();
  } catch {
    throw new UsageError('Set SSO_PORTAL_ADMIN_KEY (the server prints it when it starts).');
  }
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = (process.env.SSO_PORTAL_URL || 'http://127.0.0.1:4400').replace(/\/+$/, '');
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${await adminKey()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined;
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: show the text
  }
  if (!response.ok) {
    const problem = parsed as { code?: string; detail?: string };
    throw new Error(`${response.status} ${problem.code ?? ''}: ${problem.detail ?? text}`.trim());
  }
  return parsed;
}

function hoursOption(args: string[]): number | undefined {
  const at = args.indexOf('--hours');
  if (at === -1) return undefined;
  const hours = Number(args[at + 1]);
  if (!Number.isFinite(hours) || hours <= 0) throw new UsageError('--hours needs a positive number.');
  args.splice(at, 2);
  return hours;
}

export async function run(argv: string[]): Promise<unknown> {
  const args = [...argv];
  const [group, action, ...rest] = args;
  const e = encodeURIComponent;
  switch (`${group} ${action}`) {
    case 'org create':
      if (!rest[0]) throw new UsageError('org create needs a name.');
      return call('POST', '/api/admin/organizations', { name: rest.join(' ') });
    case 'org list':
      return call('GET', '/api/admin/organizations');
    case 'link create': {
      const hours = hoursOption(rest);
      if (!rest[0]) throw new UsageError('link create needs an organization id.');
      return call('POST', `/api/admin/organizations/${e(rest[0])}/links`, hours === undefined ? {} : { lifetimeHours: hours });
    }
    case 'link list':
      if (!rest[0]) throw new UsageError('link list needs an organization id.');
      return call('GET', `/api/admin/organizations/${e(rest[0])}/links`);
    case 'link revoke':
      if (!rest[0]) throw new UsageError('link revoke needs a link id.');
      await call('DELETE', `/api/admin/links/${e(rest[0])}`);
      return { revoked: rest[0] };
    case 'domain verify':
      if (!rest[0] || !rest[1]) throw new UsageError('domain verify needs an organization id and a domain.');
      return call('POST', `/api/admin/organizations/${e(rest[0])}/domains/${e(rest[1])}/verify`);
    default:
      throw new UsageError(group ? `Unknown command: ${args.join(' ')}` : 'No command given.');
  }
}

run(process.argv.slice(2)).then(
  (result) => {
    if (result !== undefined) console.log(JSON.stringify(result, null, 2));
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
