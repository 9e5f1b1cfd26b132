// Run before the end-to-end tests (`npm run test:e2e`): makes sure the browser they drive is
// here, so `npm install && npm test` passes on a fresh machine. Like `playwright install
// --with-deps`, it installs the system package itself where it can (Debian or Ubuntu, as
// root), and otherwise stops with the one command to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_CANDIDATES, findChromium } from './chromium';

function canInstallWithApt(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

function installChromium() {
  console.log("The end-to-end tests need Chromium and this machine has none: installing Debian's package (apt-get install chromium)…");
  const options = { stdio: 'inherit' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update', '-qq'], options);
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], options);
}

const present = process.env.CHROMIUM_PATH || CHROMIUM_CANDIDATES.some((candidate) => existsSync(candidate));
if (!present) {
  if (!canInstallWithApt()) {
    console.error(
      'The end-to-end tests need Chromium. Install it, then run npm test again:\n' +
        '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
        '  elsewhere: install Chromium and set CHROMIUM_PATH=/path/to/chromium',
    );
    process.exit(1);
  }
  installChromium();
}
console.log(`Chromium for the end-to-end tests: ${findChromium()}`);
