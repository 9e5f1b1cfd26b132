// Per-token rate limits on writes and exports, through the real Rate Limiting bindings of
// wrangler.jsonc (miniflare implements them): exactly the documented number of requests
// passes, the next is a 429 problem with Retry-After, other tokens are untouched; and the
// OpenAPI document states every limit.
//
// A token's budget is spent through the binding itself (the key is the token id) up to one
// request short of the limit, which takes milliseconds instead of the minute that 1,200
// HTTP requests would; the last allowed request and the first refused one then go through
// the Worker. So the binding's configured limit is proven equal to RATE_LIMITS.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { RATE_LIMITS, type RateLimitName } from '../../worker/http/rate-limit';
import { aChange, call, newAccount } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;
type Reply = Awaited<ReturnType<typeof call>>;

/** A fresh token with `scope` and its id (the limiter's key). */
async function freshToken(account: Account, scope: 'events:write' | 'audit:export') {
  const token = await account.token([scope], `busy ${scope}`);
  const me = await call(`/v1/accounts/${account.id}/me`, { token });
  return { token, id: me.json.tokenId as string };
}

/** Spends all but the last request of the token's budget for `name`, straight on the binding. */
async function spendAllButOne(name: RateLimitName, tokenId: string) {
  const { binding, limit } = RATE_LIMITS[name];
  const outcomes = await Promise.all(Array.from({ length: limit - 1 }, () => env[binding].limit({ key: tokenId })));
  expect(outcomes.every((o) => o.success)).toBe(true);
}

/** The limiter counts in fixed windows of `period` seconds. A run that straddles the end of a
 *  window is inconclusive (the budget refilled midway), so it is run once more: the next
 *  window has the whole period ahead of it. */
async function inOneWindow<T>(name: RateLimitName, run: () => Promise<T>): Promise<T> {
  const window = () => Math.floor(Date.now() / (RATE_LIMITS[name].period * 1000));
  for (let attempt = 0; ; attempt++) {
    const before = window();
    const result = await run();
    if (window() === before || attempt === 1) return result;
  }
}

function expectRateLimited(reply: Reply, name: RateLimitName) {
  const { limit, period } = RATE_LIMITS[name];
  expect(reply.status, reply.text).toBe(429);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.headers.get('retry-after')).toBe(String(period));
  expect(reply.json).toMatchObject({ type: 'https://audit-trail.dev/problems/rate-limited', title: 'Too Many Requests', status: 429 });
  expect(reply.json.detail).toContain(limit.toLocaleString('en-US'));
}

const storedEvents = async (accountId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM audit_events WHERE account_id = ?').bind(accountId).first<{ n: number }>())!.n;

describe('rate limits', () => {
  it(`lets a token make ${RATE_LIMITS.write.limit} write requests a minute, then answers 429 with Retry-After`, async () => {
    const account = await newAccount();
    const writes = `/v1/accounts/${account.id}/changes`;
    const { writer, last, single, batch } = await inOneWindow('write', async () => {
      const writer = await freshToken(account, 'events:write');
      await spendAllButOne('write', writer.id);
      const last = await call(writes, { token: writer.token, body: aChange({ changeId: 'the-last-allowed' }) });
      const single = await call(writes, { token: writer.token, body: aChange() });
      const batch = await call(`${writes}/batch`, { token: writer.token, body: { changes: [aChange()] } });
      return { writer, last, single, batch };
    });
    expect(last.status, last.text).toBe(201);
    // One budget for both write routes; a refused write stores nothing.
    expectRateLimited(single, 'write');
    expectRateLimited(batch, 'write');
    // Counted before the body is read: a body that would not even validate is refused the same way.
    expectRateLimited(await call(writes, { token: writer.token, body: {} }), 'write');
    expect(await storedEvents(account.id)).toBe(1);

    // The budget is the token's: the account's other emitter, and the same token's reads, go on.
    expect((await call(writes, { token: account.writer, body: aChange() })).status).toBe(201);
    expect((await call(`/v1/accounts/${account.id}/me`, { token: writer.token })).status).toBe(200);
    expect(await storedEvents(account.id)).toBe(2);
  });

  it('counts every write request, also those that do not validate', async () => {
    const account = await newAccount();
    const burst = 50;
    const { statuses, outcomes } = await inOneWindow('write', async () => {
      const writer = await freshToken(account, 'events:write');
      const replies = await Promise.all(
        Array.from({ length: burst }, () => call(`/v1/accounts/${account.id}/changes`, { token: writer.token, body: {} })),
      );
      // What is left of the budget after the burst, asked of the binding itself.
      const outcomes = await Promise.all(
        Array.from({ length: RATE_LIMITS.write.limit - burst + 1 }, () => env.WRITE_LIMITER.limit({ key: writer.id })),
      );
      return { statuses: replies.map((r) => r.status), outcomes };
    });
    expect(statuses.every((s) => s === 422)).toBe(true);
    expect(outcomes.filter((o) => !o.success)).toHaveLength(1);
  });

  it(`lets a token start ${RATE_LIMITS.export.limit} exports a minute, then answers 429 with Retry-After`, async () => {
    const account = await newAccount();
    const path = `/v1/accounts/${account.id}/events/export?format=ndjson`;
    const { exporter, last, refused } = await inOneWindow('export', async () => {
      const exporter = await freshToken(account, 'audit:export');
      await spendAllButOne('export', exporter.id);
      const last = await call(path, { token: exporter.token });
      return { exporter, last, refused: await call(path, { token: exporter.token }) };
    });
    expect(last.status).toBe(200);
    expectRateLimited(refused, 'export');
    expectRateLimited(await call(`${path}&format=xlsx`, { token: exporter.token }), 'export');
    // A refused export is not an export: the access log holds only the one that ran.
    const logged = await env.DB.prepare("SELECT count(*) AS n FROM access_log WHERE token_id = ? AND kind = 'export'")
      .bind(exporter.id)
      .first<{ n: number }>();
    expect(logged!.n).toBe(1);
    expect((await call(path, { token: account.exporter })).status).toBe(200);
  });

  it('states every limit in the OpenAPI document', async () => {
    const doc = (await call('/openapi.json')).json;
    const single = doc.paths['/v1/accounts/{accountId}/changes'].post;
    const batch = doc.paths['/v1/accounts/{accountId}/changes/batch'].post;
    const exportOp = doc.paths['/v1/accounts/{accountId}/events/export'].get;
    for (const operation of [single, batch, exportOp]) {
      expect(operation.responses['429'].content['application/problem+json']).toBeDefined();
      expect(operation.responses['429'].headers['Retry-After'].schema.type).toBe('integer');
    }
    expect(single.description).toContain('Rate limit: 1,200 write requests (POST …/changes and …/changes/batch) per token per 60 seconds');
    expect(batch.description).toContain('Rate limit: 1,200 write requests');
    expect(exportOp.description).toContain('Rate limit: 120 exports per token per 60 seconds');
    expect(single.description).toContain('the body at most 1,048,576 bytes (413)');
    expect(batch.description).toContain('the body at most 16,777,216 bytes (413)');
    expect(batch.description).toContain('At most 1,000 changes a batch');
    for (const text of [
      '500 elements',
      'element names of 200 characters',
      'object names of 500',
      'text values of 65,536',
      'lists of 10,000 items',
      '5 minutes ahead',
    ])
      expect(single.description).toContain(text);

    // And the schemas carry the same numbers as maxLength / maxItems.
    const { Change, ChangeBatch, ElementChange } = doc.components.schemas;
    expect(ChangeBatch.properties.changes.maxItems).toBe(1000);
    expect(Change.properties.elements.maxItems).toBe(500);
    expect(Change.properties.objectName.maxLength).toBe(500);
    expect(ElementChange.properties.element.maxLength).toBe(200);
    expect(ElementChange.properties.newValue.anyOf).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'string', maxLength: 65_536 }),
        expect.objectContaining({ type: 'array', maxItems: 10_000 }),
      ]),
    );
  });
});
