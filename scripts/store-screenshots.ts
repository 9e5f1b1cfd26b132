// `npm run store:screenshots`: the store listing's screenshots (docs/store/*.png, 1280×800 as
// the Chrome Web Store asks), taken from the demo: the end-to-end environment (a local Worker
// with seeded history, the demo workspace, Chromium with the demo build) driven like a user.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ACCOUNT, configure, startEnvironment, type Environment } from '../test/e2e/support/environment';
import { REPO_ROOT } from './lib/paths';

const OUT = path.join(REPO_ROOT, 'docs/store');
const SIZE = { width: 1280, height: 800 };

async function shoot(page: Page, name: string) {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file });
  console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
}

async function newPage(env: Environment): Promise<Page> {
  const page = await env.context.newPage();
  await page.setViewportSize(SIZE);
  return page;
}

const env = await startEnvironment();
try {
  mkdirSync(OUT, { recursive: true });
  const options = await configure(env, env.tokens.reader);
  await options.setViewportSize(SIZE);
  await options.getByRole('button', { name: 'Test connection' }).click();
  await options.getByRole('status').getByText(`Connected to account ${ACCOUNT}`).waitFor();
  await shoot(options, '3-options.png');

  const workspace = await newPage(env);
  await workspace.goto(`${env.workspace.url}#/users/4712`);
  await workspace.getByRole('button', { name: 'Account settings' }).click();
  await workspace.getByRole('menuitem', { name: 'Audit trail' }).click();
  await workspace.locator('audit-trail-panel [role="dialog"] .change').first().waitFor();
  await shoot(workspace, '1-panel.png');

  const full = await newPage(env);
  await full.goto(`chrome-extension://${env.extensionId}/audit-trail.html?account=${ACCOUNT}`);
  await full.locator('tbody tr').first().waitFor();
  await shoot(full, '2-audit-trail.png');
} finally {
  await env.close();
}
