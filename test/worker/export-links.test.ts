// Single-use export links: a token with audit:export asks for a link, and one GET of it —
// without an Authorization header, as a browser's downloads API sends it — streams exactly
// what GET …/events/export streams, logged under that token. Through the real Worker and D1.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { call, newAccount, recordChanges } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;

const seed = (account: Account) =>
  recordChanges(account, [
    { objectId: '4711', occurredAt: '2026-10-01T22:30:00Z' },
    { objectId: '4712', objectName: 'John Roe', occurredAt: '2026-10-03T09:00:00Z' },
  ]);

const makeLink = (account: Account, query: string, token = account.exporter) =>
  call(`/v1/accounts/${account.id}/events/export-links?${query}`, { method: 'POST', token });

/** GET a link the way the downloads API does: no Authorization header. */
const download = (url: string) => call(new URL(url).pathname);

describe('POST …/events/export-links, GET /v1/export-links/{secret}', () => {
  it('streams the export once, without a token, exactly as …/events/export does', async () => {
    const account = await newAccount({ timezone: 'Europe/Berlin' });
    await seed(account);
    const query = 'format=csv&objectType=user&objectId=4711&from=2026-10-01&to=2026-10-01&tz=UTC';
    const created = await makeLink(account, query);
    expect(created.status, created.text).toBe(201);
    expect(created.json.url).toMatch(/^https:\/\/audit\.test\/v1\/export-links\/atl_[A-Za-z0-9_-]{43}$/);
    const ttl = Date.parse(created.json.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const direct = await call(`/v1/accounts/${account.id}/events/export?${query}`, { token: account.exporter });
    const viaLink = await download(created.json.url);
    expect(viaLink.status, viaLink.text).toBe(200);
    expect(viaLink.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(viaLink.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-trail_.+\.csv"$/);
    expect(viaLink.headers.get('cache-control')).toBe('no-store');
    expect(viaLink.text).toBe(direct.text);
    expect(viaLink.text).toContain('Date (UTC)');
    expect(viaLink.text.split('\r\n').filter(Boolean)).toHaveLength(2);

    const again = await download(created.json.url);
    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.json.detail).toContain('already been used');
  });

  it('names the download as the client asked (Content-Disposition), if the name is safe and fits the format', async () => {
    const account = await newAccount();
    await seed(account);
    const created = await makeLink(
      account,
      'format=csv&objectType=user&objectId=4711&filename=audit-trail_acme_user-4711-Jane-Doe_all.csv',
    );
    expect(created.status, created.text).toBe(201);
    const res = await download(created.json.url);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="audit-trail_acme_user-4711-Jane-Doe_all.csv"');
    for (const bad of ['a.xlsx', '../etc/passwd.csv', 'a%22b.csv', `${'x'.repeat(200)}.csv`]) {
      const refused = await makeLink(account, `format=csv&filename=${bad}`);
      expect(refused.status, bad).toBe(400);
      expect(
        refused.json.errors.map((e: any) => e.path),
        bad,
      ).toEqual(['query.filename']);
    }
  });

  it('stores only the SHA-256 of the link and logs the download under the token that made it', async () => {
    const account = await newAccount();
    await seed(account);
    const created = await makeLink(account, 'format=ndjson');
    const secret = created.json.url.split('/').pop();
    const stored = await env.DB.prepare('SELECT * FROM export_links WHERE account_id = ?').bind(account.id).all<Record<string, unknown>>();
    expect(stored.results).toHaveLength(1);
    expect(JSON.stringify(stored.results)).not.toContain(secret);
    expect(stored.results[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(created.json.url), env, ctx);
    expect(response.status).toBe(200);
    const [header, ...events] = (await response.text())
      .trim()
      .split('\n')
      .map((line: string) => JSON.parse(line));
    expect(header).toMatchObject({ type: 'audit-trail.export', complete: true });
    expect(events).toHaveLength(2);
    await waitOnExecutionContext(ctx);
    const me = await call(`/v1/accounts/${account.id}/me`, { token: account.exporter });
    const log = await call(`/v1/accounts/${account.id}/access-log?kind=export`, { token: account.admin });
    expect(log.status, log.text).toBe(200);
    const [entry] = log.json.entries;
    expect(entry).toMatchObject({ kind: 'export', rows: 2, token: { id: me.json.tokenId } });
    expect(entry.query).toMatchObject({ format: 'ndjson', via: 'export-link' });
    expect(JSON.stringify(log.json)).not.toContain(secret);
  });

  it('answers an expired link with 410, an unknown or malformed one with 404', async () => {
    const account = await newAccount();
    const created = await makeLink(account, 'format=csv');
    await env.DB.prepare('UPDATE export_links SET expires_at = ? WHERE account_id = ?')
      .bind(Date.now() - 1, account.id)
      .run();
    const expired = await download(created.json.url);
    expect(expired.status).toBe(410);
    expect(expired.json.detail).toContain('expired');
    for (const path of [`/v1/export-links/atl_${'A'.repeat(43)}`, '/v1/export-links/nope']) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('stops working when the token that made it is revoked', async () => {
    const account = await newAccount();
    const token = await account.token(['audit:export'], 'short-lived');
    const created = await makeLink(account, 'format=csv', token);
    const tokens = await call(`/v1/accounts/${account.id}/tokens`, { token: account.admin });
    const id = tokens.json.tokens.find((t: any) => t.name === 'short-lived').id;
    expect((await call(`/v1/accounts/${account.id}/tokens/${id}`, { method: 'DELETE', token: account.admin })).status).toBe(200);
    const res = await download(created.json.url);
    expect(res.status).toBe(410);
    expect(res.json.detail).toContain('no longer valid');
  });

  it('needs audit:export, and validates the export parameters when the link is made', async () => {
    const account = await newAccount();
    expect((await makeLink(account, 'format=csv', account.reader)).status).toBe(403);
    expect((await call(`/v1/accounts/${account.id}/events/export-links`, { method: 'POST' })).status).toBe(401);
    const cases: [string, string][] = [
      ['format=pdf', 'query.format'],
      ['tz=Mars/Olympus', 'query.tz'],
      ['objectType=planet', 'query.objectType'],
      ['from=2026-10-05&to=2026-10-01', 'query.from'],
    ];
    for (const [query, path] of cases) {
      const res = await makeLink(account, query);
      expect(res.status, query).toBe(400);
      expect(
        res.json.errors.map((e: any) => e.path),
        query,
      ).toContain(path);
    }
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM export_links WHERE account_id = ?')
      .bind(account.id)
      .first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });
});
