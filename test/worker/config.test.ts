// Missing or malformed settings (issue 8, item 6): a 503 problem naming the setting where
// it is needed, a readiness check listing them all, and a cron that logs and goes on.
// The Worker's own fetch and scheduled handlers run with a changed env: real code, real
// Requests, the real D1.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { aChange, call, newAccount, OPERATOR } from './support';

const ORIGIN = 'https://audit.test';
const GOOD_KEY = env.CHECKPOINT_PRIVATE_KEY!;
// The private half of GOOD_KEY with the public half of another key.
const MISMATCHED_KEY = JSON.stringify({ ...JSON.parse(GOOD_KEY), x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });

async function callWith(settings: Partial<Env>, path: string, options: { token?: string; body?: unknown; method?: string } = {}) {
  const headers = new Headers();
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(ORIGIN + path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as any, { ...env, ...settings } as Env, ctx);
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  const json = text && /[/+]json\b/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

function misconfigured(res: Awaited<ReturnType<typeof callWith>>, setting: string, state = 'missing') {
  expect(res.status, res.text).toBe(503);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json.type).toBe('https://audit-trail.dev/problems/misconfigured');
  expect(res.json.detail).toMatch(new RegExp(`^The deployment's ${setting} setting is ${state};`));
  expect(res.json.errors).toEqual([{ path: `env.${setting}`, message: state }]);
}

async function accountWithEvents() {
  const account = await newAccount();
  const body = { changes: [aChange({ objectId: 'a' }), aChange({ objectId: 'b' })] };
  expect((await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body })).status).toBe(201);
  return account;
}

describe('readiness', () => {
  it('is 200 when every setting is present and well-formed', async () => {
    const res = await call('/readyz');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ ready: true });
  });

  it('is 503 listing every missing or malformed setting, by name only, while /healthz stays live', async () => {
    const res = await callWith({ CURSOR_SECRET: '', OPERATOR_TOKEN: undefined as any, CHECKPOINT_PRIVATE_KEY: MISMATCHED_KEY }, '/readyz');
    expect(res.status).toBe(503);
    expect(res.json.type).toBe('https://audit-trail.dev/problems/misconfigured');
    expect(res.json.errors).toEqual([
      { path: 'env.OPERATOR_TOKEN', message: 'missing' },
      { path: 'env.CURSOR_SECRET', message: 'missing' },
      { path: 'env.CHECKPOINT_PRIVATE_KEY', message: 'malformed' },
    ]);
    expect(res.json.detail).toMatch(/OPERATOR_TOKEN missing; CURSOR_SECRET missing; CHECKPOINT_PRIVATE_KEY malformed/);
    expect(res.text).not.toContain(JSON.parse(GOOD_KEY).d);
    const missingKey = await callWith({ CHECKPOINT_PRIVATE_KEY: undefined }, '/readyz');
    expect(missingKey.json.errors).toEqual([{ path: 'env.CHECKPOINT_PRIVATE_KEY', message: 'missing' }]);
    expect((await callWith({ CURSOR_SECRET: '' }, '/healthz')).json).toEqual({ ok: true });
  });
});

describe('readiness of the database', () => {
  it('is 503 naming the newest migration when the database lacks it, and when it does not answer', async () => {
    const newest = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1').first<{ name: string }>();
    expect(newest!.name).toMatch(/^\d{4}_\w+\.sql$/);
    await env.DB.prepare('DELETE FROM d1_migrations WHERE name = ?').bind(newest!.name).run();
    try {
      const res = await callWith({}, '/readyz');
      expect(res.status).toBe(503);
      expect(res.json.errors).toEqual([
        { path: 'env.DB', message: `the D1 database lacks migration ${newest!.name}: run "wrangler d1 migrations apply DB"` },
      ]);
    } finally {
      await env.DB.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(newest!.name).run();
    }
    const down = {
      prepare: () => {
        throw new Error('D1 is unavailable');
      },
    } as unknown as D1Database;
    expect((await callWith({ DB: down }, '/readyz')).json.errors).toEqual([
      { path: 'env.DB', message: 'the D1 database does not answer, or its migrations are not applied' },
    ]);
    expect((await call('/readyz')).status).toBe(200);
  });
});

describe('a missing CURSOR_SECRET', () => {
  it('makes every request that needs a cursor a 503 naming it', async () => {
    const account = await accountWithEvents();
    const cursor = (await call(`/v1/accounts/${account.id}/events?limit=1`, { token: account.reader })).json.nextCursor;
    const none = { CURSOR_SECRET: undefined as any };
    misconfigured(await callWith(none, `/v1/accounts/${account.id}/events?limit=1`, { token: account.reader }), 'CURSOR_SECRET');
    misconfigured(await callWith(none, `/v1/accounts/${account.id}/events?cursor=${cursor}`, { token: account.reader }), 'CURSOR_SECRET');
    misconfigured(
      await callWith(none, `/v1/accounts/${account.id}/objects/user/a/events?cursor=${cursor}`, { token: account.reader }),
      'CURSOR_SECRET',
    );
    misconfigured(
      await callWith(none, `/v1/accounts/${account.id}/access-log?cursor=${cursor}`, { token: account.admin }),
      'CURSOR_SECRET',
    );
    misconfigured(
      await callWith({ CURSOR_SECRET: '' }, `/v1/accounts/${account.id}/token-events?limit=1`, { token: account.admin }),
      'CURSOR_SECRET',
    );
  });
});

describe('a missing OPERATOR_TOKEN', () => {
  it('makes the operator routes 503 naming it; account tokens keep working', async () => {
    const account = await newAccount();
    const none = { OPERATOR_TOKEN: undefined as any };
    misconfigured(
      await callWith(none, '/v1/accounts', { token: 'what-the-operator-thinks-it-is', body: { id: 'noop1', name: 'X' } }),
      'OPERATOR_TOKEN',
    );
    misconfigured(
      await callWith({ OPERATOR_TOKEN: '' }, `/v1/accounts/${account.id}/tokens`, {
        token: OPERATOR,
        body: { name: 'x', scopes: ['audit:read'] },
      }),
      'OPERATOR_TOKEN',
    );
    misconfigured(await callWith(none, `/v1/accounts/${account.id}`, { token: OPERATOR }), 'OPERATOR_TOKEN');
    // No credentials at all is still 401; an account token is unaffected.
    expect((await callWith(none, '/v1/accounts', { body: { id: 'noop2', name: 'X' } })).status).toBe(401);
    const made = await callWith(none, `/v1/accounts/${account.id}/tokens`, {
      token: account.admin,
      body: { name: 'x', scopes: ['account:admin'] },
    });
    expect(made.status, made.text).toBe(201);
    expect((await callWith(none, `/v1/accounts/${account.id}`, { token: account.reader })).status).toBe(200);
    expect((await callWith(none, `/v1/accounts/${account.id}`, { token: 'atr_unknown' })).status).toBe(401);
  });
});

describe('a malformed CHECKPOINT_PRIVATE_KEY', () => {
  const BAD_KEYS = [
    'not json',
    '{"kty":"OKP","crv":"Ed25519"}',
    JSON.stringify({ ...JSON.parse(GOOD_KEY), d: 'AAAA' }),
    MISMATCHED_KEY,
    '[]',
  ];

  it('makes the signing routes 503 naming it, never quoting it', async () => {
    const account = await accountWithEvents();
    for (const key of BAD_KEYS) {
      const bad = { CHECKPOINT_PRIVATE_KEY: key };
      for (const res of [
        await callWith(bad, `/v1/accounts/${account.id}/checkpoints`, { token: account.admin, method: 'POST' }),
        await callWith(bad, '/v1/keys'),
        await callWith(bad, `/v1/accounts/${account.id}/verify`, { token: account.reader }),
        // The NDJSON export signs its header: never a 500 for the deployer's key.
        await callWith(bad, `/v1/accounts/${account.id}/events/export?format=ndjson`, { token: account.exporter }),
      ]) {
        misconfigured(res, 'CHECKPOINT_PRIVATE_KEY', 'malformed');
        expect(res.text).not.toContain(key);
      }
    }
    misconfigured(await callWith({ CHECKPOINT_PRIVATE_KEY: undefined }, '/v1/keys'), 'CHECKPOINT_PRIVATE_KEY');
    const unsigned = await callWith({ CHECKPOINT_PRIVATE_KEY: undefined }, `/v1/accounts/${account.id}/events/export?format=ndjson`, {
      token: account.exporter,
    });
    expect(unsigned.status).toBe(200);
    expect(JSON.parse(unsigned.text.split('\n')[0]!).signature).toBeNull();
    expect((await call(`/v1/accounts/${account.id}/checkpoints`, { token: account.admin, method: 'POST' })).status).toBe(201);
  });

  it('lets the cron purge, log and skip signing instead of crashing', async () => {
    const account = await accountWithEvents();
    const signed = () =>
      env.DB.prepare('SELECT count(*) AS n FROM checkpoints WHERE account_id = ?')
        .bind(account.id)
        .first<{ n: number }>()
        .then((row) => row!.n);
    for (const key of BAD_KEYS) {
      const ctx = createExecutionContext();
      await worker.scheduled(
        createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }),
        { ...env, CHECKPOINT_PRIVATE_KEY: key },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(await signed()).toBe(0);
    }
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await signed()).toBe(1);
  });
});
