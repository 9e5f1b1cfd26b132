// The browsers the end-to-end tests drive, where each is looked for, and how to get it:
// one table, read by the tests (findBrowser) and by ensure-browsers.ts (which installs what
// is missing). Never skips: a missing browser stops the run with what to install.
import { existsSync } from 'node:fs';

export interface BrowserSpec {
  name: string;
  /** Debian's package. */
  apt: string;
  /** Set to a binary's path to use another build. */
  env: string;
  candidates: readonly string[];
}

export const BROWSERS = {
  chromium: {
    name: 'Chromium',
    apt: 'chromium',
    env: 'CHROMIUM_PATH',
    candidates: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'],
  },
  firefox: {
    name: 'Firefox',
    apt: 'firefox-esr',
    env: 'FIREFOX_PATH',
    candidates: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr'],
  },
} satisfies Record<string, BrowserSpec>;

export type BrowserName = keyof typeof BROWSERS;

/** Whether the browser is here (or named by its environment variable). */
export const isPresent = (spec: BrowserSpec) => !!process.env[spec.env] || spec.candidates.some((candidate) => existsSync(candidate));

export function findBrowser(browser: BrowserName): string {
  const spec: BrowserSpec = BROWSERS[browser];
  const fromEnv = process.env[spec.env];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${spec.env}=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = spec.candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  throw new Error(
    `The end-to-end tests need ${spec.name} and found none (looked at ${spec.env} and ${spec.candidates.join(', ')}). ` +
      `Install Debian's package (sudo apt-get install -y ${spec.apt}), or run npm run test:e2e, which installs it as root`,
  );
}
