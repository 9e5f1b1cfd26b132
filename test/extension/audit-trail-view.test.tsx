// The full page's view: account name, columns, order, page size, the empty state, the
// address holding it all, counts, suggestions and the chart of changes per day.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Facets } from '../../extension/api/types';
import type { Client } from '../../extension/messaging/protocol';
import { AuditTrailPage, totalText } from '../../extension/ui/audit-trail-page';
import { DEFAULT_COLUMNS, searchOfView, viewFromSearch } from '../../extension/ui/page-address';
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

const FACETS: Facets = {
  total: 1234,
  elements: [
    { value: 'Member of', count: 700 },
    { value: 'Max chats', count: 20 },
  ],
  originators: [{ id: '17', name: 'Admin Amy', count: 900 }],
  objectTypes: [
    { value: 'user', count: 1000 },
    { value: 'skill', count: 234 },
  ],
  actions: [{ value: 'edit', count: 1200 }],
  days: [
    { day: '2026-11-25', count: 10 },
    { day: '2026-11-26', count: 4 },
  ],
};

function setup(options: { facets?: boolean; total?: boolean } = {}) {
  return {
    access: vi.fn<Client['access']>(async ({ accountId }) =>
      okResult({
        accountId,
        scopes: ['audit:read'],
        canRead: true,
        canExport: false,
        timeZone: 'Europe/Berlin',
        accountName: 'Acme Support',
      }),
    ),
    events: vi.fn<Client['events']>(async ({ cursor }) =>
      okResult({
        events: [event({ objectId: '4711', changeId: 'chg-1' })],
        nextCursor: cursor ? null : 'p2',
        ...(options.total ? { total: 1234 } : {}),
      }),
    ),
    facets: vi.fn<Client['facets']>(async () =>
      options.facets ? okResult(FACETS) : { ok: false, error: { kind: 'not-found', status: 404, detail: 'Not found' } },
    ),
    export: vi.fn<Client['export']>(),
    openOptions: vi.fn(async () => okResult(null)),
    getSettings: vi.fn<Client['getSettings']>(async () => okResult({ apiUrl: 'x', accountId: '777', hasToken: true })),
  };
}

const show = async (client: ReturnType<typeof setup>, search = '?account=777', onAddress = vi.fn()) => {
  const { accountId, filters, ...view } = viewFromSearch(search);
  await act(async () =>
    render(
      <AuditTrailPage
        client={client}
        accountId={accountId}
        initialFilters={filters}
        initialView={view}
        browserTimeZone="UTC"
        onAddress={onAddress}
      />,
      container,
    ),
  );
  for (let i = 0; i < 3; i++) await act(settle);
  return onAddress;
};
const select = async (name: string, value: string) =>
  act(async () => {
    const element = container.querySelector<HTMLSelectElement | HTMLInputElement>(`[name="${name}"]`)!;
    if (element instanceof HTMLInputElement && element.type === 'checkbox') element.checked = value === 'on';
    else element.value = value;
    element.dispatchEvent(
      new Event(element instanceof HTMLInputElement && element.type !== 'checkbox' ? 'input' : 'change', { bubbles: true }),
    );
  }).then(() => act(settle));
const headers = () => [...container.querySelectorAll('th')].map((th) => th.textContent);

describe('the full page view', () => {
  it("names the account, and puts every date's zone on it", async () => {
    await show(setup());
    expect(container.querySelector('h1')!.textContent).toBe('Audit trail — Acme Support (account 777)');
    expect(container.querySelector('tbody time')!.textContent).toMatch(/Nov 26, 2026.*(GMT\+1|CET)/);
  });

  it('offers Object ID and Change ID as columns', async () => {
    await show(setup());
    expect(headers()).not.toContain('Object ID');
    await select('column-objectId', 'on');
    await select('column-changeId', 'on');
    expect(headers()).toEqual([
      'Object type',
      'Object name',
      'Object ID',
      'Action type',
      'Element',
      'Old value',
      'New value',
      'Date (Europe/Berlin)',
      'Originator',
      'Change ID',
    ]);
    expect(container.querySelector('tbody tr')!.textContent).toContain('chg-1');
    await select('column-element', 'off');
    expect(headers()).not.toContain('Element');
  });

  it('sorts oldest first and pages by the chosen size, from the first page again', async () => {
    const client = setup();
    await show(client);
    await select('order', 'asc');
    expect(client.events).toHaveBeenLastCalledWith(expect.objectContaining({ order: 'asc', limit: 50, cursor: undefined }));
    await select('pageSize', '200');
    expect(client.events).toHaveBeenLastCalledWith(expect.objectContaining({ order: 'asc', limit: 200, cursor: undefined }));
    expect(container.querySelector('caption')!.textContent).toContain('oldest first');
  });

  it('shows no pager on the empty state', async () => {
    const client = setup();
    client.events.mockImplementation(async () => okResult({ events: [], nextCursor: null }));
    await show(client);
    expect(container.querySelector('[data-state="empty"]')).not.toBeNull();
    expect(container.querySelector('.pager')).toBeNull();
  });

  it('keeps the whole view in the address and restores it from there', async () => {
    const client = setup();
    const search = `?account=777&filters=${encodeURIComponent('{"element":"Max chats","tz":"UTC"}')}&order=asc&size=25&columns=objectName,changeId`;
    const onAddress = await show(client, search);
    expect(client.events).toHaveBeenLastCalledWith(
      expect.objectContaining({ filters: { element: 'Max chats', tz: 'UTC' }, order: 'asc', limit: 25 }),
    );
    expect(headers()).toEqual(['Object name', 'Change ID']);
    expect(viewFromSearch(onAddress.mock.lastCall![0] as string)).toEqual(viewFromSearch(search));
    await select('pageSize', '100');
    expect(viewFromSearch(onAddress.mock.lastCall![0] as string)).toEqual({
      accountId: '777',
      filters: { element: 'Max chats', tz: 'UTC' },
      order: 'asc',
      pageSize: 100,
      columns: ['objectName', 'changeId'],
    });
    // Defaults say nothing; what the address gets wrong is dropped.
    expect(searchOfView({ accountId: '1', filters: {}, order: 'desc', pageSize: 50, columns: DEFAULT_COLUMNS })).toBe('?account=1');
    expect(viewFromSearch('?order=up&size=7&columns=nope')).toMatchObject({ order: 'desc', pageSize: 50, columns: DEFAULT_COLUMNS });
  });

  it('without counts or facets from the API: no count, no chart, the loaded elements as suggestions', async () => {
    const client = setup();
    await show(client);
    // A 404 is not asked again when the filters change.
    await select('q', 'tier');
    await act(async () => {
      container.querySelector('form.filters')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith(expect.objectContaining({ filters: { q: 'tier', tz: 'Europe/Berlin' } }));
    expect(client.facets).toHaveBeenCalledTimes(1);
    expect(container.querySelector('.total')).toBeNull();
    expect(container.querySelector('.day-chart')).toBeNull();
    expect([...container.querySelectorAll('#element-suggestions option')].map((o) => o.getAttribute('value'))).toEqual(['Member of']);
  });

  it('with facets: the total, counts in the pickers, suggestions, and a chart whose bars filter to their day', async () => {
    const client = setup({ facets: true, total: true });
    await show(client);
    expect(container.querySelector('.total')!.textContent).toBe('1,234 changes');
    expect(totalText('100000+')).toBe('100,000+ changes');
    const typeOptions = [...container.querySelectorAll('[name="objectType"] option')].map((o) => o.textContent);
    expect(typeOptions).toContain('User (1,000)');
    expect(typeOptions).toContain('LoB (0)');
    expect([...container.querySelectorAll('#element-suggestions option')].map((o) => o.getAttribute('label'))).toEqual([
      'Member of (700)',
      'Max chats (20)',
    ]);
    expect(container.querySelector('#originator-suggestions option')!.getAttribute('label')).toBe('Admin Amy (900)');
    const bars = [...container.querySelectorAll<HTMLButtonElement>('.day-chart button.bar')];
    expect(bars.map((bar) => bar.getAttribute('aria-label'))).toEqual(['2026-11-25: 10 changes', '2026-11-26: 4 changes']);
    await act(async () => bars[1]!.click());
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith(
      expect.objectContaining({ filters: { from: '2026-11-26', to: '2026-11-26', tz: 'Europe/Berlin' }, cursor: undefined }),
    );
    expect(client.facets).toHaveBeenLastCalledWith(
      expect.objectContaining({ filters: { from: '2026-11-26', to: '2026-11-26', tz: 'Europe/Berlin' }, object: null }),
    );
    expect(container.querySelector<HTMLInputElement>('[name="from"]')!.value).toBe('2026-11-26');
  });

  it('asks for element suggestions by the typed prefix', async () => {
    const client = setup({ facets: true });
    await show(client);
    await select('element', 'Ma');
    // Asked once typing pauses (SUGGEST_DELAY_MS).
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    await act(settle);
    expect(client.facets).toHaveBeenLastCalledWith(expect.objectContaining({ prefix: 'Ma', limit: 20, filters: { tz: 'Europe/Berlin' } }));
  });
});
