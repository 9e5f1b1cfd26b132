// Lint for the whole repository (Worker, extension, scripts, tests): ESLint's and
// typescript-eslint's recommended rules, with the few choices this codebase makes.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.output/', '.wxt/', '.wrangler/', 'bench-data/', 'worker/worker-configuration.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  // Layout is Prettier's (npm run format); no lint rule argues with it.
  prettier,
  {
    rules: {
      // Unused names are errors, except a leading underscore says "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The compiler already resolves every name in TypeScript, against the right environment
    // (workers-types, DOM, Node) per tsconfig; no-undef would only repeat it, less accurately.
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: { 'no-undef': 'off' },
  },
  // The few plain JavaScript files each run in one environment; say which.
  { files: ['test/fixtures/agent-workspace/app.js'], languageOptions: { globals: globals.browser } },
  { files: ['extension/tools/make-icons.mjs', 'test/bench/lib/workerd-shim.mjs'], languageOptions: { globals: globals.node } },
  { files: ['test/bench/probe/probe-worker.js'], languageOptions: { globals: globals.serviceworker } },
  {
    // Tests cast hostile and malformed inputs on purpose; production code stays typed.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
