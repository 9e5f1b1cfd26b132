// The options page and the full audit trail page, with fake clients.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '../../extension/lib/messages';
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
    getSettings: vi.fn(async () => ({ apiUrl: '', accountId: '', hasToken: false })),
    saveSettings: vi.fn<Client['saveSettings']>(async (input) => okResult({ apiUrl: input.apiUrl, accountId: input.accountId, hasToken: true })),
    testConnection: vi.fn<Client['testConnection']>(async () =>
      okResult({ accountId: '12345678', tokenId: 't1', name: 'Viewer', scopes: ['audit:read', 'audit:export'] }),
    ),
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

  it('"Test connection" reports the account and scopes, or a clear error', async () => {
    const fake = client();
    await act(async () => render(<Options client={fake} requestOrigin={async () => true} />, container));
    await act(async () => button('Test connection').click());
    await act(settle);
    expect(container.querySelector('[role="status"]')!.textContent).toBe(
      'Connected to account 12345678 with token “Viewer”. Scopes: audit:read, audit:export.',
    );
    fake.testConnection.mockResolvedValueOnce({ ok: false, error: { kind: 'unauthorized', status: 401, detail: 'The token is not valid.' } });
    await act(async () => button('Test connection').click());
    await act(settle);
    expect(container.querySelector('[role="status"]')!.textContent).toContain('The token is not valid.');
  });
});

describe('full audit trail page', () => {
  const setup = () => {
    const client = {
      events: vi.fn<Client['events']>(async ({ cursor }) =>
        okResult({ events: [event({ element: cursor ? 'Email' : 'Member of' })], nextCursor: cursor === 'p2' ? null : 'p2' }),
      ),
      export: vi.fn<Client['export']>(async () => okResult({ filename: 'audit.csv', mimeType: 'text/csv', base64: 'QQ==' })),
      openOptions: vi.fn(async () => okResult(null)),
      getSettings: vi.fn(async () => ({ apiUrl: 'x', accountId: '777', hasToken: true })),
    };
    return client;
  };

  it('reads filters from the address, dropping what it does not know', () => {
    const search = `?account=42&filters=${encodeURIComponent(JSON.stringify({ objectType: ['user', 'nope'], objectId: '4711', action: ['hack'], q: 5 }))}`;
    expect(filtersFromSearch(search)).toEqual({ accountId: '42', filters: { objectType: ['user'], objectId: '4711' } });
    expect(filtersFromSearch('?filters=%7Bbroken')).toEqual({ accountId: null, filters: {} });
  });

  it("shows the reference page's columns, filters, pages with the cursor and exports what is filtered", async () => {
    const client = setup();
    const saveFile = vi.fn();
    await act(async () =>
      render(<AuditTrailPage client={client} accountId={null} initialFilters={{}} timeZone="UTC" saveFile={saveFile} />, container),
    );
    await act(settle);
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters: {}, cursor: undefined, limit: 50 });
    expect([...container.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'Object type',
      'Object name',
      'Action type',
      'Element',
      'Old value',
      'New value',
      'Date',
      'Originator',
    ]);
    expect(container.querySelector('tbody tr')!.textContent).toContain('Tier 1');

    await act(async () => {
      const form = container.querySelector('form')!;
      (form.elements.namedItem('objectType') as HTMLSelectElement).value = 'skill';
      (form.elements.namedItem('action') as HTMLSelectElement).value = 'delete';
      (form.elements.namedItem('element') as HTMLInputElement).value = 'Name';
      (form.elements.namedItem('q') as HTMLInputElement).value = 'billing';
      (form.elements.namedItem('from') as HTMLInputElement).value = '2026-01-01';
      form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(settle);
    const filters = { objectType: ['skill'], action: ['delete'], element: 'Name', q: 'billing', from: '2026-01-01' };
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters, cursor: undefined, limit: 50 });

    await act(async () => button('Next page').click());
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters, cursor: 'p2', limit: 50 });
    expect(container.textContent).toContain('Page 2');
    expect(button('Next page').disabled).toBe(true);
    await act(async () => button('Previous page').click());
    await act(settle);
    expect(client.events).toHaveBeenLastCalledWith({ accountId: '777', filters, cursor: undefined, limit: 50 });

    await act(async () => {
      const select = container.querySelector<HTMLSelectElement>('.export select')!;
      select.value = 'csv';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => button('Export').click());
    await act(settle);
    expect(client.export).toHaveBeenCalledWith({ accountId: '777', filters, format: 'csv', tz: 'UTC' });
    expect(saveFile).toHaveBeenCalled();
  });
});
