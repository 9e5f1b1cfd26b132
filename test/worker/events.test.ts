// Reading history: every filter, keyset paging (also while writing), tamper-checked
// cursors, one element's history and retention, through the real Worker and D1.
import { createScheduledController, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../worker/index';
import { describe, expect, it } from 'vitest';
import { call, changeId, newAccount, recordChanges } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;
const events = (account: Account, query = '') => call(`/v1/accounts/${account.id}/events${query}`, { token: account.reader });

const record = recordChanges;

/** Follows nextCursor to the end; answers the event ids in order. */
async function readAll(account: Account, query: string, onPage?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const sep = query ? '&' : '?';
    const res: any = await events(account, query + (cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''));
    expect(res.status, res.text).toBe(200);
    ids.push(...res.json.events.map((e: any) => e.id));
    cursor = res.json.nextCursor;
    if (!cursor) return ids;
    await onPage?.(page);
  }
}

describe('GET .../events', () => {
  it('filters by every parameter of the contract', async () => {
    const account = await newAccount({ timezone: 'Europe/Berlin' });
    await record(account, [
      {
        objectType: 'user',
        objectId: '1',
        objectName: 'Jane Doe',
        action: 'edit',
        occurredAt: '2026-03-01T10:00:00Z',
        elements: [{ element: 'Email', oldValue: 'a@x', newValue: 'b@x' }],
      },
      {
        objectType: 'user',
        objectId: '2',
        objectName: 'John Roe',
        action: 'add',
        occurredAt: '2026-03-02T10:00:00Z',
        originator: { id: '99', name: 'Bot Bob' },
        elements: [{ element: 'Name', newValue: 'John Roe' }],
      },
      {
        objectType: 'skill',
        objectId: '1',
        objectName: 'Billing 100%',
        action: 'delete',
        occurredAt: '2026-03-03T23:30:00Z',
        elements: [{ element: 'Name', oldValue: 'Billing 100%' }],
      },
      {
        objectType: 'agentGroup',
        objectId: '7',
        objectName: 'Tier_2',
        action: 'edit',
        occurredAt: '2026-03-04T10:00:00Z',
        elements: [{ element: 'Parent group', oldValue: 'Root', newValue: 'EMEA' }],
      },
    ]);
    const names = async (query: string) => (await events(account, query)).json.events.map((e: any) => e.objectName);

    expect(await names('')).toEqual(['Tier_2', 'Billing 100%', 'John Roe', 'Jane Doe']);
    expect(await names('?objectType=user')).toEqual(['John Roe', 'Jane Doe']);
    expect(await names('?objectType=user,skill')).toEqual(['Billing 100%', 'John Roe', 'Jane Doe']);
    expect(await names('?objectType=user&objectId=1')).toEqual(['Jane Doe']);
    expect(await names('?action=add,delete')).toEqual(['Billing 100%', 'John Roe']);
    expect(await names('?element=Email')).toEqual(['Jane Doe']);
    expect(await names('?originatorId=99')).toEqual(['John Roe']);
    expect(await names('?q=bob')).toEqual(['John Roe']);
    expect(await names('?q=EMEA')).toEqual(['Tier_2']);
    expect(await names('?q=b%40x')).toEqual(['Jane Doe']);
    // LIKE wildcards in q are literal.
    expect(await names('?q=100%25')).toEqual(['Billing 100%']);
    expect(await names('?q=Tie__2')).toEqual([]);
    // Longer than D1's 50-byte LIKE pattern limit, and non-ASCII.
    expect(await names(`?q=${'x'.repeat(200)}`)).toEqual([]);
    expect(await names(`?q=${encodeURIComponent('jane doe')}`)).toEqual(['Jane Doe']);
    expect(await names('?from=2026-03-02T10:00:00Z&to=2026-03-03T23:59:00Z')).toEqual(['Billing 100%', 'John Roe']);
    // Dates are whole days in the account's time zone: 23:30Z on the 3rd is 00:30 on the 4th in Berlin.
    expect(await names('?from=2026-03-04&to=2026-03-04')).toEqual(['Tier_2', 'Billing 100%']);
    expect(await names('?to=2026-03-01')).toEqual(['Jane Doe']);
  });

  it("reads YYYY-MM-DD days in tz (default the account's), and binds cursors to tz", async () => {
    const account = await newAccount({ timezone: 'Europe/Berlin' });
    // 22:30Z on Oct 1 is Oct 2, 00:30 in Berlin and still Oct 1 in UTC.
    await record(account, [
      { objectId: 'late', occurredAt: '2026-10-01T22:30:00Z' },
      { objectId: 'noon', occurredAt: '2026-10-01T12:00:00Z' },
      { objectId: 'next', occurredAt: '2026-10-02T12:00:00Z' },
    ]);
    const ids = async (query: string) => (await events(account, query)).json.events.map((e: any) => e.objectId);
    expect(await ids('?from=2026-10-01&to=2026-10-01')).toEqual(['noon']);
    expect(await ids('?from=2026-10-02&to=2026-10-02')).toEqual(['next', 'late']);
    expect(await ids('?from=2026-10-01&to=2026-10-01&tz=UTC')).toEqual(['late', 'noon']);
    expect(await ids('?from=2026-10-02&to=2026-10-02&tz=UTC')).toEqual(['next']);
    expect(await ids('?to=2026-10-01&tz=America/New_York')).toEqual(['late', 'noon']);
    // One element's history takes the same tz.
    const history = await call(`/v1/accounts/${account.id}/objects/user/late/events?from=2026-10-01&to=2026-10-01&tz=UTC`, {
      token: account.reader,
    });
    expect(history.json.events.map((e: any) => e.objectId)).toEqual(['late']);

    const page = await events(account, '?limit=1&tz=UTC');
    const cursor = encodeURIComponent(page.json.nextCursor);
    expect((await events(account, `?limit=1&tz=UTC&cursor=${cursor}`)).status).toBe(200);
    const otherZone = await events(account, `?limit=1&tz=Asia/Tokyo&cursor=${cursor}`);
    expect(otherZone.status).toBe(400);
    expect(otherZone.json.errors[0].path).toBe('query.cursor');
    const noZone = await events(account, `?limit=1&cursor=${cursor}`);
    expect(noZone.status).toBe(400);
  });

  it('refuses an unknown tz with a 400 naming query.tz', async () => {
    const account = await newAccount();
    for (const path of [
      `/v1/accounts/${account.id}/events?tz=Mars/Olympus`,
      `/v1/accounts/${account.id}/objects/user/1/events?tz=Mars/Olympus`,
    ]) {
      const res = await call(path, { token: account.reader });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.errors).toEqual([{ path: 'query.tz', message: expect.stringContaining('IANA') }]);
    }
  });

  it('answers bad query parameters with 400 naming the parameter', async () => {
    const account = await newAccount();
    const cases: [string, string][] = [
      ['?limit=0', 'query.limit'],
      ['?limit=501', 'query.limit'],
      ['?limit=ten', 'query.limit'],
      ['?limit=2.5', 'query.limit'],
      ['?objectType=planet', 'query.objectType'],
      ['?action=rename', 'query.action'],
      ['?from=yesterday', 'query.from'],
      ['?to=2026-13-45', 'query.to'],
      ['?from=2026-03-05&to=2026-03-01', 'query.from'],
      ['?cursor=abc', 'query.cursor'],
      ['?color=red', 'query.color'],
      ['?limit=5&limit=6', 'query.limit'],
    ];
    for (const [query, path] of cases) {
      const res = await events(account, query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(
        res.json.errors.map((e: any) => e.path),
        query,
      ).toContain(path);
    }
  });

  it('pages newest first with an opaque cursor and a Link header, visiting every event once', async () => {
    const account = await newAccount();
    await record(
      account,
      Array.from({ length: 25 }, (_, i) => ({ objectId: String(i), occurredAt: new Date(Date.UTC(2026, 2, 1, 0, i % 7)).toISOString() })),
    );
    const first = await events(account, '?limit=10');
    expect(first.json.events).toHaveLength(10);
    const link = first.headers.get('link')!;
    expect(link).toMatch(/^<\/v1\/accounts\/[^>]+\/events\?limit=10&cursor=[^>]+>; rel="next"$/);
    const viaLink = await call(link.slice(1, link.indexOf('>')), { token: account.reader });
    expect(viaLink.json.events[0].id).not.toBe(first.json.events[0].id);

    const ids = await readAll(account, '?limit=10');
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const all = (await events(account, '?limit=500')).json.events;
    expect(all.map((e: any) => e.id)).toEqual(ids);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      expect(a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.seq > b.seq)).toBe(true);
    }
    const last = await events(account, '?limit=25');
    expect(last.json.nextCursor).toBeNull();
    expect(last.headers.get('link')).toBeNull();
  });

  it('visits every existing event exactly once while new events arrive', async () => {
    const account = await newAccount();
    await record(
      account,
      Array.from({ length: 60 }, (_, i) => ({ objectId: `old-${i}`, occurredAt: new Date(Date.now() - (60 - i) * 1000).toISOString() })),
    );
    const before = new Set(await readAll(account, '?limit=500'));
    const seen = await readAll(account, '?limit=7', async (page) => {
      // New events land at the top (now) and in the middle of the range already read.
      await record(account, [
        { objectId: `new-${page}` },
        { objectId: `mid-${page}`, occurredAt: new Date(Date.now() - 30_000).toISOString() },
      ]);
    });
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });

  it('refuses a forged or edited cursor, and a cursor from other filters', async () => {
    const account = await newAccount();
    await record(
      account,
      Array.from({ length: 5 }, () => ({})),
    );
    const page = await events(account, '?limit=2');
    const cursor: string = page.json.nextCursor;
    const [payload, signature] = cursor.split('.');
    const forgedPayload = btoa(JSON.stringify({ o: 9e15, s: 1 })).replace(/=+$/, '');
    for (const bad of [`${forgedPayload}.${signature}`, `${payload}.${signature!.slice(0, -2)}AA`, `${payload}`, 'a.b.c', '%%%']) {
      const res = await events(account, `?limit=2&cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.json.errors[0].path).toBe('query.cursor');
    }
    const otherFilter = await events(account, `?limit=2&objectType=skill&cursor=${encodeURIComponent(cursor)}`);
    expect(otherFilter.status).toBe(400);
    const other = await newAccount();
    const otherAccount = await call(`/v1/accounts/${other.id}/events?limit=2&cursor=${encodeURIComponent(cursor)}`, {
      token: other.reader,
    });
    expect(otherAccount.status).toBe(400);
    // A different page size with the same filters is fine.
    expect((await events(account, `?limit=3&cursor=${encodeURIComponent(cursor)}`)).status).toBe(200);
  });
});

describe('GET .../objects/{type}/{id}/events', () => {
  it("answers one element's history, newest first, paged", async () => {
    const account = await newAccount();
    await record(account, [
      { objectType: 'user', objectId: '4711', occurredAt: '2026-03-01T00:00:00Z' },
      { objectType: 'user', objectId: '4712', occurredAt: '2026-03-02T00:00:00Z' },
      { objectType: 'skill', objectId: '4711', occurredAt: '2026-03-03T00:00:00Z' },
      {
        objectType: 'user',
        objectId: '4711',
        occurredAt: '2026-03-04T00:00:00Z',
        elements: [{ element: 'Email', oldValue: 'a', newValue: 'b' }],
      },
    ]);
    const path = `/v1/accounts/${account.id}/objects/user/4711/events`;
    const res = await call(path, { token: account.reader });
    expect(res.status).toBe(200);
    expect(res.json.events.map((e: any) => [e.objectType, e.objectId, e.occurredAt])).toEqual([
      ['user', '4711', '2026-03-04T00:00:00.000Z'],
      ['user', '4711', '2026-03-01T00:00:00.000Z'],
    ]);
    expect((await call(`${path}?element=Email`, { token: account.reader })).json.events).toHaveLength(1);
    const paged = await call(`${path}?limit=1`, { token: account.reader });
    const next = await call(`${path}?limit=1&cursor=${encodeURIComponent(paged.json.nextCursor)}`, { token: account.reader });
    expect(next.json.events[0].occurredAt).toBe('2026-03-01T00:00:00.000Z');
    expect(next.json.nextCursor).toBeNull();

    expect((await call(`/v1/accounts/${account.id}/objects/planet/1/events`, { token: account.reader })).status).toBe(400);
    expect((await call(`${path}?objectType=skill`, { token: account.reader })).status).toBe(400);
    expect((await call(path, { token: account.writer })).status).toBe(403);
  });
});

describe('retention', () => {
  it('never returns events older than the retention, and the cron purge deletes them', async () => {
    const written = await newAccount({ retentionMonths: 2 });
    const now = Date.now();
    const old = new Date(now - 40 * 86_400_000).toISOString();
    const recent = new Date(now - 10 * 86_400_000).toISOString();
    await record(written, [
      { objectId: 'old', occurredAt: old },
      { objectId: 'recent', occurredAt: recent },
    ]);
    // Time passes (the retention shrinks): "old" is past it now. A write past retention is
    // refused, so this is how an event comes to be past it. Fresh tokens see the new setting.
    await env.DB.prepare('UPDATE accounts SET retention_months = 1 WHERE id = ?').bind(written.id).run();
    const account = { ...written, reader: await written.token(['audit:read']) };
    const page = await events(account);
    expect(page.json.events.map((e: any) => e.objectId)).toEqual(['recent']);
    expect((await call(`/v1/accounts/${account.id}/objects/user/old/events`, { token: account.reader })).json.events).toEqual([]);
    expect((await events(account, `?from=2020-01-01`)).json.events).toHaveLength(1);

    const stored = () =>
      env.DB.prepare('SELECT object_id FROM audit_events WHERE account_id = ?').bind(account.id).all<{ object_id: string }>();
    expect((await stored()).results).toHaveLength(2);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await stored()).results.map((r) => r.object_id)).toEqual(['recent']);
    // The chain head survives the purge: new events continue the sequence.
    await record(account, [{ objectId: 'after-purge', changeId: changeId() }]);
    expect((await events(account)).json.events[0].seq).toBe(3);
  });
});
