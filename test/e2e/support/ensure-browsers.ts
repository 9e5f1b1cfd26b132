// Run before the end-to-end tests (`npm run test:e2e`): makes sure the browsers they drive
// are here — Chromium and Firefox (browsers.ts) — so `npm install && npm test` passes on a
// fresh machine. Like `playwright install --with-deps`, it installs the system packages itself
// where it can (Debian or Ubuntu, as root), and otherwise stops with the one command to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BROWSERS, findBrowser, isPresent, type BrowserName } from './browsers';

function canInstallWithApt(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

const missing = Object.values(BROWSERS).filter((spec) => !isPresent(spec));
if (missing.length) {
  const names = missing.map((spec) => spec.name).join(' and ');
  const packages = missing.map((spec) => spec.apt);
  if (!canInstallWithApt()) {
    console.error(
      `The end-to-end tests need ${names}. Install, then run npm test again:\n` +
        `  Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}\n` +
        `  elsewhere: install ${missing.map((spec) => `${spec.name} and set ${spec.env}=/path/to/it`).join('; ')}`,
    );
    process.exit(1);
  }
  console.log(
    `The end-to-end tests need ${names} and this machine has none: installing Debian's packages (apt-get install ${packages.join(' ')})…`,
  );
  const options = { stdio: 'inherit' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update', '-qq'], options);
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], options);
}
for (const browser of Object.keys(BROWSERS) as BrowserName[])
  console.log(`${BROWSERS[browser].name} for the end-to-end tests: ${findBrowser(browser)}`);
