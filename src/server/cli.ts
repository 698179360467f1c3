/// <reference types="node" />
/**
 * `npm run portal -- <command>`: the admin API from a terminal.
 *
 *   org create "<name>"                 org list
 *   link create <orgId> [--hours N]     link list <orgId>      link revoke <linkId>
 *   domain verify <orgId> <domain>
 *   encryption-key show|rollover|finish <orgId> <connectionId>
 *   sso <orgId>                         events [--org <orgId>] [--type <types>] [--limit N] [--before <eventId>]
 *   webhook create <url> [--events <types>]   webhook list   webhook delete <endpointId>
 *   webhook deliveries <endpointId>     webhook resend <deliveryId>
 *   directory list <orgId>              directory users|groups <directoryId> [--search <text>] [--limit N] [--after <id>]
 *   rotate-secret-key                   (works on the database itself, not through the API)
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
  encryption-key show <orgId> <connectionId>
                                    a SAML connection's encryption certificates (current, next)
  encryption-key rollover <orgId> <connectionId>
                                    start a rollover: a next key, published and decrypting at once
  encryption-key finish <orgId> <connectionId>
                                    end it once the IdP encrypts for the next certificate
  sso <orgId>                       an organization's SSO state (connections, domains, last sign-in, recent events)
  events [--org <orgId>] [--type <t1,t2>] [--limit N] [--before <eventId>]
                                    the event log (audit log), newest first
  webhook create <url> [--events <t1,t2>] [--description "<text>"]
                                    register a webhook endpoint (prints its signing secret once)
  webhook list                      list webhook endpoints (never their secrets)
  webhook enable|disable|delete <endpointId>
  webhook deliveries <endpointId>   its deliveries with their latest answer, newest first
  webhook resend <deliveryId>       send a delivery again now
  directory list <orgId>            an organization's directories (directory sync: status, counts, last sync)
  directory users <directoryId> [--search <text>] [--active true|false] [--group <groupId>] [--limit N] [--after <userId>]
                                    the users a directory synced (hasMore: ask again with --after the last id)
  directory groups <directoryId> [--search <text>] [--limit N] [--after <groupId>]
                                    the groups a directory synced, with their member counts
  rotate-secret-key                 re-encrypt every stored secret with a new key (see below)
Environment: SSO_PORTAL_URL (default http://127.0.0.1:4400), SSO_PORTAL_ADMIN_KEY.
rotate-secret-key opens the database (DATABASE_URL, else the embedded one in SSO_PORTAL_DATA_DIR or
.data/: stop the server first). With the key file (no SSO_PORTAL_SECRET_KEY) it makes the new key
itself. With SSO_PORTAL_SECRET_KEY (the current key), set SSO_PORTAL_NEW_SECRET_KEY to the new one;
or, after restarting every instance with the new key in SSO_PORTAL_SECRET_KEY and the old one in
SSO_PORTAL_PREVIOUS_SECRET_KEY, run it with those two to re-encrypt what is left with the new key.`;

class UsageError extends Error {}

/** A result printed as it is (not as JSON). */
class PlainText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

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

/** The value of `--name value` (removed from `args`), or undefined. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.`);
  args.splice(at, 2);
  return value;
}

function hoursOption(args: string[]): number | undefined {
  const at = args.indexOf('--hours');
  if (at === -1) return undefined;
  const hours = Number(args[at + 1]);
  if (!Number.isFinite(hours) || hours <= 0) throw new UsageError('--hours needs a positive number.');
  args.splice(at, 2);
  return hours;
}

/** `rotate-secret-key`: the database is opened here (lazily imported: the other commands only call the API). */
async function rotateSecretKeyCommand(env: NodeJS.ProcessEnv): Promise<string> {
  const { createSecretBox } = await import('./secret-box.js');
  const { NEW_SECRET_KEY_ENV, PREVIOUS_SECRET_KEY_ENV, SECRET_KEY_ENV, checkSecretKey, loadSecretKey, parseSecretKey, rotateSecretKey, rotateSecretKeyFile } =
    await import('./secret-key.js');
  const { databaseOptionsFromEnv, openDatabase } = await import('./db/database.js');
  const { defaultDataDir } = await import('./store/json-file-store.js');
  const usingEnv = Boolean(env[SECRET_KEY_ENV]?.trim());
  const newKey = env[NEW_SECRET_KEY_ENV]?.trim();
  if (!usingEnv && newKey) throw new UsageError(`${NEW_SECRET_KEY_ENV} is for a key given in ${SECRET_KEY_ENV}; without it the key file is rotated and the new key made for you.`);
  if (usingEnv && !newKey && !env[PREVIOUS_SECRET_KEY_ENV]?.trim())
    throw new UsageError(`Set ${NEW_SECRET_KEY_ENV} to the new key (32 bytes, base64url or base64, e.g. the output of \`openssl rand -base64 32\`); ${SECRET_KEY_ENV} is the current one.`);
  const dataDir = defaultDataDir(env);
  // Checked before the database opens: a bad key value is an error of its own.
  const loaded = usingEnv ? await loadSecretKey(dataDir, env) : undefined;
  const next = newKey ? createSecretBox(parseSecretKey(newKey, NEW_SECRET_KEY_ENV)) : undefined;
  const database = await openDatabase(databaseOptionsFromEnv(env));
  try {
    const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
    if (!loaded) {
      const done = await rotateSecretKeyFile(database, dataDir);
      return [
        `Re-encrypted ${n(done.clientSecrets, 'client secret')}${done.webhookSecrets ? `, ${n(done.webhookSecrets, 'webhook signing secret')}` : ''} and ${n(done.keys, 'private key')} with a new key (id ${done.keyId}, was ${done.previousKeyId}), now in ${join(dataDir, 'secrets.key')}.`,
        `Next: start the server again. Every instance that shares this database must use this key: copy ${join(dataDir, 'secrets.key')} to each (mode 0600) or set ${SECRET_KEY_ENV} to its content. Back up the new key; the old one no longer opens anything.`,
      ].join('\n');
    }
    await checkSecretKey(database, loaded.secrets, SECRET_KEY_ENV);
    const target = next ?? loaded.secrets;
    const done = await rotateSecretKey(database, loaded.secrets, target);
    const what = `Re-encrypted ${n(done.clientSecrets, 'client secret')}${done.webhookSecrets ? `, ${n(done.webhookSecrets, 'webhook signing secret')}` : ''} and ${n(done.keys, 'private key')} with the key ${target.keyId}.`;
    return next
      ? `${what}\nNext: set ${SECRET_KEY_ENV} to the new key (the value of ${NEW_SECRET_KEY_ENV}) in the environment of every instance, remove ${PREVIOUS_SECRET_KEY_ENV} if set, and restart them; until then instances still running with the old key cannot read the secrets. Back up the new key.`
      : `${what}\nNext: remove ${PREVIOUS_SECRET_KEY_ENV} from the environment of every instance (nothing is sealed with it any more).`;
  } finally {
    await database.close();
  }
}

export async function run(argv: string[]): Promise<unknown> {
  const args = [...argv];
  const [group, action, ...rest] = args;
  if (group === 'rotate-secret-key') {
    if (action !== undefined) throw new UsageError('rotate-secret-key takes no argument (the keys come from the environment).');
    return new PlainText(await rotateSecretKeyCommand(process.env));
  }
  const e = encodeURIComponent;
  if (group === 'sso') {
    if (!action || rest.length) throw new UsageError('sso needs one organization id.');
    return call('GET', `/api/admin/organizations/${e(action)}/sso`);
  }
  if (group === 'events') {
    const list = args.slice(1);
    const query = new URLSearchParams();
    for (const [flag, name] of [['--org', 'organizationId'], ['--type', 'type'], ['--limit', 'limit'], ['--before', 'before'], ['--after', 'after']] as const) {
      const value = option(list, flag);
      if (value !== undefined) query.set(name, value);
    }
    if (list.length) throw new UsageError(`events does not take ${list.join(' ')}.`);
    return call('GET', `/api/admin/events${query.size ? `?${query.toString()}` : ''}`);
  }
  if (group === 'directory' && (action === 'users' || action === 'groups')) {
    const list = rest.slice();
    const query = new URLSearchParams();
    const flags = [['--search', 'search'], ['--limit', 'limit'], ['--after', 'after'], ...(action === 'users' ? [['--active', 'active'], ['--group', 'groupId']] : [])] as const;
    for (const [flag, name] of flags) {
      const value = option(list, flag);
      if (value !== undefined) query.set(name, value);
    }
    if (list.length !== 1) throw new UsageError(`directory ${action} needs one directory id${list.length > 1 ? `, not ${list.join(' ')}` : ''}.`);
    return call('GET', `/api/admin/directories/${e(list[0]!)}/${action}${query.size ? `?${query.toString()}` : ''}`);
  }
  switch (`${group} ${action}`) {
    case 'directory list':
      if (!rest[0] || rest.length > 1) throw new UsageError('directory list needs one organization id.');
      return call('GET', `/api/admin/organizations/${e(rest[0])}/directories`);
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
    case 'encryption-key show':
    case 'encryption-key rollover':
    case 'encryption-key finish': {
      if (!rest[0] || !rest[1]) throw new UsageError(`encryption-key ${action} needs an organization id and a connection id.`);
      const keys = `/api/admin/organizations/${e(rest[0])}/connections/${e(rest[1])}/encryption-keys`;
      return action === 'show' ? call('GET', keys) : call('POST', `${keys}/rollover${action === 'finish' ? '/finish' : ''}`);
    }
    case 'webhook create': {
      const events = option(rest, '--events');
      const description = option(rest, '--description');
      if (!rest[0]) throw new UsageError('webhook create needs a URL.');
      return call('POST', '/api/admin/webhook-endpoints', {
        url: rest[0],
        ...(events ? { eventTypes: events.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
        ...(description ? { description } : {}),
      });
    }
    case 'webhook list':
      return call('GET', '/api/admin/webhook-endpoints');
    case 'webhook enable':
    case 'webhook disable':
      if (!rest[0]) throw new UsageError(`webhook ${action} needs an endpoint id.`);
      return call('PATCH', `/api/admin/webhook-endpoints/${e(rest[0])}`, { enabled: action === 'enable' });
    case 'webhook delete':
      if (!rest[0]) throw new UsageError('webhook delete needs an endpoint id.');
      await call('DELETE', `/api/admin/webhook-endpoints/${e(rest[0])}`);
      return { deleted: rest[0] };
    case 'webhook deliveries':
      if (!rest[0]) throw new UsageError('webhook deliveries needs an endpoint id.');
      return call('GET', `/api/admin/webhook-endpoints/${e(rest[0])}/deliveries`);
    case 'webhook resend':
      if (!rest[0]) throw new UsageError('webhook resend needs a delivery id.');
      return call('POST', `/api/admin/webhook-deliveries/${e(rest[0])}/resend`);
    default:
      throw new UsageError(group ? `Unknown command: ${args.join(' ')}` : 'No command given.');
  }
}

run(process.argv.slice(2)).then(
  (result) => {
    if (result instanceof PlainText) console.log(result.text);
    else if (result !== undefined) console.log(JSON.stringify(result, null, 2));
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
