// Makes sure the real programs the tests drive are installed: Chromium (browser tests, e2e), the
// PostgreSQL server (the SQL layer's tests start a throw-away cluster with its initdb and pg_ctl)
// and the independent SAML IdPs of test/support/idps: pysaml2 with xmlsec1, and SimpleSAMLphp
// with PHP (served by `php -S`). On Debian as root it
// installs the missing distribution packages in one apt-get call (no browser, database or IdP
// download from anywhere else); elsewhere it explains what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, hasChromium } from './chromium.mjs';

const postgresBin = process.env.POSTGRES_BIN || '/usr/lib/postgresql/15/bin';
const hasPostgres = () => existsSync(join(postgresBin, 'initdb')) && existsSync(join(postgresBin, 'pg_ctl'));

/** Debian's Python (`python3` on PATH may be another one without Debian's packages) with pysaml2, and xmlsec1. */
const hasPysaml2 = () =>
  existsSync('/usr/bin/xmlsec1') && spawnSync('/usr/bin/python3', ['-c', 'import saml2, cryptography'], { stdio: 'ignore' }).status === 0;

/** Debian's SimpleSAMLphp and a PHP CLI with the extensions it needs (dom from php-xml, mbstring). */
const hasSimpleSamlPhp = () =>
  existsSync('/usr/share/simplesamlphp/www/saml2/idp/SSOService.php') &&
  spawnSync('/usr/bin/php', ['-r', 'exit(extension_loaded("dom") && extension_loaded("mbstring") ? 0 : 1);'], { stdio: 'ignore' }).status === 0;

const tools = [
  { name: 'Chromium', package: 'chromium', present: hasChromium, where: chromiumPath, override: 'CHROME_PATH', custom: !!process.env.CHROME_PATH },
  { name: 'PostgreSQL', package: 'postgresql', present: hasPostgres, where: postgresBin, override: 'POSTGRES_BIN', custom: !!process.env.POSTGRES_BIN },
  // Optional where it cannot be installed: its tests then skip, printing why (test/support/idps/pysaml2.ts).
  { name: 'pysaml2 and xmlsec1', packages: ['python3-pysaml2', 'xmlsec1'], present: hasPysaml2, where: '/usr/bin/python3 and /usr/bin/xmlsec1', custom: false, optional: true },
  // Optional likewise (test/support/idps/simplesamlphp.ts). Its package also pulls in a web server (apache2), never started by the tests.
  { name: 'SimpleSAMLphp and PHP', packages: ['simplesamlphp', 'php-cli', 'php-xml', 'php-mbstring'], present: hasSimpleSamlPhp, where: '/usr/share/simplesamlphp and /usr/bin/php', custom: false, optional: true },
];
const missing = tools.filter((tool) => !tool.present());
if (missing.length === 0) process.exit(0);

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && missing.every((tool) => !tool.custom);
if (!canApt) {
  for (const tool of missing) {
    const install = `apt-get install ${(tool.packages ?? [tool.package]).join(' ')}`;
    const what = tool.optional ? 'its tests are skipped' : 'the tests cannot run';
    console.error(`${tool.name} was not found at ${tool.where}: ${what}. Install it (Debian/Ubuntu: ${install})${tool.override ? ` or point ${tool.override} at it` : ''}.`);
  }
  process.exit(missing.every((tool) => tool.optional) ? 0 : 1);
}
const packages = missing.flatMap((tool) => tool.packages ?? [tool.package]);
console.log(`Installing Debian's ${packages.join(' and ')} package${packages.length > 1 ? 's' : ''} for the tests (a minute or two)...`);
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
for (const tool of missing) {
  if (!tool.present()) {
    console.error(`apt-get finished but ${tool.name} is still missing at ${tool.where}.`);
    process.exit(1);
  }
}
