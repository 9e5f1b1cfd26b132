// Where the extension runs: the one list of hosts, read by the manifest (wxt.config.ts:
// host permissions, web-accessible resources) and by the content script's `matches`.
// No imports, so the build config can load it.

/** The Agent Workspace: the only hosts of the store builds. */
export const STORE_HOSTS = ['https://*.liveperson.net/*'];
/** The local demo workspace: only in the demo build (`wxt build --mode demo`, `npm start`,
 *  the e2e tests) and `wxt` dev, never on every user's local apps. */
export const DEMO_HOSTS = ['http://localhost/*', 'http://127.0.0.1/*'];
export const DEMO_MODES = ['demo', 'development'];

export const hostsFor = (mode: string) => (DEMO_MODES.includes(mode) ? [...STORE_HOSTS, ...DEMO_HOSTS] : STORE_HOSTS);
