// The options page's LivePerson section, with a fake client: connect, status and progress,
// polling while backfilling (not while hidden), problems in words, no form without account:admin.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../extension/api/client';
import type { LivePersonStatus } from '../../extension/api/types';
import type { Client, LivePersonView } from '../../extension/messaging/protocol';
import { LivePersonSettings, POLL_MS, progressText } from '../../extension/ui/liveperson-settings';
import { okResult, settle } from './support';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
  vi.useRealTimers();
});

const TODAY = new Date('2026-12-02T10:00:00Z');
const status = (overrides: Partial<LivePersonStatus> = {}): LivePersonStatus => ({
  connected: true,
  state: 'backfilling',
  backfill: { from: '2026-01-01', to: '2026-12-02', through: '2026-08-10', daysDone: 222, daysTotal: 336 },
  importedEvents: 48_210,
  lastSyncAt: '2026-12-02T09:58:00Z',
  lastError: null,
  skipped: {},
  ...overrides,
});
const done = (daysDone: number, more: Partial<LivePersonStatus> = {}) =>
  status({ backfill: { from: '2026-01-01', to: '2026-12-02', through: null, daysDone, daysTotal: 336 }, ...more });
const notConnected = status({ connected: false, state: null, backfill: null, importedEvents: 0, lastSyncAt: null });
const admin = (s: LivePersonStatus): Result<LivePersonView> =>
  okResult({ accountId: '12345678', scopes: ['account:admin', 'audit:read'], canAdmin: true, status: s });

function setup(first: Result<LivePersonView>) {
  return {
    livePerson: vi.fn<Client['livePerson']>(async () => first),
    connectLivePerson: vi.fn<Client['connectLivePerson']>(async () => okResult(done(0, { importedEvents: 0 }))),
    syncLivePerson: vi.fn<Client['syncLivePerson']>(async () => okResult({ ...status({ state: 'syncing' }), queued: true })),
    disconnectLivePerson: vi.fn<Client['disconnectLivePerson']>(async () => okResult(null)),
  };
}
const show = async (client: ReturnType<typeof setup>, doc: Document = document) => {
  await act(async () => render(<LivePersonSettings client={client} settingsKey={0} doc={doc} now={() => TODAY} />, container));
  await act(() => settle());
};
const type = (name: string, value: string) => {
  const input = container.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
const tick = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
const text = () => container.textContent ?? '';

describe('LivePerson on the options page', () => {
  it('words the progress: imported changes, months, percent of days', () => {
    expect(progressText(status(), '2026-12-02')).toBe('Imported 48,210 changes · Jan 2026 → today · 66 %');
    expect(progressText(status({ importedEvents: 1 }), '2026-12-05')).toBe('Imported 1 change · Jan 2026 → Dec 2026 · 66 %');
    expect(progressText(status({ backfill: null, importedEvents: 3 }), '2026-12-02')).toBe('Imported 3 changes');
  });

  it('"Test and connect" sends the four key strings (and the start day) and shows the status it answers', async () => {
    const client = setup(admin(notConnected));
    await show(client);
    expect(button('Sync now')).toBeUndefined();
    await act(async () => {
      type('consumerKey', 'ck-1');
      type('consumerSecret', 'cs-2');
      type('token', 'tk-3');
      type('tokenSecret', 'ts-4');
      type('backfillFrom', '2026-11-01');
    });
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(() => settle());
    expect(client.connectLivePerson).toHaveBeenCalledWith({
      auth: { type: 'oauth1', consumerKey: 'ck-1', consumerSecret: 'cs-2', token: 'tk-3', tokenSecret: 'ts-4' },
      backfillFrom: '2026-11-01',
    });
    expect(text()).toContain('Importing the history');
    expect(container.querySelector('progress')!.getAttribute('max')).toBe('336');
    expect(text()).toContain('Imported 0 changes · Jan 2026 → today · 0 %');
    // The key is not kept on the page.
    expect(container.querySelector('[name="consumerKey"]')).toBeNull();
    expect(button('Sync now')).toBeDefined();
  });

  it('says in words why LivePerson refused the key, naming the field', async () => {
    const client = setup(admin(notConnected));
    client.connectLivePerson.mockResolvedValueOnce({
      ok: false,
      error: {
        kind: 'invalid',
        status: 422,
        detail: 'LivePerson refused the API key (401): check the app key and secret.',
        errors: [{ path: '/auth/consumerKey', message: 'refused by LivePerson' }],
      },
    });
    await show(client);
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(() => settle());
    const alert = container.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('LivePerson did not accept the API key');
    expect(alert.textContent).toContain('check the app key and secret');
    expect(alert.textContent).toContain('App key: refused by LivePerson');
    expect(container.querySelector('form')).not.toBeNull();

    client.connectLivePerson.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'server', status: 503, detail: 'LivePerson did not answer; nothing was stored.' },
    });
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await act(() => settle());
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('LivePerson did not answer; nothing was stored.');
  });

  it('without account:admin says what is needed instead of a form', async () => {
    const client = setup(okResult({ accountId: '12345678', scopes: ['audit:read', 'audit:export'], canAdmin: false, status: null }));
    await show(client);
    expect(container.querySelector('form')).toBeNull();
    expect(container.querySelector('[data-state="needs-admin"]')!.textContent).toContain('account:admin');
    expect(text()).toContain('This token has audit:read, audit:export');
  });

  it('reads the status every few seconds while backfilling, not while the page is hidden, and stops once syncing', async () => {
    vi.useFakeTimers();
    let visibility: DocumentVisibilityState = 'visible';
    const doc = document.implementation.createHTMLDocument('options');
    Object.defineProperty(doc, 'visibilityState', { get: () => visibility });
    const client = setup(admin(status()));
    await act(async () => render(<LivePersonSettings client={client} settingsKey={0} doc={doc} now={() => TODAY} />, container));
    await tick(0);
    expect(client.livePerson).toHaveBeenCalledTimes(1);
    expect(text()).toContain('Imported 48,210 changes · Jan 2026 → today · 66 %');

    client.livePerson.mockResolvedValue(admin(done(300, { importedEvents: 60_000 })));
    await tick(POLL_MS);
    await tick(0);
    expect(client.livePerson).toHaveBeenCalledTimes(2);
    expect(text()).toContain('Imported 60,000 changes · Jan 2026 → today · 89 %');

    visibility = 'hidden';
    await act(async () => {
      doc.dispatchEvent(new Event('visibilitychange'));
    });
    await tick(POLL_MS * 5);
    expect(client.livePerson).toHaveBeenCalledTimes(2);

    client.livePerson.mockResolvedValue(admin(done(336, { state: 'syncing', importedEvents: 70_000 })));
    visibility = 'visible';
    await act(async () => {
      doc.dispatchEvent(new Event('visibilitychange'));
    });
    await tick(POLL_MS);
    await tick(0);
    expect(client.livePerson).toHaveBeenCalledTimes(3);
    expect(text()).toContain('in sync');
    expect(container.querySelector('progress')).toBeNull();
    await tick(POLL_MS * 5);
    expect(client.livePerson).toHaveBeenCalledTimes(3);
  });

  it('shows the last error and skipped rows; "Sync now" and "Disconnect" ask the background', async () => {
    const client = setup(
      admin(
        status({
          state: 'syncing',
          lastError: 'LivePerson answered 500 for 2026-12-01; retrying.',
          skipped: { 'unknown object type: Secure Forms': 1234 },
        }),
      ),
    );
    await show(client);
    expect(text()).toContain('LivePerson answered 500 for 2026-12-01; retrying.');
    expect(text()).toContain('unknown object type: Secure Forms: 1,234');
    await act(async () => button('Sync now')!.click());
    await act(() => settle());
    expect(client.syncLivePerson).toHaveBeenCalledWith({});
    expect(text()).toContain('Sync queued');

    client.livePerson.mockResolvedValue(admin(notConnected));
    await act(async () => button('Disconnect')!.click());
    await act(() => settle());
    expect(client.disconnectLivePerson).toHaveBeenCalledWith({});
    expect(text()).toContain('The history imported so far stays.');
    expect(container.querySelector('[name="consumerKey"]')).not.toBeNull();
  });

  it('in state error offers to connect again with a new key, and no sync', async () => {
    const client = setup(admin(status({ state: 'error', lastError: 'LivePerson refused the API key (401): create a new key.' })));
    await show(client);
    expect(text()).toContain('Stopped');
    expect(text()).toContain('create a new key');
    expect(button('Sync now')!.disabled).toBe(true);
    expect(container.querySelector('[name="tokenSecret"]')).not.toBeNull();
  });
});
