// Makes sure the Chromium the tests drive is installed. On Debian as root it installs the
// distribution's package (no browser download from anywhere else); elsewhere it explains.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath, hasChromium } from './chromium.mjs';

if (hasChromium()) process.exit(0);

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROME_PATH;
if (!canApt) {
  console.error(
    `Chromium was not found at ${chromiumPath}.\n` +
      'Install it (Debian/Ubuntu: apt-get install chromium) or point CHROME_PATH at a Chromium or Chrome binary.',
  );
  process.exit(1);
}
console.log('Chromium is missing: installing Debian’s chromium package (about a minute)...');
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
if (!hasChromium()) {
  console.error(`apt-get finished but ${chromiumPath} is still missing.`);
  process.exit(1);
}
