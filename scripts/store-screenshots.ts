// `npm run store:screenshots`: the store listing's screenshots (docs/store/*.png, 1280×800 as
// the Chrome Web Store asks), taken from the demo: the end-to-end environment (a local Worker
// with seeded history, the demo workspace, Chromium with the demo build) driven like a user.
// Also the README's docs/panel.png and docs/audit-trail.png (readable values, the page's view).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ACCOUNT, configure, startEnvironment, type Environment } from '../test/e2e/support/environment';
import { REPO_ROOT } from './lib/paths';

const OUT = path.join(REPO_ROOT, 'docs/store');
const DOCS = path.join(REPO_ROOT, 'docs');
const SIZE = { width: 1280, height: 800 };

async function shoot(page: Page, name: string, dir = OUT) {
  const file = path.join(dir, name);
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

  // The README's: a skill whose SLA and description just changed (a duration, a word diff).
  const skill = { id: 3101, name: 'Billing DE', maxWaitTime: 120, canTransfer: true };
  await env.api(`/v1/accounts/${ACCOUNT}/changes`, {
    token: env.tokens.writer,
    body: {
      changeId: 'screenshot-sla',
      objectType: 'skill',
      objectId: '3101',
      objectName: 'Billing DE',
      action: 'edit',
      originator: { id: '4715', name: 'Amy Admin' },
      before: { ...skill, slaDefaultResponseTime: 3600, description: 'Invoices, payments and direct debit for customers in Germany' },
      after: {
        ...skill,
        slaDefaultResponseTime: 1800,
        description: 'Invoices, payments, refunds and direct debit for customers in Austria',
      },
    },
  });
  const skillPage = await newPage(env);
  await skillPage.goto(`${env.workspace.url}#/skills/3101`);
  await skillPage.getByRole('button', { name: 'Account settings' }).click();
  await skillPage.getByRole('menuitem', { name: 'Audit trail' }).click();
  await skillPage.locator('audit-trail-panel [role="dialog"] [data-element="SLA default response time"]').first().waitFor();
  await shoot(skillPage, 'panel.png', DOCS);

  const view = await newPage(env);
  await view.goto(
    `chrome-extension://${env.extensionId}/audit-trail.html?account=${ACCOUNT}&size=25&columns=objectType,objectName,objectId,action,element,old,new,date,originator`,
  );
  await view.locator('tbody tr').first().waitFor();
  await shoot(view, 'audit-trail.png', DOCS);
} finally {
  await env.close();
}
