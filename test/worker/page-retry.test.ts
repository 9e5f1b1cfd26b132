// Retrying a page that failed: the client keeps the cursor it had and asks again. The page
// it gets is the one it would have got, even when new events arrived in between (keyset
// paging: later events sort before the cursor, so they cannot shift the pages after it).
// The failure is a real D1 read failure, not a mock: while the page is asked for, the events
// table is renamed away (this file's storage is its own), so D1 refuses the page's SELECT and
// the Worker answers its 500. Triggers cannot fail a SELECT the way faults.test.ts fails writes.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, newAccount, recordChanges } from './support';

const at = (minute: number) => new Date(Date.parse('2026-05-04T08:00:00Z') + minute * 60_000).toISOString();

/** Runs `during` while D1 cannot read audit_events, then puts the table back. */
async function withoutEventsTable<T>(during: () => Promise<T>): Promise<T> {
  await env.DB.prepare('ALTER TABLE audit_events RENAME TO audit_events_away').run();
  try {
    return await during();
  } finally {
    await env.DB.prepare('ALTER TABLE audit_events_away RENAME TO audit_events').run();
  }
}

const nextLink = (headers: Headers) => /^<([^>]+)>; rel="next"$/.exec(headers.get('link') ?? '')?.[1];

describe('retrying a failed page', () => {
  it('with the same cursor gives the same page, though new events arrived in between; the walk loses and repeats nothing', async () => {
    const account = await newAccount();
    await recordChanges(
      account,
      Array.from({ length: 12 }, (_, i) => ({ objectId: String(i), objectName: `Object ${i}`, occurredAt: at(i) })),
    );
    const list = `/v1/accounts/${account.id}/events?limit=5`;
    const first = await call(list, { token: account.reader });
    expect(first.status, first.text).toBe(200);
    const page2 = nextLink(first.headers)!;
    expect(page2).toBe(`${list}&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    const expected = await call(page2, { token: account.reader });
    expect(expected.status, expected.text).toBe(200);
    expect(expected.json.events.map((e: any) => e.objectName)).toEqual(['Object 6', 'Object 5', 'Object 4', 'Object 3', 'Object 2']);

    const failed = await withoutEventsTable(() => call(page2, { token: account.reader }));
    expect(failed.status, failed.text).toBe(500);
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(failed.text).not.toMatch(/audit_events|SQLITE|D1_/i);
    // Nothing in the failure moves the client on: no Link, no cursor.
    expect(failed.headers.get('link')).toBeNull();
    expect(failed.json.nextCursor).toBeUndefined();

    // Meanwhile the platform keeps sending changes, newer than anything paged so far.
    await recordChanges(
      account,
      Array.from({ length: 7 }, (_, i) => ({ objectId: `new-${i}`, objectName: `New ${i}`, occurredAt: at(100 + i) })),
    );

    // A client that follows each answer's Link and, on a failure, asks again with the cursor
    // the failure leaves it (its own, unless the failure handed it another).
    const seen: string[] = [...first.json.events.map((e: any) => e.objectName)];
    let url: string | undefined = nextLink(failed.headers) ?? page2;
    let retried;
    while (url) {
      const page = await call(url, { token: account.reader });
      expect(page.status, page.text).toBe(200);
      retried ??= page;
      seen.push(...page.json.events.map((e: any) => e.objectName));
      url = nextLink(page.headers);
    }
    expect(retried!.json).toEqual(expected.json);
    expect(retried!.headers.get('link')).toBe(expected.headers.get('link'));
    expect(seen, 'every event of the first walk once, in order; none of the newer ones').toEqual(
      Array.from({ length: 12 }, (_, i) => `Object ${11 - i}`),
    );
  });
});
