// Makes sure the real programs the tests drive are installed: Chromium (browser tests, e2e) and
// the PostgreSQL server (the SQL layer's tests start a throw-away cluster with its initdb and
// pg_ctl). On Debian as root it installs the missing distribution packages in one apt-get call
// (no browser or database download from anywhere else); elsewhere it explains what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, hasChromium } from './chromium.mjs';

const postgresBin = process.env.POSTGRES_BIN || '/usr/lib/postgresql/15/bin';
const hasPostgres = () => existsSync(join(postgresBin, 'initdb')) && existsSync(join(postgresBin, 'pg_ctl'));

const tools = [
  { name: 'Chromium', package: 'chromium', present: hasChromium, where: chromiumPath, override: 'CHROME_PATH', custom: !!process.env.CHROME_PATH },
  { name: 'PostgreSQL', package: 'postgresql', present: hasPostgres, where: postgresBin, override: 'POSTGRES_BIN', custom: !!process.env.POSTGRES_BIN },
];
const missing = tools.filter((tool) => !tool.present());
if (missing.length === 0) process.exit(0);

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && missing.every((tool) => !tool.custom);
if (!canApt) {
  for (const tool of missing) {
    console.error(`${tool.name} was not found at ${tool.where}. Install it (Debian/Ubuntu: apt-get install ${tool.package}) or point ${tool.override} at it.`);
  }
  process.exit(1);
}
const packages = missing.map((tool) => tool.package);
console.log(`Installing Debian's ${packages.join(' and ')} package${packages.length > 1 ? 's' : ''} for the tests (a minute or two)...`);
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
for (const tool of missing) {
  if (!tool.present()) {
    console.error(`apt-get finished but ${tool.name} is still missing at ${tool.where}.`);
    process.exit(1);
  }
}
