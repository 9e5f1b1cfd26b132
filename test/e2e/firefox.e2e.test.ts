// The extension in Firefox (Debian's firefox-esr, the MV2 demo build as a temporary add-on,
// driven over WebDriver BiDi), against the demo workspace and a real local Worker: the core
// scenarios of extension.e2e.test.ts — options, the menu item, the panel's history, the full
// page with filters, an export saved to disk.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, buildExtension, downloadedFile, startBackend, type Backend } from './support/environment';
import { launchFirefox, openExtensionPage } from './support/firefox';

let backend: Backend;
let browser: Browser;
beforeAll(async () => {
  const extensionDir = buildExtension('firefox');
  backend = await startBackend();
  browser = await launchFirefox(extensionDir, backend.downloads);
  backend.onClose(() => browser.close());
});
afterAll(async () => {
  await backend?.close();
});

const aria = (role: string, name: string) => `::-p-aria([name="${name}"][role="${role}"])`;
// Element handles rather than puppeteer's locators: after the tab moves to the extension's
// process, locator actions wait forever in Firefox, handles do not.
async function click(page: Page, selector: string) {
  await (await page.waitForSelector(selector))!.click();
}
async function fill(page: Page, selector: string, value: string) {
  const input = (await page.waitForSelector(selector))!;
  await input.evaluate((node) => ((node as HTMLInputElement).value = ''));
  await input.type(value);
}
// The panel's shadow root, read in the page's own world: puppeteer's query handlers run in a
// sandbox that does not see a shadow root the content script attached.
const panelTexts = (page: Page, selector: string) =>
  page.evaluate(
    (s) =>
      [...(document.querySelector('audit-trail-panel')?.shadowRoot?.querySelectorAll(`[role="dialog"] ${s}`) ?? [])].map(
        (node) => node.textContent ?? '',
      ),
    selector,
  );
async function waitInPanel(page: Page, selector: string) {
  await page.waitForFunction(
    (s) => !!document.querySelector('audit-trail-panel')?.shadowRoot?.querySelector(`[role="dialog"] ${s}`),
    { timeout: 15_000 },
    selector,
  );
}
const texts = (page: Page, selector: string) => page.$$eval(selector, (nodes) => nodes.map((node) => node.textContent ?? ''));

async function statusSays(page: Page, text: string, selector = '[role="status"]') {
  await page.waitForFunction(
    (s, t) => [...document.querySelectorAll(s)].some((node) => node.textContent?.includes(t)),
    { timeout: 15_000 },
    selector,
    text,
  );
}

/** Saves the connection on the options page, as an admin would. */
async function configure(token: string): Promise<Page> {
  const page = await openExtensionPage(browser, 'options.html', 'form input');
  await fill(page, '::-p-aria(API URL)', backend.worker.url);
  await fill(page, '::-p-aria(Account ID)', ACCOUNT);
  await fill(page, '::-p-aria(Token)', token);
  await click(page, aria('button', 'Save'));
  await statusSays(page, 'Saved');
  return page;
}

async function openWorkspace(hash: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${backend.workspace.url}${hash}`);
  await page.waitForSelector('h1');
  return page;
}

async function openAuditTrail(page: Page) {
  await click(page, aria('button', 'Account settings'));
  await click(page, aria('menuitem', 'Audit trail'));
  await waitInPanel(page, '');
}

describe('the extension in Firefox', () => {
  it('options: saves the connection and "Test connection" reports the account and scopes', async () => {
    const options = await configure(backend.tokens.reader);
    await click(options, aria('button', 'Test connection'));
    await statusSays(options, `Connected to account ${ACCOUNT}`);
    expect(await options.$eval('[role="status"]', (node) => node.textContent)).toContain('audit:read, audit:export');
    await options.close();
  });

  it('the account-settings menu gets "Audit trail"; the panel shows the element\'s history, newest first, 20 rows a page', async () => {
    const page = await openWorkspace('#/users/4712');
    await click(page, aria('button', 'Account settings'));
    await page.waitForSelector(aria('menuitem', 'Audit trail'));
    expect(await texts(page, '[role="menu"] [role="menuitem"]')).toEqual(['Account details', 'Preferences', 'Sign out', 'Audit trail']);
    await click(page, aria('menuitem', 'Audit trail'));
    await waitInPanel(page, '.change');
    // 20 rows of one edit each; the 20th may go on in the next page, so it waits for it.
    await expect.poll(() => panelTexts(page, '.change').then((changes) => changes.length)).toBe(19);
    expect(await panelTexts(page, '#audit-trail-subject')).toEqual(['User: Omar Haddad']);
    expect(await panelTexts(page, '.zone')).toEqual(['Times in Europe/Berlin']);
    await page.close();
  });

  it("a change saved in the workspace is the panel's newest row, old → new", async () => {
    const page = await openWorkspace('#/users/4711');
    await page.select('form select[name="memberOf"]', '2102'); // Tier 2
    // Firefox gives the workspace's Save button no accessible name puppeteer can query: its text, then.
    await click(page, 'form ::-p-text(Save)');
    await statusSays(page, 'Saved');
    await openAuditTrail(page);
    await waitInPanel(page, '.change [data-element="Member of"]');
    expect((await panelTexts(page, '.change:first-child [data-element="Member of"] dd'))[0]).toBe('Tier 1 → Tier 2');
    await page.close();
  });

  it('the full page lists the account, filters by object type, and exports what is filtered to disk', async () => {
    const full = await openExtensionPage(browser, `audit-trail.html?account=${ACCOUNT}`, 'tbody tr');
    expect(await texts(full, 'th')).toContain('Date (Europe/Berlin)');
    expect(new Set(await texts(full, 'tbody tr td:first-child')).size).toBeGreaterThan(1);
    await full.select('select[name="objectType"]', 'user');
    await click(full, aria('button', 'Apply filters'));
    await expect.poll(async () => new Set(await texts(full, 'tbody tr td:first-child'))).toEqual(new Set(['User']));

    await full.select('.export select', 'csv');
    await click(full, '.export button');
    const name = `audit-trail_${ACCOUNT}_user_all.csv`;
    await statusSays(full, `Downloading ${name}`);
    const csv = readFileSync(await downloadedFile(backend, name), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('Date (Europe/Berlin)');
    expect(lines.length).toBeGreaterThan(31);
    expect(lines.slice(1).every((line) => line.startsWith('User,'))).toBe(true);
    await full.close();
  });
});
