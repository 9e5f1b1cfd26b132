// Run before the end-to-end tests (`npm run test:e2e`): makes sure the browsers they drive
// are here — Chromium and Firefox — so `npm install && npm test` passes on a fresh machine.
// Like `playwright install --with-deps`, it installs the system packages itself where it can
// (Debian or Ubuntu, as root), and otherwise stops with the one command to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_CANDIDATES, findChromium } from './chromium';
import { FIREFOX_CANDIDATES, findFirefox } from './firefox';

interface Needed {
  name: string;
  /** Debian's package. */
  apt: string;
  /** Set to a binary's path to use another build. */
  env: string;
  candidates: readonly string[];
  find: () => string;
}

const BROWSERS: Needed[] = [
  { name: 'Chromium', apt: 'chromium', env: 'CHROMIUM_PATH', candidates: CHROMIUM_CANDIDATES, find: findChromium },
  { name: 'Firefox', apt: 'firefox-esr', env: 'FIREFOX_PATH', candidates: FIREFOX_CANDIDATES, find: findFirefox },
];

function canInstallWithApt(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

const missing = BROWSERS.filter((browser) => !process.env[browser.env] && !browser.candidates.some((candidate) => existsSync(candidate)));
if (missing.length) {
  const packages = missing.map((browser) => browser.apt);
  if (!canInstallWithApt()) {
    console.error(
      `The end-to-end tests need ${missing.map((browser) => browser.name).join(' and ')}. Install, then run npm test again:\n` +
        `  Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}\n` +
        `  elsewhere: install ${missing.map((browser) => `${browser.name} and set ${browser.env}=/path/to/it`).join('; ')}`,
    );
    process.exit(1);
  }
  console.log(`The end-to-end tests need ${missing.map((b) => b.name).join(' and ')} and this machine has none: installing Debian's packages (apt-get install ${packages.join(' ')})…`);
  const options = { stdio: 'inherit' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update', '-qq'], options);
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], options);
}
for (const browser of BROWSERS) console.log(`${browser.name} for the end-to-end tests: ${browser.find()}`);
