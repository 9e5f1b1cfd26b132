import { defineConfig } from 'wxt';
import { hostsFor } from './extension/host/hosts';

// The browser extension: "Audit trail" in the Agent Workspace's account-settings menu, an
// in-context history panel and the full, account-wide audit trail page.
// Preact comes in through `jsxImportSource` (WXT has no Preact module).
export default defineConfig({
  srcDir: 'extension',
  // Explicit imports everywhere: a reader sees where `browser` or `defineContentScript` come from.
  imports: false,
  publicDir: 'extension/public',
  manifest: ({ browser, mode }) => ({
    name: 'Audit Trail for Agent Workspace',
    short_name: 'Audit Trail',
    // At most 132 characters (the Chrome Web Store's limit; test/node/manifests.test.ts checks).
    description:
      'Who changed a user, skill or agent group, when, from what to what: in the Agent Workspace, with an account-wide trail and export.',
    // downloads: exports stream to disk from a single-use link (never through messaging).
    permissions: ['storage', 'downloads'],
    // The Agent Workspace (and, in the demo build, the local demo workspace). The API origin is
    // asked for at runtime from the options page (optional host permission).
    host_permissions: hostsFor(mode),
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // The panel's UI, loaded by the content script on first use (keeps the content script small).
    web_accessible_resources: [{ resources: ['panel.js'], matches: hostsFor(mode) }],
    ...(browser === 'firefox'
      ? {
          // MV2 has no optional_host_permissions: the same patterns go in optional_permissions.
          optional_permissions: ['https://*/*', 'http://*/*'],
          browser_specific_settings: {
            gecko: {
              id: 'audit-trail@audit-trail.dev',
              // data_collection_permissions (required by addons.mozilla.org) needs Firefox 140 / Android 142.
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
  hooks: {
    // The content script declares the store hosts (host/hosts.ts); the demo build adds the local ones.
    'build:manifestGenerated': (wxt, manifest) => {
      const hosts = hostsFor(wxt.config.mode);
      for (const script of manifest.content_scripts ?? []) script.matches = [...new Set([...(script.matches ?? []), ...hosts])];
    },
  },
  zip: {
    // The sources zip (Firefox review) holds what builds the extension, not the Worker or local data;
    // only the Worker's schemas come along (and the tsconfig that declares them): the extension's
    // API types are inferred from them, and its tsconfig references that project.
    includeSources: ['worker/tsconfig.json', 'worker/schemas/**', 'worker/domain/time-zone.ts'],
    excludeSources: [
      'bench-data/**',
      'worker/**',
      'drizzle/**',
      'scripts/**',
      'test/**',
      'docs/**',
      '.wrangler/**',
      '.dev.vars*',
      '**/*.sqlite*',
      'wrangler.jsonc',
      'drizzle.config.ts',
    ],
  },
  vite: () => ({
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  }),
});
