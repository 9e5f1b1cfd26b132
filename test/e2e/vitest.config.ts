import { defineConfig } from 'vitest/config';

// End-to-end: Debian's Chromium (extension.e2e.test.ts) and Firefox ESR (firefox.e2e.test.ts)
// with the built extension, the demo workspace and a real local Worker (wrangler dev). One
// file at a time: each starts its own Worker and browser.
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
