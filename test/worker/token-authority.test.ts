// What a token may hand on, and the record of who created and revoked tokens (issue 8,
// item 5), through the real Worker and D1.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import type { Scope } from '../../shared/vocabulary';
import { call, newAccount, OPERATOR } from './support';

const ALL: Scope[] = ['events:write', 'audit:read', 'audit:export', 'account:admin'];
const tokensPath = (id: string) => `/v1/accounts/${id}/tokens`;
const tokenEvents = (id: string, query = '') => `/v1/accounts/${id}/token-events${query}`;

/** A token made by the operator, with its id. */
async function operatorToken(accountId: string, body: { name: string; scopes: Scope[]; expiresAt?: string }) {
  const res = await call(tokensPath(accountId), { token: OPERATOR, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; token: string };
}

async function tokenCount(accountId: string) {
  return (await env.DB.prepare('SELECT count(*) AS n FROM api_tokens WHERE account_id = ?').bind(accountId).first<{ n: number }>())!.n;
}

function forbiddenAt(res: { status: number; headers: Headers; json: any }, errors: { path: string; message: RegExp }[]) {
  expect(res.status, JSON.stringify(res.json)).toBe(403);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json.detail).toMatch(/subset of its own scopes/);
  expect(res.json.errors).toEqual(errors.map(({ path, message }) => ({ path, message: expect.stringMatching(message) })));
}

describe('a token creating tokens', () => {
  it('may not give scopes it lacks, nor events:write; nothing is written when refused', async () => {
    const account = await newAccount();
    const before = await tokenCount(account.id);
    const all = await call(tokensPath(account.id), { token: account.admin, body: { name: 'everything', scopes: ALL } });
    forbiddenAt(all, [
      { path: '/scopes/0', message: /operator only/ },
      { path: '/scopes/1', message: /not a scope of the token making this request \(it has account:admin\)/ },
      { path: '/scopes/2', message: /not a scope of the token making this request/ },
    ]);
    forbiddenAt(await call(tokensPath(account.id), { token: account.admin, body: { name: 'w', scopes: ['events:write'] } }), [
      { path: '/scopes/0', message: /operator only/ },
    ]);
    expect(await tokenCount(account.id)).toBe(before);
    expect((await call(tokenEvents(account.id, '?action=create'), { token: OPERATOR })).json.events).toHaveLength(4); // newAccount's four
  });

  it('may not give events:write even when it holds it', async () => {
    const account = await newAccount();
    const owner = await operatorToken(account.id, { name: 'all', scopes: ALL });
    const res = await call(tokensPath(account.id), {
      token: owner.token,
      body: { name: 'writer', scopes: ['audit:read', 'events:write'] },
    });
    forbiddenAt(res, [{ path: '/scopes/1', message: /operator only/ }]);
    const ok = await call(tokensPath(account.id), {
      token: owner.token,
      body: { name: 'viewer', scopes: ['audit:read', 'audit:export', 'account:admin'] },
    });
    expect(ok.status, ok.text).toBe(201);
  });

  it('gives a subset of its own scopes', async () => {
    const account = await newAccount();
    const admin = await operatorToken(account.id, { name: 'admin+read', scopes: ['account:admin', 'audit:read'] });
    for (const scopes of [['audit:read'], ['account:admin'], ['audit:read', 'account:admin']] as Scope[][]) {
      const res = await call(tokensPath(account.id), { token: admin.token, body: { name: 'sub', scopes } });
      expect(res.status, res.text).toBe(201);
      expect(res.json.scopes).toEqual(scopes);
    }
  });

  it('may not outlive it: a short-lived admin gives an expiry no later than its own', async () => {
    const account = await newAccount();
    const expiresAt = new Date(Date.now() + 15_000);
    const admin = await operatorToken(account.id, {
      name: 'brief',
      scopes: ['account:admin', 'audit:read'],
      expiresAt: expiresAt.toISOString(),
    });
    const body = (extra: object) => ({ body: { name: 'child', scopes: ['audit:read'], ...extra }, token: admin.token });
    forbiddenAt(await call(tokensPath(account.id), body({})), [
      { path: '/expiresAt', message: new RegExp(`is required.*${expiresAt.toISOString()}`) },
    ]);
    forbiddenAt(await call(tokensPath(account.id), body({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() })), [
      { path: '/expiresAt', message: /no later than/ },
    ]);
    const within = new Date(expiresAt.getTime() - 5_000).toISOString();
    const ok = await call(tokensPath(account.id), body({ expiresAt: within }));
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.expiresAt).toBe(within);
    const same = await call(tokensPath(account.id), body({ expiresAt: expiresAt.toISOString() }));
    expect(same.status, same.text).toBe(201);
  });

  it('a schema error stays 422; the operator may give anything, for ever', async () => {
    const account = await newAccount();
    const bad = await call(tokensPath(account.id), { token: account.admin, body: { name: 'x', scopes: ['root'] } });
    expect(bad.status).toBe(422);
    const res = await call(tokensPath(account.id), { token: OPERATOR, body: { name: 'everything', scopes: ALL } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ scopes: ALL, expiresAt: null });
  });
});

describe('token events', () => {
  it('record who created and revoked which token, when and with which scopes, newest first', async () => {
    const account = await newAccount();
    const started = Date.now();
    const admin = await operatorToken(account.id, { name: 'Admin Amy', scopes: ['account:admin', 'audit:read'] });
    const adminId = admin.id;
    const made = await call(tokensPath(account.id), { token: admin.token, body: { name: 'dashboard', scopes: ['audit:read'] } });
    expect(made.status).toBe(201);
    const revoked = await call(`${tokensPath(account.id)}/${made.json.id}`, { method: 'DELETE', token: admin.token });
    expect(revoked.status).toBe(200);
    // A second revocation changes nothing and is not recorded again.
    expect((await call(`${tokensPath(account.id)}/${made.json.id}`, { method: 'DELETE', token: admin.token })).status).toBe(200);

    const res = await call(tokenEvents(account.id, '?limit=3'), { token: admin.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.events).toEqual([
      {
        id: expect.any(Number),
        at: revoked.json.revokedAt,
        action: 'revoke',
        token: { id: made.json.id, name: 'dashboard', scopes: ['audit:read'], expiresAt: null },
        by: { kind: 'token', tokenId: adminId, name: 'Admin Amy' },
      },
      {
        id: expect.any(Number),
        at: made.json.createdAt,
        action: 'create',
        token: { id: made.json.id, name: 'dashboard', scopes: ['audit:read'], expiresAt: null },
        by: { kind: 'token', tokenId: adminId, name: 'Admin Amy' },
      },
      {
        id: expect.any(Number),
        at: expect.any(String),
        action: 'create',
        token: { id: adminId, name: 'Admin Amy', scopes: ['account:admin', 'audit:read'], expiresAt: null },
        by: { kind: 'operator', tokenId: null, name: 'operator' },
      },
    ]);
    expect(Date.parse(res.json.events[2].at)).toBeGreaterThanOrEqual(started - 1);
    // Keyset paging to the end: newAccount's four tokens, all by the operator.
    const rest = await call(tokenEvents(account.id, `?limit=3&cursor=${res.json.nextCursor}`), { token: admin.token });
    expect(rest.json.events.map((e: any) => [e.action, e.by.kind])).toEqual([
      ['create', 'operator'],
      ['create', 'operator'],
      ['create', 'operator'],
    ]);
    const last = await call(tokenEvents(account.id, `?limit=3&cursor=${rest.json.nextCursor}`), { token: admin.token });
    expect(last.json).toMatchObject({ events: [{ action: 'create' }], nextCursor: null });
    // Filters: one token's story; a cursor of other filters is refused.
    const story = await call(tokenEvents(account.id, `?tokenId=${made.json.id}`), { token: admin.token });
    expect(story.json.events.map((e: any) => e.action)).toEqual(['revoke', 'create']);
    expect((await call(tokenEvents(account.id, `?action=revoke&cursor=${res.json.nextCursor}`), { token: admin.token })).status).toBe(400);

    // Never the secret or its hash.
    const rows = JSON.stringify((await env.DB.prepare('SELECT * FROM token_events WHERE account_id = ?').bind(account.id).all()).results);
    const hashes = (
      await env.DB.prepare('SELECT secret_hash FROM api_tokens WHERE account_id = ?').bind(account.id).all<{ secret_hash: string }>()
    ).results;
    for (const text of [rows, res.text, rest.text]) {
      expect(text).not.toContain(admin.token);
      expect(text).not.toContain(made.json.token);
      for (const { secret_hash } of hashes) expect(text).not.toContain(secret_hash);
    }
  });

  it('are for the account admins and the operator only', async () => {
    const account = await newAccount();
    const other = await newAccount();
    expect((await call(tokenEvents(account.id), { token: account.reader })).status).toBe(403);
    expect((await call(tokenEvents(account.id), { token: other.admin })).status).toBe(404);
    expect((await call(tokenEvents(account.id))).status).toBe(401);
    expect((await call(tokenEvents(account.id), { token: OPERATOR })).status).toBe(200);
    const bad = await call(tokenEvents(account.id, '?action=burn'), { token: account.admin });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: any) => e.path)).toEqual(['query.action']);
  });

  it("follow the account's retention", async () => {
    const account = await newAccount({ retentionMonths: 1 });
    const count = async () =>
      (await env.DB.prepare('SELECT count(*) AS n FROM token_events WHERE account_id = ?').bind(account.id).first<{ n: number }>())!.n;
    expect(await count()).toBe(4);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 20 * 86_400_000, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count()).toBe(4);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 70 * 86_400_000, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count()).toBe(0);
  });
});
