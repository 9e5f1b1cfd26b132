// The message layer: typed requests from content scripts and pages, answered by the
// background through WXT's fake browser, with the API behind a fake fetch.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Connection } from '../../extension/api/client';
import type { BackgroundDeps } from '../../extension/background/handlers';
import { startBackground } from '../../extension/background/start';
import { messageClient } from '../../extension/messaging/protocol';
import { event } from './support';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (status: number, detail: string, errors?: { path: string; message: string }[]) =>
  new Response(JSON.stringify({ type: 'x', title: 't', status, detail, ...(errors ? { errors } : {}) }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

let stored: Connection;
let fetch: ReturnType<typeof vi.fn>;
let deps: BackgroundDeps;

beforeEach(() => {
  fakeBrowser.reset();
  stored = { apiUrl: 'http://127.0.0.1:8787', accountId: '12345678', token: 'atr_secret' };
  fetch = vi.fn();
  deps = {
    fetch: fetch as unknown as BackgroundDeps['fetch'],
    loadConnection: async () => stored,
    saveConnection: async (connection) => {
      stored = connection;
    },
    openTab: vi.fn(async () => {}),
    openOptions: vi.fn(async () => {}),
    pageUrl: (path) => `chrome-extension://test${path}`,
    download: vi.fn(async () => {}),
  };
  startBackground(deps);
});

describe('messages', () => {
  it("asks /me and the account for the page's account and reports what the token may do, and the account's zone", async () => {
    fetch.mockImplementation(async (url: string) =>
      url.endsWith('/me')
        ? json({ accountId: '999', tokenId: 't', name: 'Viewer', scopes: ['audit:read'] })
        : json({ id: '999', name: 'Acme', timezone: 'Europe/Berlin' }),
    );
    const access = await messageClient.access({ accountId: '999' });
    expect(access).toEqual({
      ok: true,
      value: { accountId: '999', scopes: ['audit:read'], canRead: true, canExport: false, timeZone: 'Europe/Berlin', accountName: 'Acme' },
    });
    expect(fetch.mock.calls.map(([url]) => url).sort()).toEqual([
      'http://127.0.0.1:8787/v1/accounts/999',
      'http://127.0.0.1:8787/v1/accounts/999/me',
    ]);
    expect(fetch.mock.calls[0]![1].headers.Authorization).toBe('Bearer atr_secret');
  });

  it('asks for one element, a page after the cursor, filtered by element', async () => {
    fetch.mockResolvedValueOnce(json({ events: [event()], nextCursor: 'next' }));
    const page = await messageClient.history({
      accountId: '12345678',
      object: { objectType: 'agentGroup', objectId: '-1' },
      element: 'Member of',
      cursor: 'abc',
      limit: 20,
    });
    expect(page.ok && page.value.nextCursor).toBe('next');
    const url = new URL(fetch.mock.calls[0]![0]);
    expect(url.pathname).toBe('/v1/accounts/12345678/objects/agentGroup/-1/events');
    expect(Object.fromEntries(url.searchParams)).toEqual({ element: 'Member of', cursor: 'abc', limit: '20' });
  });

  it('asks for the order and the count; an API that refuses them (400) is asked again without them', async () => {
    fetch.mockResolvedValueOnce(json({ events: [], nextCursor: null, total: '100000+' }));
    const counted = await messageClient.events({ accountId: '1', filters: { element: 'Skills' }, limit: 25, order: 'asc', count: true });
    expect(counted.ok && counted.value.total).toBe('100000+');
    expect(Object.fromEntries(new URL(fetch.mock.calls[0]![0]).searchParams)).toEqual({
      element: 'Skills',
      limit: '25',
      order: 'asc',
      count: 'true',
    });

    fetch.mockReset();
    fetch
      .mockResolvedValueOnce(
        problem(400, 'The query string is invalid; see errors.', [{ path: 'query.count', message: 'is not a known parameter' }]),
      )
      .mockResolvedValueOnce(json({ events: [], nextCursor: null }));
    const older = await messageClient.events({ accountId: '1', filters: {}, order: 'asc', count: true });
    expect(older).toEqual({ ok: true, value: { events: [], nextCursor: null } });
    expect(Object.fromEntries(new URL(fetch.mock.calls[1]![0]).searchParams)).toEqual({ limit: '50' });

    // Any other 400 is the answer: a stale cursor of an oldest-first listing is not retried newest first.
    fetch.mockReset();
    const badCursor = problem(400, 'The cursor is invalid.', [{ path: 'query.cursor', message: 'is not a cursor of this query' }]);
    fetch.mockResolvedValueOnce(badCursor);
    const refused = await messageClient.events({ accountId: '1', filters: {}, cursor: 'stale', order: 'asc', count: true });
    expect(refused.ok || refused.error.errors).toEqual([{ path: 'query.cursor', message: 'is not a cursor of this query' }]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("asks for the facets of the account's events or of one object's, with a prefix", async () => {
    const facets = { total: 3, elements: [], originators: [], objectTypes: [], actions: [], days: [] };
    fetch.mockResolvedValue(json(facets));
    expect(await messageClient.facets({ accountId: '1', object: null, filters: { tz: 'UTC' }, prefix: 'Ma', limit: 20 })).toEqual({
      ok: true,
      value: facets,
    });
    const url = new URL(fetch.mock.calls[0]![0]);
    expect(url.pathname).toBe('/v1/accounts/1/events/facets');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tz: 'UTC', prefix: 'Ma', limit: '20' });
    await messageClient.facets({ accountId: '1', object: { objectType: 'user', objectId: '4711' }, filters: {} });
    expect(new URL(fetch.mock.calls[1]![0]).pathname).toBe('/v1/accounts/1/objects/user/4711/events/facets');
  });

  it('without an element, asks for the account-wide history', async () => {
    fetch.mockResolvedValueOnce(json({ events: [], nextCursor: null }));
    await messageClient.history({ accountId: '12345678', object: null });
    expect(new URL(fetch.mock.calls[0]![0]).pathname).toBe('/v1/accounts/12345678/events');
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [422, 'invalid'],
    [503, 'server'],
  ])('turns a %i problem into a %s error with its detail', async (status, kind) => {
    fetch.mockResolvedValueOnce(problem(status, 'Because.'));
    expect(await messageClient.events({ accountId: '1', filters: {} })).toEqual({ ok: false, error: { kind, status, detail: 'Because.' } });
  });

  it('a network failure is "offline"; no settings is "not-configured" and calls nothing', async () => {
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const offline = await messageClient.events({ accountId: '1', filters: {} });
    expect(!offline.ok && offline.error.kind).toBe('offline');
    stored = { apiUrl: '', accountId: '', token: '' };
    const missing = await messageClient.events({ accountId: '1', filters: {} });
    expect(!missing.ok && missing.error.kind).toBe('not-configured');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('exports through a single-use link handed to the downloads API, with a file name that says what was exported', async () => {
    fetch.mockResolvedValueOnce(json({ url: 'http://127.0.0.1:8787/v1/export-links/atl_x', expiresAt: '2026-12-02T00:01:00Z' }, 201));
    const started = await messageClient.export({
      accountId: '1',
      filters: { objectType: ['user'], objectId: '4711', element: 'Skills', tz: 'Europe/Berlin' },
      format: 'xlsx',
      objectName: 'Jane Doe',
    });
    const filename = 'audit-trail_1_user-4711-Jane-Doe_element-Skills_all.xlsx';
    expect(started).toEqual({ ok: true, value: { filename } });
    const [href, init] = fetch.mock.calls[0]!;
    const url = new URL(href);
    expect(init.method).toBe('POST');
    expect(init.headers.Authorization).toBe('Bearer atr_secret');
    expect(url.pathname).toBe('/v1/accounts/1/events/export-links');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      objectType: 'user',
      objectId: '4711',
      element: 'Skills',
      tz: 'Europe/Berlin',
      format: 'xlsx',
      filename,
    });
    // The file never passes through messaging: the browser fetches the link itself.
    expect(deps.download).toHaveBeenCalledWith({ url: 'http://127.0.0.1:8787/v1/export-links/atl_x', filename });
    expect(JSON.stringify(started)).not.toContain('atl_x');
  });

  it('names account-wide exports by their filters and range, and reports a refused export without downloading', async () => {
    fetch.mockResolvedValueOnce(json({ url: 'http://127.0.0.1:8787/v1/export-links/atl_y', expiresAt: 'x' }, 201));
    const started = await messageClient.export({
      accountId: '12345678',
      filters: { objectType: ['skill', 'agentGroup'], action: ['delete'], q: 'billing/EMEA', from: '2026-10-01', to: '2026-10-31' },
      format: 'csv',
    });
    expect(started).toEqual({
      ok: true,
      value: { filename: 'audit-trail_12345678_skill+agentGroup_delete_q-billing-EMEA_2026-10-01_2026-10-31.csv' },
    });
    fetch.mockResolvedValueOnce(problem(422, '120,000 events match these filters'));
    const refused = await messageClient.export({ accountId: '12345678', filters: {}, format: 'xlsx' });
    expect(refused).toEqual({ ok: false, error: { kind: 'invalid', status: 422, detail: '120,000 events match these filters' } });
    expect(deps.download).toHaveBeenCalledTimes(1);
  });

  it('asks again when no background received the message yet (a service worker starting), and only then', async () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage');
    send.mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'));
    expect(await messageClient.getSettings({})).toEqual({
      ok: true,
      value: { apiUrl: 'http://127.0.0.1:8787', accountId: '12345678', hasToken: true },
    });
    expect(send).toHaveBeenCalledTimes(2);
    send.mockClear();
    // Any other failure may have reached the background: not sent again, answered as an error.
    send.mockRejectedValueOnce(new Error('Extension context invalidated.'));
    expect(await messageClient.getSettings({})).toMatchObject({ ok: false, error: { kind: 'server' } });
    expect(send).toHaveBeenCalledTimes(1);
    send.mockRestore();
  });

  it('never gives the token back; an empty token field keeps the stored one', async () => {
    expect(await messageClient.getSettings({})).toEqual({
      ok: true,
      value: { apiUrl: 'http://127.0.0.1:8787', accountId: '12345678', hasToken: true },
    });
    const saved = await messageClient.saveSettings({ apiUrl: 'https://audit.example.com/', accountId: ' 42 ', token: '' });
    expect(saved).toEqual({ ok: true, value: { apiUrl: 'https://audit.example.com', accountId: '42', hasToken: true } });
    expect(stored.token).toBe('atr_secret');
    expect(JSON.stringify(await messageClient.getSettings({}))).not.toContain('atr_secret');
  });

  it('refuses a bad API URL and tests the connection with the typed token', async () => {
    const bad = await messageClient.saveSettings({ apiUrl: 'javascript:alert(1)', accountId: '1', token: 'x' });
    expect(!bad.ok && bad.error.kind).toBe('invalid');
    fetch.mockResolvedValueOnce(json({ accountId: '42', tokenId: 't', name: 'Viewer', scopes: ['audit:read'] }));
    const me = await messageClient.testConnection({ apiUrl: 'http://127.0.0.1:8787', accountId: '42', token: 'atr_new' });
    expect(me.ok && me.value.name).toBe('Viewer');
    expect(fetch.mock.calls[0]![1].headers.Authorization).toBe('Bearer atr_new');
  });

  it('opens the full audit trail with the account and filters', async () => {
    await messageClient.openAuditTrail({ accountId: '42', filters: { objectType: ['user'], objectId: '4711' } });
    const url = new URL(vi.mocked(deps.openTab).mock.calls[0]![0]);
    expect(url.pathname).toBe('/audit-trail.html');
    expect(url.searchParams.get('account')).toBe('42');
    expect(JSON.parse(url.searchParams.get('filters')!)).toEqual({ objectType: ['user'], objectId: '4711' });
  });

  it('ignores messages from other extensions and messages it does not know', async () => {
    const listeners = await fakeBrowser.runtime.onMessage.trigger({ type: 'access', accountId: '1' }, { id: 'someone-else' });
    expect(listeners).toEqual([undefined]);
    const unknown = await fakeBrowser.runtime.onMessage.trigger({ type: 'steal-token' }, {});
    expect(unknown).toEqual([undefined]);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('LivePerson messages', () => {
  const base = 'http://127.0.0.1:8787/v1/accounts/12345678';
  const connected = {
    connected: true,
    state: 'syncing',
    backfill: null,
    importedEvents: 12,
    lastSyncAt: null,
    lastError: null,
    skipped: {},
  };
  const me = (scopes: string[]) => json({ accountId: '12345678', tokenId: 't', name: 'Admin', scopes });
  const calls = () => fetch.mock.calls.map(([url, init]) => `${init?.method ?? 'GET'} ${url}`);

  it('connects with a PUT of the four key strings (as JSON, with the token), and passes a refusal on with its fields', async () => {
    fetch.mockResolvedValueOnce(json(connected));
    const auth = { type: 'oauth1' as const, consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' };
    expect(await messageClient.connectLivePerson({ auth })).toEqual({ ok: true, value: connected });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${base}/sources/liveperson`);
    expect(init.method).toBe('PUT');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer atr_secret', 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual({ auth });

    fetch.mockResolvedValueOnce(
      new Response(
        JSON.stringify({ status: 422, title: 'x', detail: 'LivePerson refused the key.', errors: [{ path: '/auth', message: 'wrong' }] }),
        { status: 422, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    expect(await messageClient.connectLivePerson({ auth })).toEqual({
      ok: false,
      error: { kind: 'invalid', status: 422, detail: 'LivePerson refused the key.', errors: [{ path: '/auth', message: 'wrong' }] },
    });
  });

  it('reads the status only for an admin token; otherwise says which scopes it has', async () => {
    fetch.mockImplementation(async (url: string) => (url.endsWith('/me') ? me(['audit:read']) : json(connected)));
    expect(await messageClient.livePerson({})).toEqual({
      ok: true,
      value: { accountId: '12345678', scopes: ['audit:read'], canAdmin: false, status: null },
    });
    expect(calls()).toEqual([`GET ${base}/me`]);
    fetch.mockImplementation(async (url: string) => (url.endsWith('/me') ? me(['account:admin']) : json(connected)));
    expect(await messageClient.livePerson({})).toMatchObject({ ok: true, value: { canAdmin: true, status: connected } });
  });

  it('after a save asks for a sync only when LivePerson is connected and the token is an admin', async () => {
    let scopes = ['audit:read'];
    let status: Record<string, unknown> = connected;
    fetch.mockImplementation(async (url: string) =>
      url.endsWith('/me') ? me(scopes) : url.endsWith('/sync') ? json({ ...status, queued: true }, 202) : json(status),
    );
    expect(await messageClient.afterSave({ accountId: '12345678' })).toEqual({ ok: true, value: { syncRequested: false } });
    expect(calls()).toEqual([`GET ${base}/me`]);

    scopes = ['account:admin'];
    fetch.mockClear();
    expect(await messageClient.afterSave({ accountId: '12345678' })).toEqual({ ok: true, value: { syncRequested: true } });
    expect(calls()).toEqual([`GET ${base}/me`, `GET ${base}/sources/liveperson`, `POST ${base}/sources/liveperson/sync`]);

    for (const stopped of [
      { ...connected, connected: false, state: null },
      { ...connected, state: 'error' },
    ]) {
      status = stopped;
      fetch.mockClear();
      expect(await messageClient.afterSave({ accountId: '12345678' })).toEqual({ ok: true, value: { syncRequested: false } });
      expect(calls()).not.toContain(`POST ${base}/sources/liveperson/sync`);
    }
  });
});
