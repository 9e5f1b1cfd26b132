// The options page and the full audit trail page, with fake clients.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventFilters } from '../../extension/api/types';
import type { Access, Client } from '../../extension/messaging/protocol';
import { AuditTrailPage, filtersFromSearch } from '../../extension/ui/audit-trail-page';
import { Options } from '../../extension/ui/options';
import { event, okResult, settle } from './support';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});
const type = (name: string, value: string) => {
  const input = container.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!;

describe('options page', () => {
  const client = () => ({
    getSettings: vi.fn<Client['getSettings']>(async () => okResult({ apiUrl: '', accountId: '', hasToken: false })),
    saveSettings: vi.fn<Client['saveSettings']>(async (input) =>
      okResult({ apiUrl: input.apiUrl, accountId: input.accountId, hasToken: true }),
    ),
    testConnection: vi.fn<Client['testConnection']>(async () =>
      okResult({ accountId: '12345678', tokenId: 't1', name: 'Viewer', scopes: ['audit:read', 'audit:export'] }),
    ),
    // The LivePerson section (test/extension/liveperson-settings.test.tsx): not an admin here.
    livePerson: vi.fn<Client['livePerson']>(async () =>
      okResult({ accountId: '12345678', scopes: ['audit:read'], canAdmin: false, status: null }),
    ),
    connectLivePerson: vi.fn<Client['connectLivePerson']>(),
    syncLivePerson: vi.fn<Client['syncLivePerson']>(),
    disconnectLivePerson: vi.fn<Client['disconnectLivePerson']>(),
  });

  it('asks for the API origin, then saves; the token field is emptied', async () => {
    const fake = client();
    const requestOrigin = vi.fn(async () => true);
    await act(async () => render(<Options client={fake} requestOrigin={requestOrigin} />, container));
    await act(async () => {
      type('apiUrl', 'https://audit.example.com:8443/');
      type('accountId', '12345678');
      type('token', 'atr_abc');
    });
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(settle);
    expect(requestOrigin).toHaveBeenCalledWith('https://audit.example.com/*');
    expect(fake.saveSettings).toHaveBeenCalledWith({ apiUrl: 'https://audit.example.com:8443/', accountId: '12345678', token: 'atr_abc' });
    expect(container.querySelector<HTMLInputElement>('[name="token"]')!.value).toBe('');
    expect(container.querySelector('[role="status"]')!.textContent).toContain('Saved');
  });

  it('does not save when the browser refuses access to the API', async () => {
    const fake = client();
    await act(async () => render(<Options client={fake} requestOrigin={async () => false} />, container));
    await act(async () => type('apiUrl', 'https://audit.example.com'));
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(settle);
    expect(fake.saveSettings).not.toHaveBeenCalled();
    expect(container.querySelector('[role="status"]')!.textContent).toContain('Access to the API not granted');
  });

  it('keeps the form disabled until the stored settings arrive, then shows them', async () => {
    const fake = client();
    let arrive!: () => void;
    fake.getSettings.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          arrive = () => resolve(okResult({ apiUrl: 'https://old.example.com', accountId: '777', hasToken: true }));
        }),
    );
    await act(async () => render(<Options client={fake} requestOrigin={async () => true} />, container));
    const field = (name: string) => container.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    // A disabled fieldset takes no typing (a person's or a test's) that the settings would be mixed with.
    const disabled = () => field('apiUrl').closest('fieldset')!.disabled && !!button('Save').closest('fieldset[disabled]');
    expect(disabled()).toBe(true);
    await act(async () => arrive());
    await act(settle);
    expect(disabled()).toBe(false);
    expect(field('apiUrl').value).toBe('https://old.example.com');
    expect(field('accountId').value).toBe('777');
    expect(field('token').placeholder).toContain('leave empty to keep it');
  });

  it('says so when the stored settings cannot be read, and still saves what is typed', async () => {
    const fake = client();
    fake.getSettings.mockResolvedValueOnce({ ok: false, error: { kind: 'server', detail: 'The extension did not answer.' } });
    await act(async () => render(<Options client={fake} requestOrigin={async () => true} />, container));
    await act(settle);
    expect(container.querySelector('[role="status"]')!.getAttribute('data-state')).toBe('error');
    await act(async () => {
      type('apiUrl', 'https://audit.example.com');
      type('accountId', '12345678');
      type('token', 'atr_abc');
    });
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(settle);
    expect(fake.saveSettings).toHaveBeenCalledWith({ apiUrl: 'https://audit.example.com', accountId: '12345678', token: 'atr_abc' });
    expect(container.querySelector('[role="status"]')!.textContent).toContain('Saved');
  });

  it('"Test connection" reports the account and scopes, or a clear error', async () => {
    const fake = client();
    await act(async () => render(<Options client={fake} requestOrigin={async () => true} />, container));
    await act(async () => button('Test connection').click());
    await act(settle);
    expect(container.querySelector('[role="status"]')!.textContent).toBe(
      'Connected to account 12345678 with token “Viewer”. Scopes: audit:read, audit:export.',
    );
    fake.testConnection.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'unauthorized', status: 401, detail: 'The token is not valid.' },
    });
    await act(async () => button('Test connection').click());
    await act(settle);
    expect(container.querySelector('[role="status"]')!.textContent).toContain('The token is not valid.');
  });
});

describe('full audit trail page', () => {
  const setup = (access: Partial<Access> = {}) => {
    const client = {
      access: vi.fn<Client['access']>(async ({ accountId }) =>
        okResult({
          accountId,
          scopes: ['audit:read', 'audit:export'],
          canRead: true,
          canExport: true,
          timeZone: 'Europe/Berlin',
          ...access,
        }),
      ),
      events: vi.fn<Client['events']>(async ({ cursor }) =>
        okResult({ events: [event({ element: cursor ? 'Email' : 'Member of' })], nextCursor: cursor === 'p2' ? null : 'p2' }),
      ),
      export: vi.fn<Client['export']>(async () => okResult({ filename: 'audit-trail_777_skill_delete_all.csv' })),
      openOptions: vi.fn(async () => okResult(null)),
      getSettings: vi.fn<Client['getSettings']>(async () => okResult({ apiUrl: 'x', accountId: '777', hasToken: true })),
      // An API without the facets route (before issue 12): the page goes without counts and chart.
      facets: vi.fn<Client['facets']>(async () => ({ ok: false, error: { kind: 'not-found', status: 404, detail: 'Not found' } })),
    };
    return client;
  };
  const show = async (client: ReturnType<typeof setup>, initialFilters: EventFilters = {}) => {
    await act(async () =>
      render(
        <AuditTrailPage client={client} accountId={null} initialFilters={initialFilters} browserTimeZone="America/New_York" />,
        container,
      ),
    );
    for (let i = 0; i < 3; i++) await act(settle);
  };
  const form = () => container.querySelector<HTMLFormElement>('form.filters')!;
  const control = (name: string) => form().elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const choose = async (name: string, value: string) =>
    act(async () => {
      const element = control(name);
      element.value = value;
      element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    });
  const submit = async () => {
    await act(async () => {
      form().dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(settle);
  };

  it('reads filters from the address, dropping what it does not know', () => {
    const search = `?account=42&filters=${encodeURIComponent(JSON.stringify({ objectType: ['user', 'nope'], objectId: '4711', action: ['hack'], q: 5, tz: 'Mars/Olympus' }))}`;
    expect(filtersFromSearch(search)).toEqual({ accountId: '42', filters: { objectType: ['user'], objectId: '4711' } });
    expect(filtersFromSearch(`?filters=${encodeURIComponent('{"tz":"Asia/Tokyo"}')}`).filters).toEqual({ tz: 'Asia/Tokyo' });
    expect(filtersFromSearch('?filters=%7Bbroken')).toEqual({ accountId: null, filters: {} });
  });

  it("shows the reference page's columns, filters, pages with the cursor and exports what is filtered", async () => {
    const client = setup();
    await show(client);
    expect(client.access).toHaveBeenCalledWith({ accountId: '777' });
    expect(client.events).toHaveBeenLastCalledWith({
      accountId: '777',
      filters: { tz: 'Europe/Berlin' },
      cursor: undefined,
      limit: 50,
      order: 'desc',
      count: true,
    });
    expect([...container.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'Object type',
      'Object name',
      'Action type',
      'Element',
      'Old value',
      'New value',
      'Date (Europe/Berlin)',
      'Originator',
    ]);
    expect(container.querySelector('tbody tr')!.textContent).toContain('Tier 1');

    await choose('objectType', 'skill');
    await choose('action', 'delete');
    await choose('element', 'Name');
    await choose('q', 'billing');
    await choose('from', '2026-01-01');
    await submit();
    const filters = { objectType: ['skill'], action: ['delete'], element: 'Name', q: 'billing', from: '2026-01-01', tz: 'Europe/Berlin' };
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters, cursor: undefined, limit: 50, order: 'desc', count: true });

    await act(async () => button('Next page').click());
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters, cursor: 'p2', limit: 50, order: 'desc' });
    expect(container.textContent).toContain('Page 2');
    expect(button('Next page').disabled).toBe(true);
    await act(async () => button('Previous page').click());
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters, cursor: undefined, limit: 50, order: 'desc', count: true });

    await act(async () => {
      const select = container.querySelector<HTMLSelectElement>('.export select')!;
      select.value = 'csv';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => button('Export').click());
    await act(settle);
    expect(client.export).toHaveBeenCalledWith({ accountId: '777', filters, format: 'csv' });
    expect(container.querySelector('.export [role="status"]')!.textContent).toBe('Downloading audit-trail_777_skill_delete_all.csv');
  });

  it('keeps the chosen object type and action after Apply, so the next Apply keeps them too (also when opened from the panel)', async () => {
    const client = setup();
    await show(client, { objectType: ['user'], objectId: '4711' });
    expect(control('objectType').value).toBe('user');
    await choose('action', 'edit');
    await submit();
    expect(control('objectType').value).toBe('user');
    expect(control('action').value).toBe('edit');
    await choose('q', 'tier');
    await submit();
    expect(control('action').value).toBe('edit');
    expect(client.events).toHaveBeenLastCalledWith({
      accountId: '777',
      filters: { objectType: ['user'], objectId: '4711', action: ['edit'], q: 'tier', tz: 'Europe/Berlin' },
      cursor: undefined,
      limit: 50,
      order: 'desc',
      count: true,
    });
  });

  it("shows dates in the zone the filters use: the account's by default, or the one picked", async () => {
    const client = setup();
    client.events.mockImplementation(async () => okResult({ events: [event({ occurredAt: '2026-10-01T22:30:00Z' })], nextCursor: null }));
    await show(client);
    // 22:30Z on Oct 1 is Oct 2 in Berlin: shown and filtered as Oct 2.
    expect(control('tz').value).toBe('Europe/Berlin');
    expect(container.querySelector('time')!.textContent).toMatch(/Oct 2, 2026/);
    expect([...container.querySelectorAll('th')].map((th) => th.textContent)).toContain('Date (Europe/Berlin)');
    const zones = [...(control('tz') as HTMLSelectElement).options].map((o) => o.textContent);
    expect(zones.slice(0, 3)).toEqual(['Europe/Berlin (account)', 'America/New_York (this browser)', 'UTC']);

    await choose('tz', 'UTC');
    await choose('from', '2026-10-01');
    await submit();
    expect(client.events).toHaveBeenLastCalledWith({
      accountId: '777',
      filters: { from: '2026-10-01', tz: 'UTC' },
      cursor: undefined,
      limit: 50,
      order: 'desc',
      count: true,
    });
    expect(container.querySelector('time')!.textContent).toMatch(/Oct 1, 2026/);
    expect([...container.querySelectorAll('th')].map((th) => th.textContent)).toContain('Date (UTC)');
    expect(control('tz').value).toBe('UTC');
    await act(async () => button('Export').click());
    await act(settle);
    expect(client.export).toHaveBeenLastCalledWith({ accountId: '777', filters: { from: '2026-10-01', tz: 'UTC' }, format: 'xlsx' });
  });

  it('marks rows imported from LivePerson in the Originator column', async () => {
    const client = setup();
    client.events.mockImplementation(async () =>
      okResult({ events: [event({ source: 'liveperson' }), event({ source: 'api', changeId: 'other' })], nextCursor: null }),
    );
    await show(client);
    const rows = [...container.querySelectorAll('tbody tr')];
    const cell = rows[0]!.querySelectorAll('td')[7]!;
    expect(cell.textContent).toBe('Admin AmyLivePerson');
    expect(cell.querySelector('[data-source="liveperson"]')!.getAttribute('title')).toMatch(/LivePerson’s own audit trail/);
    expect(rows[1]!.querySelectorAll('td')[7]!.textContent).toBe('Admin Amy');
  });

  it('"Try again" reads the same page again', async () => {
    const client = setup();
    let online = false;
    client.events.mockImplementation(async () =>
      online ? okResult({ events: [event()], nextCursor: null }) : { ok: false, error: { kind: 'offline', detail: 'down' } },
    );
    await show(client);
    expect(container.querySelectorAll('[role="alert"]')).toHaveLength(1);
    online = true;
    const calls = client.events.mock.calls.length;
    await act(async () => button('Try again').click());
    await act(settle);
    expect(client.events.mock.calls.length).toBe(calls + 1);
    expect(container.querySelectorAll('tbody tr')).toHaveLength(1);
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('follows the scopes: no Export without audit:export; one message and no table or pager without audit:read', async () => {
    const reader = setup({ scopes: ['audit:read'], canExport: false });
    await show(reader);
    expect(button('Export')).toBeUndefined();
    expect(container.querySelector('.export')).toBeNull();
    expect(container.querySelectorAll('tbody tr')).toHaveLength(1);
    render(null, container);

    const admin = setup({ scopes: ['account:admin'], canRead: false, canExport: false });
    await show(admin);
    expect(admin.events).not.toHaveBeenCalled();
    expect(container.querySelectorAll('[role="alert"]')).toHaveLength(1);
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('account:admin');
    expect(container.querySelector('.pager')).toBeNull();
    expect(container.querySelector('form.filters')).toBeNull();
    expect(button('Export')).toBeUndefined();
  });

  it('says once what is wrong when the token is refused, and tries the check again', async () => {
    const client = setup();
    client.access.mockResolvedValueOnce({ ok: false, error: { kind: 'offline', detail: 'down' } });
    await show(client);
    expect(container.querySelectorAll('[role="alert"]')).toHaveLength(1);
    expect(container.querySelector('.pager')).toBeNull();
    await act(async () => button('Try again').click());
    for (let i = 0; i < 3; i++) await act(settle);
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(container.querySelectorAll('tbody tr')).toHaveLength(1);
  });
});
