// The access log: every read of the audit trail (list pages, one element's history,
// exports) is recorded with who, when, what was asked and how many rows came back, and
// listed for the account's admins. Reads go through the Worker's fetch handler with an
// execution context the test can wait on, because reads are logged after the answer.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { call, newAccount, recordChanges } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;
const ORIGIN = 'https://audit.test';

/** A GET through the Worker; answers the response as soon as its headers are there. */
async function start(path: string, token: string) {
  const ctx = createExecutionContext();
  const response: Response = await worker.fetch(new Request(ORIGIN + path, { headers: { authorization: `Bearer ${token}` } }), env, ctx);
  return { response, ctx };
}

/** A GET through the Worker, read to the end, and the work it left behind (the log write) done. */
async function read(path: string, token: string) {
  const { response, ctx } = await start(path, token);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

const accessLog = (account: Account, query = '', token = account.admin) => call(`/v1/accounts/${account.id}/access-log${query}`, { token });

const record = (account: Account, count: number, overrides: Record<string, unknown> = {}) =>
  recordChanges(
    account,
    Array.from({ length: count }, (_, i) => ({ objectId: String(i % 3), ...overrides })),
  );

const tokenOf = async (account: Account, token: string) => {
  const me = await call(`/v1/accounts/${account.id}/me`, { token });
  return { id: me.json.tokenId as string, name: me.json.name as string };
};

describe('the access log', () => {
  it('records list pages, histories and exports: who, when, what was asked, how many rows', async () => {
    const account = await newAccount();
    await record(account, 7);
    const reader = await tokenOf(account, account.reader);
    const exporter = await tokenOf(account, account.exporter);
    const before = Date.now();

    const first = await read(`/v1/accounts/${account.id}/events?objectType=user,skill&q=Tier&limit=5`, account.reader);
    expect(first.status).toBe(200);
    const second = await read(
      `/v1/accounts/${account.id}/events?objectType=user,skill&q=Tier&limit=5&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      account.reader,
    );
    expect(second.json.events).toHaveLength(2);
    const history = await read(`/v1/accounts/${account.id}/objects/user/1/events?element=Member%20of`, account.reader);
    expect(history.json.events).toHaveLength(2);
    const exported = await read(`/v1/accounts/${account.id}/events/export?format=csv&from=2020-01-01&tz=Europe/Berlin`, account.exporter);
    expect(exported.status).toBe(200);

    const log = await accessLog(account);
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toMatch(/^application\/json/);
    expect(log.json.nextCursor).toBeNull();
    expect(log.json.entries.map(({ id: _id, at: _at, ...rest }: any) => rest)).toEqual([
      {
        token: exporter,
        kind: 'export',
        query: { format: 'csv', from: '2020-01-01', tz: 'Europe/Berlin' },
        rows: 7,
      },
      {
        token: reader,
        kind: 'history',
        query: { element: 'Member of', limit: 50, objectType: ['user'], objectId: '1', cursor: false },
        rows: 2,
      },
      { token: reader, kind: 'list', query: { objectType: ['user', 'skill'], q: 'Tier', limit: 5, cursor: true }, rows: 2 },
      { token: reader, kind: 'list', query: { objectType: ['user', 'skill'], q: 'Tier', limit: 5, cursor: false }, rows: 5 },
    ]);
    const [newest, , , oldest] = log.json.entries;
    expect(newest.id).toBeGreaterThan(oldest.id);
    for (const entry of log.json.entries) {
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(entry.at)).toBeLessThanOrEqual(Date.now());
      expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('keeps the token name it had, even after the token is revoked', async () => {
    const account = await newAccount();
    const auditor = await account.token(['audit:read'], 'Auditor Ann');
    const { id } = await tokenOf(account, auditor);
    await read(`/v1/accounts/${account.id}/events`, auditor);
    expect((await call(`/v1/accounts/${account.id}/tokens/${id}`, { method: 'DELETE', token: account.admin })).status).toBe(200);
    const log = await accessLog(account);
    expect(log.json.entries).toEqual([expect.objectContaining({ token: { id, name: 'Auditor Ann' }, kind: 'list', rows: 0 })]);
  });

  it('does not record reads that were refused', async () => {
    const account = await newAccount();
    await read(`/v1/accounts/${account.id}/events?limit=0`, account.reader);
    await read(`/v1/accounts/${account.id}/events?cursor=forged.cursor`, account.reader);
    await read(`/v1/accounts/${account.id}/events`, account.writer);
    await read(`/v1/accounts/${account.id}/events/export?format=pdf`, account.exporter);
    await read(`/v1/accounts/${account.id}/events/export`, account.reader);
    expect((await accessLog(account)).json.entries).toEqual([]);
  });

  describe('exports', () => {
    it('are recorded before the first byte, and their rows once the stream has ended', async () => {
      const account = await newAccount();
      await record(account, 3);
      const { response, ctx } = await start(`/v1/accounts/${account.id}/events/export?format=ndjson`, account.exporter);
      expect(response.status).toBe(200);
      // Nothing of the body has been read yet: the entry is there, still without rows.
      const during = await accessLog(account);
      expect(during.json.entries).toEqual([expect.objectContaining({ kind: 'export', query: { format: 'ndjson' }, rows: null })]);
      expect((await response.text()).trim().split('\n')).toHaveLength(1 + 3); // the header, then the events
      await waitOnExecutionContext(ctx);
      const after = await accessLog(account);
      expect(after.json.entries).toEqual([expect.objectContaining({ id: during.json.entries[0].id, kind: 'export', rows: 3 })]);
    });

    it('stay incomplete (rows null) when the client breaks off the download', async () => {
      const account = await newAccount();
      // Three pages of an export (250, then up to 5,000 rows a page), so the download is
      // still going when it is dropped after the header and the first page.
      const elements = Array.from({ length: 10 }, (_, i) => ({ element: `Field ${i}`, oldValue: 'a', newValue: 'b' }));
      await record(account, 550, { elements });
      const { response, ctx } = await start(`/v1/accounts/${account.id}/events/export?format=csv`, account.exporter);
      const reader = response.body!.getReader();
      let received = 0;
      while (received < 251) {
        const chunk = await reader.read();
        expect(chunk.done).toBe(false);
        received += new TextDecoder().decode(chunk.value).split('\r\n').length - 1;
      }
      await reader.cancel();
      await waitOnExecutionContext(ctx);
      const log = await accessLog(account);
      expect(log.json.entries).toEqual([expect.objectContaining({ kind: 'export', query: { format: 'csv' }, rows: null })]);

      // The same export read to its end is complete.
      await read(`/v1/accounts/${account.id}/events/export?format=csv`, account.exporter);
      expect((await accessLog(account)).json.entries.map((e: any) => e.rows)).toEqual([5500, null]);
    });

    it('count the rows of an xlsx file', async () => {
      const account = await newAccount();
      await record(account, 4);
      const xlsx = await read(`/v1/accounts/${account.id}/events/export?objectType=user&objectId=1`, account.exporter);
      expect(xlsx.status).toBe(200);
      expect((await accessLog(account)).json.entries).toEqual([
        expect.objectContaining({ kind: 'export', query: { format: 'xlsx', objectType: ['user'], objectId: '1' }, rows: 1 }),
      ]);
    });
  });

  describe('GET .../access-log', () => {
    it('pages newest first with a signed cursor and a Link header, filtered by kind and token', async () => {
      const account = await newAccount();
      const other = await account.token(['audit:read', 'audit:export'], 'Other reader');
      const otherId = (await tokenOf(account, other)).id;
      for (let i = 0; i < 3; i++) await read(`/v1/accounts/${account.id}/events?limit=${i + 1}`, account.reader);
      await read(`/v1/accounts/${account.id}/objects/skill/9/events`, other);
      await read(`/v1/accounts/${account.id}/events/export?format=ndjson`, other);

      const all = (await accessLog(account, '?limit=500')).json.entries;
      expect(all.map((e: any) => e.kind)).toEqual(['export', 'history', 'list', 'list', 'list']);
      const ids = all.map((e: any) => e.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);

      const first = await accessLog(account, '?limit=2');
      expect(first.json.entries.map((e: any) => e.id)).toEqual(ids.slice(0, 2));
      const link = first.headers.get('link')!;
      expect(link).toMatch(/^<\/v1\/accounts\/[^>]+\/access-log\?limit=2&cursor=[^>]+>; rel="next"$/);
      const second = await call(link.slice(1, link.indexOf('>')), { token: account.admin });
      expect(second.json.entries.map((e: any) => e.id)).toEqual(ids.slice(2, 4));
      const third = await accessLog(account, `?limit=2&cursor=${encodeURIComponent(second.json.nextCursor)}`);
      expect(third.json.entries.map((e: any) => e.id)).toEqual(ids.slice(4));
      expect(third.json.nextCursor).toBeNull();
      expect(third.headers.get('link')).toBeNull();

      expect((await accessLog(account, '?kind=list')).json.entries.map((e: any) => e.query.limit)).toEqual([3, 2, 1]);
      expect((await accessLog(account, `?tokenId=${otherId}`)).json.entries.map((e: any) => e.kind)).toEqual(['export', 'history']);
      expect((await accessLog(account, `?tokenId=${otherId}&kind=export`)).json.entries).toHaveLength(1);
      expect((await accessLog(account, '?kind=verify')).json.entries).toEqual([]);

      // A cursor is bound to its filters and its listing.
      const kindPage = await accessLog(account, '?kind=list&limit=1');
      const cursor = encodeURIComponent(kindPage.json.nextCursor);
      expect((await accessLog(account, `?kind=list&limit=5&cursor=${cursor}`)).json.entries).toHaveLength(2);
      expect((await accessLog(account, `?kind=history&cursor=${cursor}`)).status).toBe(400);
      const eventsPage = await call(`/v1/accounts/${account.id}/events?limit=1`, { token: account.reader });
      await record(account, 2);
      const eventsCursor = (await call(`/v1/accounts/${account.id}/events?limit=1`, { token: account.reader })).json.nextCursor;
      expect(eventsPage.status).toBe(200);
      const refused = await accessLog(account, `?cursor=${encodeURIComponent(eventsCursor)}`);
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].path).toBe('query.cursor');
    });

    it('answers bad parameters with 400 naming the parameter', async () => {
      const account = await newAccount();
      for (const [query, path] of [
        ['?limit=0', 'query.limit'],
        ['?limit=501', 'query.limit'],
        ['?limit=many', 'query.limit'],
        ['?kind=write', 'query.kind'],
        ['?tokenId=a%20b', 'query.tokenId'],
        ['?cursor=abc', 'query.cursor'],
        ['?objectType=user', 'query.objectType'],
      ]) {
        const res = await accessLog(account, query);
        expect(res.status, query).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(
          res.json.errors.map((e: any) => e.path),
          query,
        ).toContain(path);
      }
      expect((await accessLog(account, '?limit=500')).status).toBe(200);
    });

    it('is for account:admin only, and only for its own account', async () => {
      const account = await newAccount();
      expect((await call(`/v1/accounts/${account.id}/access-log`)).status).toBe(401);
      for (const token of [account.reader, account.exporter, account.writer]) {
        const res = await accessLog(account, '', token);
        expect(res.status).toBe(403);
        expect(res.json.detail).toContain('account:admin');
      }
      const other = await newAccount();
      await read(`/v1/accounts/${other.id}/events`, other.reader);
      expect((await accessLog(account, '', other.admin)).status).toBe(404);
      // Each account sees only its own reads.
      expect((await accessLog(account)).json.entries).toEqual([]);
      expect((await accessLog(other)).json.entries).toHaveLength(1);
    });

    it('is in the OpenAPI document', async () => {
      const doc = (await call('/openapi.json')).json;
      const operation = doc.paths['/v1/accounts/{accountId}/access-log'].get;
      expect(operation.operationId).toBe('accessLog');
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '503']);
      expect(operation.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(
        expect.arrayContaining(['path:accountId', 'query:kind', 'query:tokenId', 'query:limit', 'query:cursor']),
      );
      const entry = doc.components.schemas.AccessEntry;
      expect(entry.required).toEqual(expect.arrayContaining(['id', 'at', 'token', 'kind', 'query', 'rows']));
      expect(entry.properties.kind.enum).toEqual(['list', 'history', 'facets', 'export', 'verify']);
    });
  });

  it("is kept exactly as long as the trail: the cron purge deletes entries past the account's retention", async () => {
    const account = await newAccount({ retentionMonths: 1 });
    await read(`/v1/accounts/${account.id}/events`, account.reader);
    const count = async () =>
      (await env.DB.prepare('SELECT count(*) AS n FROM access_log WHERE account_id = ?').bind(account.id).first<{ n: number }>())!.n;
    expect(await count()).toBe(1);
    const purgeAt = async (days: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + days * 86_400_000, cron: '17 * * * *' }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await purgeAt(20);
    expect(await count()).toBe(1);
    await purgeAt(70);
    expect(await count()).toBe(0);
  });
});
