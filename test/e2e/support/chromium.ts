// Finds Chromium for the end-to-end tests, or stops with what to install. Never skips.
import { existsSync } from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    'The end-to-end tests need Chromium and found none (looked at CHROMIUM_PATH and ' +
      `${CHROMIUM_CANDIDATES.join(', ')}). Install Debian's package (sudo apt-get install -y chromium), or run npm run test:e2e, which installs it as root`,
  );
}
