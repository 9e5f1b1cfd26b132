// Accounts, tokens and tenancy through the real Worker and D1.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, newAccount, OPERATOR } from './support';

const problem = (res: { status: number; headers: Headers; json: any }, status: number) => {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
};

describe('accounts', () => {
  it('the operator creates an account; its settings are readable by its tokens', async () => {
    const created = await call('/v1/accounts', {
      token: OPERATOR,
      body: { id: 'acme-1', name: 'Acme', timezone: 'Europe/Berlin', retentionMonths: 6 },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'acme-1', name: 'Acme', timezone: 'Europe/Berlin', retentionMonths: 6 });
    expect(Date.parse(created.json.auditEnabledAt)).toBeGreaterThan(Date.now() - 60_000);

    const again = await call('/v1/accounts', { token: OPERATOR, body: { id: 'acme-1', name: 'Other' } });
    problem(again, 409);
    expect(again.json.errors).toEqual([{ path: '/id', message: 'is taken' }]);

    const token = await call('/v1/accounts/acme-1/tokens', { token: OPERATOR, body: { name: 'viewer', scopes: ['audit:read'] } });
    const read = await call('/v1/accounts/acme-1', { token: token.json.token });
    expect(read.status).toBe(200);
    expect(read.json.retentionMonths).toBe(6);
  });

  it('only the operator creates accounts', async () => {
    problem(await call('/v1/accounts', { body: { id: 'x1', name: 'X' } }), 401);
    problem(await call('/v1/accounts', { token: 'nope', body: { id: 'x1', name: 'X' } }), 401);
    const account = await newAccount();
    problem(await call('/v1/accounts', { token: account.admin, body: { id: 'x1', name: 'X' } }), 401);
  });

  it('rejects bad account bodies naming every bad field', async () => {
    const res = await call('/v1/accounts', {
      token: OPERATOR,
      body: { id: 'has space', name: '', timezone: 'Mars/Olympus', retentionMonths: 0, extra: 1 },
    });
    problem(res, 422);
    const paths = res.json.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/extra', '/id', '/name', '/retentionMonths', '/timezone']);
  });
});

describe('tokens', () => {
  it('are shown once and stored only as a hash', async () => {
    const account = await newAccount();
    // An admin gives only scopes it holds (see token-authority.test.ts).
    const admin = await account.token(['account:admin', 'audit:read', 'audit:export']);
    const res = await call(`/v1/accounts/${account.id}/tokens`, {
      token: admin,
      body: { name: 'ci', scopes: ['audit:read', 'audit:export'] },
    });
    expect(res.status).toBe(201);
    expect(res.json.token).toMatch(/^atr_[A-Za-z0-9_-]{43}$/);
    expect(res.json).toMatchObject({ name: 'ci', scopes: ['audit:read', 'audit:export'], revokedAt: null });

    const dump = JSON.stringify(await env.DB.prepare('SELECT * FROM api_tokens').all());
    expect(dump).not.toContain(res.json.token);
    expect(dump).not.toContain(res.json.token.slice(4));

    const list = await call(`/v1/accounts/${account.id}/tokens`, { token: account.admin });
    expect(list.status).toBe(200);
    expect(list.json.tokens.map((t: { name: string }) => t.name)).toContain('ci');
    expect(JSON.stringify(list.json)).not.toContain(res.json.token);
    expect(list.json.tokens.every((t: object) => !('token' in t) && !('secretHash' in t))).toBe(true);
  });

  it('/me tells what a token may do', async () => {
    const account = await newAccount();
    const me = await call(`/v1/accounts/${account.id}/me`, { token: account.reader });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      accountId: account.id,
      name: 'audit:read',
      scopes: ['audit:read'],
      tokenId: expect.stringMatching(/^tok_/),
    });
  });

  it('revoked and expired tokens are refused with 401', async () => {
    const account = await newAccount();
    const me = await call(`/v1/accounts/${account.id}/me`, { token: account.reader });
    const revoke = await call(`/v1/accounts/${account.id}/tokens/${me.json.tokenId}`, { method: 'DELETE', token: account.admin });
    expect(revoke.status).toBe(200);
    expect(revoke.json.revokedAt).not.toBeNull();
    const after = await call(`/v1/accounts/${account.id}/me`, { token: account.reader });
    problem(after, 401);
    expect(after.json.detail).toMatch(/revoked/);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const expiresAt = Date.now() + 1000;
    const short = await call(`/v1/accounts/${account.id}/tokens`, {
      token: OPERATOR,
      body: { name: 'short', scopes: ['audit:read'], expiresAt: new Date(expiresAt).toISOString() },
    });
    expect(short.status).toBe(201);
    expect((await call(`/v1/accounts/${account.id}/me`, { token: short.json.token })).status).toBe(200);
    // Expiry is checked on every request, also when the token's look-up is cached.
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
    const expired = await call(`/v1/accounts/${account.id}/me`, { token: short.json.token });
    problem(expired, 401);
    expect(expired.json.detail).toMatch(/expired/);

    problem(await call(`/v1/accounts/${account.id}/tokens/tok_missing`, { method: 'DELETE', token: account.admin }), 404);
    problem(
      await call(`/v1/accounts/${account.id}/tokens`, {
        token: account.admin,
        body: { name: 'old', scopes: ['audit:read'], expiresAt: '2001-01-01T00:00:00Z' },
      }),
      422,
    );
  });

  it('a wrong scope is 403, a missing or malformed token 401', async () => {
    const account = await newAccount();
    problem(await call(`/v1/accounts/${account.id}/tokens`, { token: account.reader }), 403);
    problem(await call(`/v1/accounts/${account.id}/events`, { token: account.writer }), 403);
    problem(await call(`/v1/accounts/${account.id}/events`), 401);
    problem(await call(`/v1/accounts/${account.id}/events`, { headers: { authorization: 'Basic abc' } }), 401);
    problem(await call(`/v1/accounts/${account.id}/events`, { token: 'atr_forged' }), 401);
    problem(
      await call(`/v1/accounts/${account.id}/tokens`, { token: account.reader, body: { name: 'x', scopes: ['account:admin'] } }),
      403,
    );
  });

  it('a token never reaches another account (404, as if it did not exist)', async () => {
    const mine = await newAccount();
    const theirs = await newAccount();
    for (const path of ['', '/me', '/events', '/tokens', '/objects/user/1/events']) {
      const res = await call(`/v1/accounts/${theirs.id}${path}`, { token: mine.admin });
      problem(res, 404);
    }
    problem(await call(`/v1/accounts/${theirs.id}/changes`, { token: mine.writer, body: {} }), 404);
    problem(await call(`/v1/accounts/${theirs.id}/tokens`, { token: mine.admin, body: { name: 'x', scopes: ['audit:read'] } }), 404);
    problem(await call(`/v1/accounts/nope`, { token: OPERATOR }), 404);
  });
});

describe('routing', () => {
  it('answers health, unknown routes and the OpenAPI document', async () => {
    expect((await call('/healthz')).json).toEqual({ ok: true });
    problem(await call('/v2/nothing'), 404);
    const doc = await call('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
  });
});

describe('CORS', () => {
  it('lets browser clients call the API with a bearer token', async () => {
    const preflight = await call('/v1/accounts/a/events', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const denied = await call('/v1/accounts/a/events', { headers: { origin: 'http://localhost:5173' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
    expect(denied.headers.get('access-control-expose-headers')).toMatch(/Link/);
  });
});
