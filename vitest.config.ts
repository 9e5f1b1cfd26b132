import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';
// With its extension: Vite's config loader warns about extensionless relative imports.
import { freePort } from './scripts/lib/port.ts';

// One test run, several projects: the Worker's tests run inside workerd against a real
// local D1 with the production migrations applied; the extension joins as its own project.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'drizzle'));
  // The simulated LivePerson of the worker project (its globalSetup starts it): on a port free
  // now, not a fixed one, since several checkouts may run tests at the same time.
  const simPort = await freePort();
  // The webhook receiver destinations deliver to in tests (scripts/webhook-receiver), likewise.
  const receiverPort = await freePort();
  return {
    test: {
      projects: [
        {
          // Checks that run in Node: the OpenAPI document, the deploy bundle.
          test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 120_000 },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.jsonc' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  TEST_WEBHOOK_RECEIVER: `http://127.0.0.1:${receiverPort}`,
                  OPERATOR_TOKEN: 'test-operator-token',
                  LIVEPERSON_CSDS_URL: `http://127.0.0.1:${simPort}`,
                  CURSOR_SECRET: 'test-cursor-secret',
                  // Destinations may be http:// on loopback: the receiver runs there. Tests of the
                  // URL guard itself call it with the setting off.
                  DESTINATIONS_ALLOW_INSECURE: 'true',
                  // Seals LivePerson credentials in D1; tests scan D1 for the clear text.
                  CREDENTIALS_KEY: 'test-credentials-key-of-at-least-32-characters',
                  // A key for tests only; production's is a Worker secret.
                  CHECKPOINT_PRIVATE_KEY: JSON.stringify({
                    crv: 'Ed25519',
                    d: 'wXispyl3cc7zViGlyXIyIXptcQPOEpSQRlgI2PHb_OM',
                    x: '0qidzj9zOxSKLtfPg6-PY99tufUqaTPJjGzKDl1FXE8',
                    kty: 'OKP',
                  }),
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts'],
            setupFiles: ['test/worker/apply-migrations.ts'],
            globalSetup: ['scripts/liveperson-sim/vitest-global-setup.ts', 'scripts/webhook-receiver/vitest-global-setup.ts'],
            provide: { livePersonSimPort: simPort, webhookReceiverPort: receiverPort },
            testTimeout: 60_000,
          },
        },
        {
          // The browser extension: happy-dom and WXT's fake browser (needs `wxt prepare` first).
          plugins: [WxtVitest()],
          test: {
            name: 'extension',
            include: ['test/extension/**/*.test.{ts,tsx}'],
            environment: 'happy-dom',
          },
        },
      ],
    },
  };
});
