// LivePerson end to end in Chromium (issue 11, "How we will know"): the simulated LivePerson,
// a real local Worker pointed at it, the demo workspace saving to it. Connect on the options
// page, watch the import reach "in sync", edit in the workspace, see the change in the panel,
// marked LivePerson — it came through LivePerson's audit trail and the connector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ACCOUNT, configure, startEnvironment, type Environment } from './support/environment';

let env: Environment;
beforeAll(async () => {
  env = await startEnvironment({ livePerson: true });
});
afterAll(async () => {
  await env?.close();
});

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const panel = (page: Page) => page.locator('audit-trail-panel [role="dialog"]');

describe('LivePerson in the extension', () => {
  it('connects on the options page, imports the history, and brings a save in the workspace to the panel', async () => {
    const livePerson = env.livePerson!;
    // LivePerson's history before the connection: two changes of Jane Doe, two days ago.
    const before = { originator: 'Lena Schmidt', originatorId: '4713', originatorEmployeeId: 'E4713', originatorProfiles: 'Agent Manager' };
    await livePerson.addRecords([
      {
        ...before,
        objectType: 'Users',
        objectId: '4711',
        objectName: 'Jane Doe',
        actionType: 'Edit',
        element: 'Nickname',
        oldValue: 'J.',
        newValue: 'Jane',
        occurredAt: new Date(Date.now() - 2 * DAY).toISOString(),
      },
      {
        ...before,
        objectType: 'Skills',
        objectId: '3101',
        objectName: 'Billing DE',
        actionType: 'Edit',
        element: 'Description',
        oldValue: 'Invoices',
        newValue: 'Invoices, payments and direct debit (German)',
        occurredAt: new Date(Date.now() - 2 * DAY).toISOString(),
      },
    ]);

    const options = await configure(env, env.tokens.admin);
    const section = options.locator('section.liveperson');
    await section.getByLabel('App key').fill(livePerson.key.consumerKey);
    await section.getByLabel('App secret').fill(livePerson.key.consumerSecret);
    await section.getByLabel('Access token', { exact: true }).fill(livePerson.key.token);
    await section.getByLabel('Access token secret').fill(livePerson.key.tokenSecret);
    await section.getByLabel(/Import history from/).fill(day(-5));
    await section.getByRole('button', { name: 'Test and connect' }).click();
    await section.getByText('Connected. The history is being imported.').waitFor({ timeout: 30_000 });
    // PUT answers the status it starts from (drawn with that message, before the first poll 3 s later): backfilling, with its bar.
    expect(await section.getByTestId('liveperson-state').textContent()).toBe('Importing the history');
    expect(await section.locator('progress').getAttribute('max')).toBe('6');
    // The page polls while backfilling and shows where the import stands, until it is in sync.
    await section.getByText('Connected: in sync').waitFor({ timeout: 60_000 });
    const progress = await section.locator('.progress-text').textContent();
    expect(progress).toMatch(/^Imported 2 changes · \w{3} \d{4} → today · 100 %$/);
    expect(await section.getByText('Last sync:').textContent()).not.toContain('not yet');
    // The key never comes back to the page.
    expect(await options.content()).not.toContain(livePerson.key.tokenSecret);
    await options.close();

    // The imported history is in the panel, marked LivePerson.
    const page = await env.context.newPage();
    await page.goto(`${env.workspace.url}#/users/4711`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Account settings' }).click();
    await page.getByRole('menuitem', { name: 'Audit trail' }).click();
    await panel(page).waitFor();
    // (The seeded API history has Jane's Nickname too, from when she was added.)
    const nickname = panel(page).locator('.change:has([data-source="liveperson"]):has([data-element="Nickname"])');
    await nickname.waitFor();
    expect(await nickname.locator('[data-source="liveperson"]').textContent()).toBe('LivePerson');
    expect(await nickname.locator('.who').textContent()).toBe('Lena Schmidt');

    // A save in the workspace goes to LivePerson; the extension asks for a sync and the open
    // panel looks again until the change is there.
    await page.locator('form input[name="maxChats"]').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved in LivePerson').waitFor();
    const newest = panel(page).locator('.change').first();
    await expect
      .poll(
        () =>
          newest
            .locator('[data-element="Max no. of chats"] dd')
            .textContent()
            .catch(() => null),
        { timeout: 45_000 },
      )
      .toBe('3 → 5');
    expect(await newest.locator('[data-source="liveperson"]').getAttribute('title')).toMatch(/Imported from LivePerson/);
    expect(await newest.locator('.who').textContent()).toBe('Amy Admin');

    // The same change through the API: imported once, source liveperson, found by LivePerson's Object ID.
    const history = await env.api<{ events: { element: string; source: string; newValue: string | null }[] }>(
      `/v1/accounts/${ACCOUNT}/objects/user/4711/events?element=${encodeURIComponent('Max no. of chats')}`,
      { token: env.tokens.admin },
    );
    expect(history.body.events.map((e) => [e.source, e.newValue])).toEqual([['liveperson', '5']]);
    await page.close();
  });
});
