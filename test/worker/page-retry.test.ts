// Retrying a page that failed: the client keeps the cursor it had and asks again. The page
// it gets is the one it would have got, even when new events arrived in between (keyset
// paging: later events sort before the cursor, so they cannot shift the pages after it).
// The failure is a real one of the Worker, not a mock: a deployment missing CURSOR_SECRET
// answers 503 problem+json (a SELECT cannot be made to fail for one account with triggers
// the way faults.test.ts fails writes).
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { call, newAccount, recordChanges } from './support';

/** The Worker's fetch handler with these settings replaced. */
async function fetchWith(settings: Partial<Env>, path: string, token: string) {
  const ctx = createExecutionContext();
  const request = new Request(`https://audit.test${path}`, { headers: { authorization: `Bearer ${token}` } });
  const response = await worker.fetch(request as Parameters<typeof worker.fetch>[0], { ...env, ...settings }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, type: response.headers.get('content-type'), json: (await response.json()) as any };
}

const at = (minute: number) => new Date(Date.parse('2026-05-04T08:00:00Z') + minute * 60_000).toISOString();

describe('retrying a failed page', () => {
  it('with the same cursor gives the same page, though new events arrived in between', async () => {
    const account = await newAccount();
    await recordChanges(
      account,
      Array.from({ length: 12 }, (_, i) => ({ objectId: String(i), objectName: `Object ${i}`, occurredAt: at(i) })),
    );
    const list = `/v1/accounts/${account.id}/events?limit=5`;
    const first = await call(list, { token: account.reader });
    expect(first.status, first.text).toBe(200);
    const page2 = `${list}&cursor=${encodeURIComponent(first.json.nextCursor)}`;
    const expected = await call(page2, { token: account.reader });
    expect(expected.status, expected.text).toBe(200);
    expect(expected.json.events.map((e: any) => e.objectName)).toEqual(['Object 6', 'Object 5', 'Object 4', 'Object 3', 'Object 2']);

    const failed = await fetchWith({ CURSOR_SECRET: '' }, page2, account.reader);
    expect(failed.status).toBe(503);
    expect(failed.type).toMatch(/^application\/problem\+json/);
    expect(failed.json.errors).toEqual([{ path: 'env.CURSOR_SECRET', message: 'missing' }]);

    // Meanwhile the platform keeps sending changes, newer than anything paged so far.
    await recordChanges(
      account,
      Array.from({ length: 7 }, (_, i) => ({ objectId: `new-${i}`, objectName: `New ${i}`, occurredAt: at(100 + i) })),
    );
    const retried = await call(page2, { token: account.reader });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json).toEqual(expected.json);
    expect(retried.headers.get('link')).toBe(expected.headers.get('link'));
  });
});
