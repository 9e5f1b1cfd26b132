// The extension in Chromium, against the demo workspace and a real local Worker: the
// scenarios of issues 4 and 8 ("How we will know").
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ACCOUNT, configure, downloadedFile, seriousViolations, startEnvironment, type Environment } from './support/environment';

let env: Environment;
beforeAll(async () => {
  env = await startEnvironment();
});
afterAll(async () => {
  await env?.close();
});

const panel = (page: Page) => page.locator('audit-trail-panel [role="dialog"]');
const menuEntries = (page: Page) => page.locator('[role="menu"] [role="menuitem"]');

/** How many events the API holds for one user (every element of every change is a row). */
async function eventCount(objectId: string): Promise<number> {
  const page = await env.api<{ events: unknown[] }>(`/v1/accounts/${ACCOUNT}/objects/user/${objectId}/events?limit=500`, {
    token: env.tokens.reader,
  });
  return page.body.events.length;
}

async function openWorkspace(hash: string, query = ''): Promise<Page> {
  const page = await env.context.newPage();
  await page.goto(`${env.workspace.url}${query}${hash}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

/** Console messages of a page, from now on (the browser's own, such as "Denying load of …"). */
function consoleOf(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  return messages;
}

async function openFullPage(): Promise<Page> {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/audit-trail.html?account=${ACCOUNT}`);
  return page;
}

async function openAuditTrail(page: Page) {
  await page.getByRole('button', { name: 'Account settings' }).click();
  await page.getByRole('menuitem', { name: 'Audit trail' }).click();
  await panel(page).waitFor();
}

describe('the extension in the Agent Workspace', () => {
  it('options: saves the connection and "Test connection" reports the account and scopes', async () => {
    const options = await configure(env, env.tokens.reader);
    await options.getByRole('button', { name: 'Test connection' }).click();
    const status = options.getByRole('status');
    await expect.poll(() => status.textContent()).toContain(`Connected to account ${ACCOUNT}`);
    expect(await status.textContent()).toContain('audit:read, audit:export');
    expect(await seriousViolations(options)).toEqual([]);
    await options.close();
  });

  it('change "Member of", save, open "Audit trail": the panel shows the new row old → new', async () => {
    const page = await openWorkspace('#/users/4711');
    await page.getByLabel('Member of').selectOption({ label: 'Tier 2' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved').waitFor();

    await openAuditTrail(page);
    const newest = panel(page).locator('.change').first();
    await newest.locator('[data-element="Member of"]').waitFor();
    // Names, not ids: the id is one click away.
    expect(await newest.locator('[data-element="Member of"] dd').textContent()).toBe('Tier 1 → Tier 2');
    await newest.locator('[data-element="Member of"] .new').getByRole('button', { name: 'Tier 2' }).click();
    expect(await newest.locator('[data-element="Member of"] .new').textContent()).toBe('Tier 2 (ID 2102)');
    // When, relative, the exact time (in the account's zone) on hover.
    expect(await newest.locator('time').textContent()).toMatch(/now|second|minute/);
    expect(await newest.locator('time').getAttribute('title')).toMatch(/\d{1,2}:\d{2}.*\(Europe\/Berlin\)$/);
    expect(await newest.locator('.who').textContent()).toBe('Amy Admin');
    expect(await panel(page).locator('#audit-trail-subject').textContent()).toBe('User: Jane Doe');

    // The panel follows the host's saves while it is open.
    await page.locator('form input[name="maxChats"]').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => panel(page).locator('.change').first().locator('[data-element="Max chats"] dd').textContent(), { timeout: 10_000 })
      .toBe('3 → 5');

    // No serious accessibility problems in the page with the panel open.
    expect(await seriousViolations(page)).toEqual([]);

    // Keyboard: Esc closes, focus goes back to the account-settings button.
    await panel(page).locator('h2').focus();
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Account settings');
    await page.close();
  });

  it('host CSS does not reach the panel', async () => {
    const page = await openWorkspace('#/users/4711');
    await openAuditTrail(page);
    const styles = await panel(page)
      .locator('button.link')
      .first()
      .evaluate((b) => {
        const style = getComputedStyle(b);
        return { transform: style.textTransform, font: style.fontFamily };
      });
    expect(styles.transform).toBe('none'); // the host makes buttons uppercase
    expect(styles.font).not.toContain('Georgia');
    expect(await page.getByRole('button', { name: 'Save' }).evaluate((b) => getComputedStyle(b).textTransform)).toBe('uppercase');
    await page.close();
  });

  it('"Load more" follows the cursor', async () => {
    const page = await openWorkspace('#/users/4712');
    await openAuditTrail(page);
    const changes = panel(page).locator('.change');
    // 20 rows, one edit each: the 20th may go on in the next page, so it waits for it.
    await expect.poll(() => changes.count()).toBe(19);
    const loadMore = panel(page).getByRole('button', { name: 'Load more' });
    for (let clicks = 0; clicks < 5 && (await loadMore.count()) > 0; clicks++) {
      const before = await changes.count();
      await loadMore.click();
      await expect.poll(() => changes.count()).toBeGreaterThan(before);
    }
    expect(await loadMore.count()).toBe(0);
    await expect.poll(() => changes.count()).toBe(31); // 30 edits + the add
    expect(await changes.last().locator('.action').textContent()).toBe('Add new');
    // The add spans a page boundary and is shown whole: every row of it.
    expect(await changes.last().locator('.element').count()).toBe((await eventCount('4712')) - 30);
    await page.close();
  });

  it('"Export to Excel" streams a spreadsheet of this element to disk, named after it, through the downloads API', async () => {
    await (await configure(env, env.tokens.reader)).close();
    const page = await openWorkspace('#/users/4712');
    await openAuditTrail(page);
    await panel(page).locator('.change').first().waitFor();
    await panel(page).getByRole('button', { name: 'Export to Excel' }).click();
    const name = `audit-trail_${ACCOUNT}_user-4712-Omar-Haddad_all.xlsx`;
    await panel(page).getByRole('status').getByText(`Downloading ${name}`).waitFor();
    const file = await downloadedFile(env, name);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, 4)).toEqual(['Object type', 'Object name', 'Action type', 'Element']);
    expect(header[6]).toBe('Date (Europe/Berlin)');
    const rows = await eventCount('4712');
    expect(rows).toBeGreaterThan(31);
    expect(sheet.actualRowCount).toBe(1 + rows);
    await page.close();
  });

  it('"Open full audit trail" opens the account-wide table with its filters', async () => {
    const page = await openWorkspace('#/users/4712');
    await openAuditTrail(page);
    const [full] = await Promise.all([
      env.context.waitForEvent('page'),
      panel(page).getByRole('button', { name: 'Open full audit trail' }).click(),
    ]);
    await full.locator('tbody tr').first().waitFor();
    expect(full.url()).toContain('audit-trail.html');
    expect(await full.locator('tbody tr').count()).toBe(await eventCount('4712'));
    await full.getByRole('button', { name: 'Reset' }).click();
    await full.getByText('Page 1', { exact: true }).waitFor();
    await expect.poll(() => full.locator('tbody tr').count()).toBe(50);
    await full.getByRole('button', { name: 'Next page' }).click();
    await full.getByText('Page 2', { exact: true }).waitFor();
    await expect.poll(() => full.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await seriousViolations(full)).toEqual([]);
    await full.close();
    await page.close();
  });

  it('the full page keeps its filters after Apply, names the zone, and exports what is filtered to a file named after the filters', async () => {
    await (await configure(env, env.tokens.reader)).close();
    const full = await openFullPage();
    await full.locator('tbody tr').first().waitFor();
    expect(await full.getByRole('columnheader', { name: 'Date (Europe/Berlin)' }).count()).toBe(1);
    expect(await full.locator('select[name="tz"]').inputValue()).toBe('Europe/Berlin');
    await full.locator('select[name="objectType"]').selectOption('user');
    await full.locator('select[name="action"]').selectOption('edit');
    await full.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => full.locator('tbody tr td:first-child').allTextContents()).not.toContain('Skill');
    expect(await full.locator('select[name="objectType"]').inputValue()).toBe('user');
    expect(await full.locator('select[name="action"]').inputValue()).toBe('edit');
    // A second Apply keeps them: still only user edits.
    await full.locator('input[name="objectId"]').fill('4712');
    await full.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(() => full.locator('tbody tr td:nth-child(2)').allTextContents())
      .toSatisfy((names: string[]) => names.length > 0 && names.every((n) => n === 'Omar Haddad'));
    expect(new Set(await full.locator('tbody tr td:nth-child(3)').allTextContents())).toEqual(new Set(['Edit']));

    await full.locator('.export select').selectOption('csv');
    await full.getByRole('button', { name: 'Export', exact: true }).click();
    const name = `audit-trail_${ACCOUNT}_user-4712_edit_all.csv`;
    await full.getByRole('status').getByText(`Downloading ${name}`).waitFor();
    const csv = readFileSync(await downloadedFile(env, name), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('Date (Europe/Berlin)');
    expect(lines.length - 1).toBe(await full.locator('tbody tr').count());
    expect(lines.slice(1).every((line) => line.startsWith('User,Omar Haddad,Edit,'))).toBe(true);
    await full.close();
  });

  it('"Try again" on the full page asks again', async () => {
    // Options saved, but the Worker is "down" (a port nobody listens on): the check fails.
    const options = await configure(env, env.tokens.reader);
    await options.getByLabel('API URL').fill('http://127.0.0.1:9');
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByRole('status').getByText('Saved').waitFor();
    const full = await openFullPage();
    const alert = full.locator('[role="alert"][data-state="offline"]');
    await alert.waitFor();
    expect(await full.locator('[role="alert"]').count()).toBe(1);
    await configure(env, env.tokens.reader).then((page) => page.close());
    await full.getByRole('button', { name: 'Try again' }).click();
    await full.locator('tbody tr').first().waitFor();
    expect(await full.locator('[role="alert"]').count()).toBe(0);
    await options.close();
    await full.close();
  });

  it('a read-only token sees no Export on the full page; a token without audit:read one message and no pager', async () => {
    await (await configure(env, env.tokens.readOnly)).close();
    const full = await openFullPage();
    await full.locator('tbody tr').first().waitFor();
    expect(await full.getByRole('button', { name: 'Export', exact: true }).count()).toBe(0);
    await full.close();

    await (await configure(env, env.tokens.noRead)).close();
    const none = await openFullPage();
    await none.locator('[role="alert"]').first().waitFor();
    await none.waitForTimeout(300);
    expect(await none.locator('[role="alert"]').count()).toBe(1);
    expect(await none.locator('[role="alert"]').textContent()).toContain('events:write');
    expect(await none.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
    await none.close();
  });

  it('Esc closes the panel wherever focus is; the panel leaves the account-settings button reachable; no missing CSS is asked for', async () => {
    await (await configure(env, env.tokens.reader)).close();
    const page = await openWorkspace('#/users/4711');
    const messages = consoleOf(page);
    await openAuditTrail(page);
    await panel(page).locator('.change').first().waitFor();
    expect(await panel(page).locator('.zone').textContent()).toBe('Times in Europe/Berlin');
    const button = await page.getByRole('button', { name: 'Account settings' }).boundingBox();
    const drawer = await panel(page).boundingBox();
    expect(drawer!.y).toBeGreaterThanOrEqual(button!.y + button!.height);
    // The button still works with the panel open.
    await page.getByRole('button', { name: 'Account settings' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).waitFor();
    // Focus in the host page, not in the panel: Esc still closes it.
    await page.locator('form input[name="maxChats"]').click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('maxChats');
    expect(await panel(page).count()).toBe(1);
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    expect(messages.filter((m) => /Denying load|agent-workspace\.css/.test(m))).toEqual([]);
    await page.close();
  });

  it('the menu appearing 2 s late still gets the entry, once', async () => {
    const page = await openWorkspace('#/users/4711', '?menuDelay=2000');
    await page.getByRole('button', { name: 'Account settings' }).click();
    await page.waitForTimeout(1000);
    expect(await page.locator('[role="menu"]').count()).toBe(0);
    await page.getByRole('menuitem', { name: 'Audit trail' }).waitFor({ timeout: 5000 });
    await page.waitForTimeout(500);
    expect(await menuEntries(page).allTextContents()).toEqual(['Account details', 'Preferences', 'Sign out', 'Audit trail']);
    await page.close();
  });

  it('a token without audit:read shows no menu entry', async () => {
    await (await configure(env, env.tokens.noRead)).close();
    const page = await openWorkspace('#/users/4711');
    await page.waitForTimeout(1000); // the access check has answered
    await page.getByRole('button', { name: 'Account settings' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).waitFor();
    await page.waitForTimeout(500);
    expect(await menuEntries(page).allTextContents()).toEqual(['Account details', 'Preferences', 'Sign out']);
    await page.close();
  });

  it('a token with audit:read but not audit:export shows no export button', async () => {
    await (await configure(env, env.tokens.readOnly)).close();
    const page = await openWorkspace('#/users/4711');
    await openAuditTrail(page);
    await panel(page).locator('.change').first().waitFor();
    expect(await panel(page).getByRole('button', { name: 'Export to Excel' }).count()).toBe(0);
    await page.close();
  });

  it('a bad token shows the unauthorized state', async () => {
    await (await configure(env, 'atr_not-a-real-token')).close();
    const page = await openWorkspace('#/users/4711');
    await openAuditTrail(page);
    const alert = panel(page).locator('[role="alert"][data-state="unauthorized"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The token was not accepted');
    await page.close();
  });
});

describe('readable values, the panel following the admin, the full page view (issue 12)', () => {
  const change = (body: Record<string, unknown>) =>
    env.api(`/v1/accounts/${ACCOUNT}/changes`, {
      token: env.tokens.writer,
      body: { originator: { id: '4715', name: 'Amy Admin' }, occurredAt: new Date().toISOString(), ...body },
    });

  beforeAll(async () => {
    const skill = { id: 3101, name: 'Billing DE', maxWaitTime: 120, canTransfer: true };
    await change({
      changeId: 'e2e-12-sla',
      objectType: 'skill',
      objectId: '3101',
      objectName: 'Billing DE',
      action: 'edit',
      before: { ...skill, slaDefaultResponseTime: 3600, description: 'Invoices, payments and direct debit for customers in Germany' },
      after: {
        ...skill,
        slaDefaultResponseTime: 1800,
        description: 'Invoices, payments, refunds and direct debit for customers in Austria',
      },
    });
    const bot = {
      id: 4799,
      loginName: 'temp.bot',
      fullName: 'Temp Bot',
      userTypeId: 2,
      isApiUser: true,
      memberOf: { agentGroupId: 2101 },
      skillIds: [3101],
      maxChats: 0,
    };
    await change({ changeId: 'e2e-12-bot-add', objectType: 'user', objectId: '4799', objectName: 'Temp Bot', action: 'add', after: bot });
    await change({
      changeId: 'e2e-12-bot-delete',
      objectType: 'user',
      objectId: '4799',
      objectName: 'Temp Bot',
      action: 'delete',
      before: bot,
    });
  });

  it('the panel says units, words the changes inside a long text, fits its toolbar in one row, and follows to the next element', async () => {
    await (await configure(env, env.tokens.reader)).close();
    const page = await openWorkspace('#/skills/3101');
    await openAuditTrail(page);
    const newest = panel(page).locator('.change').first();
    await newest.locator('[data-element="SLA default response time"]').waitFor();
    expect(await newest.locator('[data-element="SLA default response time"] dd').textContent()).toBe('1 h → 30 min');
    const description = newest.locator('[data-element="Description"] dd');
    expect(await description.locator('del').allTextContents()).toEqual(['Germany']);
    expect(await description.locator('ins').allTextContents()).toEqual([', refunds ', 'Austria']);

    // The toolbar is one row: every control on the same line.
    const tops = await panel(page)
      .locator('.toolbar > *')
      .evaluateAll((items) => items.map((item) => Math.round(item.getBoundingClientRect().top + item.getBoundingClientRect().height / 2)));
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(4);
    expect(await seriousViolations(page)).toEqual([]);

    // The admin goes back to the list: the panel stays open, now on the account's latest changes.
    await page.getByRole('link', { name: 'Back to skills' }).click();
    await expect.poll(() => panel(page).locator('#audit-trail-subject').textContent()).toBe('Latest changes in this account');
    // The newest change is the bot's delete: one "Deleted" entry, its last state on request.
    const deleted = panel(page).locator('.change').first();
    await deleted.locator('.deleted').waitFor();
    expect(await deleted.locator('.change-object').textContent()).toBe('User: Temp Bot');
    expect(await deleted.locator('.deleted .element').first().isVisible()).toBe(false);
    await deleted.locator('.deleted summary').click();
    expect(await deleted.locator('[data-element="User type"] dd').textContent()).toBe('Bot');
    expect(await deleted.locator('[data-element="API user"] dd').textContent()).toBe('Yes');
    expect(await deleted.locator('[data-element="Member of"] dd').textContent()).toBe('Tier 1');

    // On to a user: the panel follows there too, with its name.
    await page.evaluate(() => (location.hash = '#/users/4712'));
    await expect.poll(() => panel(page).locator('#audit-trail-subject').textContent()).toBe('User: Omar Haddad');
    await expect.poll(() => panel(page).locator('.change').first().locator('[data-element="Max chats"]').count()).toBe(1);
    await page.close();
  });

  it('the full page: account name, zone on every date, ids as columns, order, page size, no wrapping, all in its address', async () => {
    await (await configure(env, env.tokens.reader)).close();
    const full = await openFullPage();
    await full.locator('tbody tr').first().waitFor();
    expect(await full.locator('h1').textContent()).toBe(`Audit trail — Acme Contact Center (e2e) (account ${ACCOUNT})`);
    expect(await full.locator('tbody time').first().textContent()).toMatch(/GMT\+[12]|CES?T/);

    await full.getByText('Columns', { exact: true }).click();
    await full.locator('input[name="column-objectId"]').check();
    await full.locator('input[name="column-changeId"]').check();
    await full.locator('select[name="order"]').selectOption('asc');
    await full.locator('select[name="pageSize"]').selectOption('25');
    await expect.poll(() => full.locator('tbody tr').count()).toBe(25);
    const headers = await full.locator('thead th').allTextContents();
    expect(headers).toContain('Object ID');
    expect(headers).toContain('Change ID');
    const changeIds = () => full.locator(`tbody tr td:nth-child(${headers.indexOf('Change ID') + 1})`).allTextContents();
    // Oldest first: the seed's first change (the demo history starts by adding the profiles), every id shown.
    await expect.poll(async () => (await changeIds())[0]).toMatch(/^seed-add-profile-/);
    expect((await changeIds()).every((id) => id.length > 0)).toBe(true);

    // Dates and names stay on one line.
    const lines = await full.locator('tbody time').evaluateAll((times) => times.map((time) => time.getClientRects().length));
    expect(new Set(lines)).toEqual(new Set([1]));
    expect(
      await full
        .locator('tbody tr td:nth-child(2)')
        .first()
        .evaluate((td) => getComputedStyle(td).whiteSpace),
    ).toBe('nowrap');

    // A link to this view shows the same.
    const address = full.url();
    expect(address).toContain('order=asc');
    expect(address).toContain('size=25');
    const colleague = await env.context.newPage();
    await colleague.goto(address);
    await colleague.locator('tbody tr').first().waitFor();
    expect(await colleague.locator('thead th').allTextContents()).toEqual(headers);
    expect(await colleague.locator('select[name="order"]').inputValue()).toBe('asc');
    expect(await colleague.locator('tbody tr').count()).toBe(25);
    expect(await colleague.locator(`tbody tr td:nth-child(${headers.indexOf('Change ID') + 1})`).allTextContents()).toEqual(
      await changeIds(),
    );
    expect(await seriousViolations(colleague)).toEqual([]);
    await colleague.close();

    // Nothing matches: the empty state, and no pager.
    await full.locator('input[name="q"]').fill('no-such-change-anywhere');
    await full.getByRole('button', { name: 'Apply filters' }).click();
    await full.locator('[data-state="empty"]').waitFor();
    expect(await full.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
    await full.close();
  });
  it('the full page counts what matches, counts each filter value, suggests elements, and filters to a day from its chart', async () => {
    await (await configure(env, env.tokens.reader)).close();
    type Facets = { total: number | string; days: { day: string; count: number }[]; objectTypes: { value: string; count: number }[] };
    const facets = (query: string) => env.api<Facets>(`/v1/accounts/${ACCOUNT}/events/facets?${query}`, { token: env.tokens.reader });
    const all = (await facets('')).body;
    const full = await openFullPage();
    await full.locator('tbody tr').first().waitFor();

    // The total is the API's count; each object type option says how many of its events match.
    await expect.poll(() => full.locator('.total').getAttribute('data-total')).toBe(String(all.total));
    const user = all.objectTypes.find((t) => t.value === 'user')!;
    await expect
      .poll(() => full.locator('select[name="objectType"] option[value="user"]').textContent())
      .toContain(user.count.toLocaleString('en-US'));

    // Element suggestions: typed in lower case, the element the history names with capitals.
    await full.locator('input[name="element"]').fill('mem');
    await expect
      .poll(() => full.locator('#element-suggestions option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)))
      .toContain('Member of');

    // A bar of the chart filters to its day; the count then is that bar's, as the API counts the day.
    await full.locator('input[name="element"]').fill('');
    const bars = full.locator('.day-chart button.bar');
    await expect.poll(() => bars.count()).toBeGreaterThan(0);
    const bar = bars.last();
    const day = (await bar.getAttribute('data-day'))!;
    await bar.click();
    await expect.poll(() => full.locator('input[name="from"]').inputValue()).toBe(day);
    expect(await full.locator('input[name="to"]').inputValue()).toBe(day);
    const zone = new URL(full.url()).searchParams.get('tz');
    const dayTotal = (await facets(`from=${day}&to=${day}${zone ? `&tz=${encodeURIComponent(zone)}` : ''}`)).body.total;
    await expect.poll(() => full.locator('.total').getAttribute('data-total')).toBe(String(dayTotal));
    expect(await seriousViolations(full)).toEqual([]);
    await full.close();
  });

  it("the panel's element filter lists every element of the element's history, with its count", async () => {
    await (await configure(env, env.tokens.reader)).close();
    const history = await env.api<{ elements: { value: string; count: number }[] }>(
      `/v1/accounts/${ACCOUNT}/objects/user/4712/events/facets?limit=100`,
      { token: env.tokens.reader },
    );
    const expected = history.body.elements.map((e) => `${e.value} (${e.count.toLocaleString('en-US')})`).sort((a, b) => a.localeCompare(b));
    expect(expected.length).toBeGreaterThan(1);
    const page = await openWorkspace('#/users/4712');
    await openAuditTrail(page);
    const options = panel(page).locator('.toolbar select option:not([value=""])');
    await expect.poll(async () => (await options.allTextContents()).sort((a, b) => a.localeCompare(b))).toEqual(expected);
    await page.close();
  });
});
