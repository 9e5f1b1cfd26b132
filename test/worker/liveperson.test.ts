// The LivePerson connector against the simulated LivePerson (scripts/liveperson-sim) over real
// HTTP: connecting, the backfill through the queue, polls, failures, idempotency, provenance.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../worker/domain/time-zone';
import worker from '../../worker/index';
import { call, newAccount } from './support';
import { simAccount, simFaults, simGenerate, simRecords, simRequests, type SimCredentials } from './liveperson-sim-client';

type Account = Awaited<ReturnType<typeof newAccount>>;

let keys = 0;
const credentials = (): SimCredentials => {
  const n = `${Date.now().toString(36)}${++keys}`;
  return {
    consumerKey: `app-key-${n}`,
    consumerSecret: `app-secret-${n}-Zq9`,
    token: `access-token-${n}`,
    tokenSecret: `token-secret-${n}-Wx7`,
  };
};
const auth = (c: SimCredentials) => ({ type: 'oauth1', ...c });
const today = () => localDate(Date.now(), 'UTC');
const source = (account: Account) => `/v1/accounts/${account.id}/sources/liveperson`;

async function status(account: Account) {
  const res = await call(source(account), { token: account.admin });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** Waits until `done(status)` holds (the queue delivers in the background). */
async function until(account: Account, done: (s: any) => boolean, timeoutMs = 90_000) {
  const start = Date.now();
  for (;;) {
    const s = await status(account);
    if (done(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting; status ${JSON.stringify(s)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const skippedRows = (s: any) => Object.values(s.skipped as Record<string, number>).reduce((a, b) => a + b, 0);
const backfilled = (s: any) => s.state === 'syncing' && s.backfill.daysDone === s.backfill.daysTotal;

async function connected(options: { days: number; rowsPerDay: number; seed?: number; unknownTypes?: number; account?: Account }) {
  const account = options.account ?? (await newAccount());
  const c = credentials();
  await simAccount(account.id, c);
  const from = addDays(today(), -options.days);
  const { records } = await simGenerate(account.id, {
    from,
    days: options.days,
    rowsPerDay: options.rowsPerDay,
    seed: options.seed ?? 1,
    unknownTypes: options.unknownTypes,
  });
  const res = await call(source(account), { method: 'PUT', token: account.admin, body: { auth: auth(c), backfillFrom: from } });
  return { account, c, from, records, res };
}

async function eventCount(account: Account) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE account_id = ? AND source = 'liveperson'")
    .bind(account.id)
    .first<{ n: number }>();
  return row!.n;
}

describe('connecting LivePerson', () => {
  it('backfills a few days through the queue and keeps syncing', async () => {
    const { account, res, records } = await connected({ days: 3, rowsPerDay: 20 });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ connected: true, state: 'backfilling', backfill: { daysDone: 0, daysTotal: 4 } });
    const done = await until(account, backfilled);
    // The simulator's "Account Settings" rows are a LivePerson type we do not import: counted, not dropped.
    expect(Object.keys(done.skipped).every((reason) => reason === 'unknown object type: Account Settings')).toBe(true);
    expect(done.importedEvents + skippedRows(done)).toBe(records);
    expect(await eventCount(account)).toBe(done.importedEvents);
  });
});

const userRecord = (overrides: Record<string, string> = {}) => ({
  objectType: 'Users',
  objectId: '4711',
  objectName: 'Jane Doe',
  actionType: 'Edit' as const,
  element: 'Nickname',
  oldValue: 'Jane',
  newValue: 'JD',
  occurredAt: `${addDays(today(), -1)}T09:15:00Z`,
  originator: 'dana.levi@example.com',
  originatorEmployeeId: 'E1042',
  originatorProfiles: 'Administrator',
  ...overrides,
});

async function verified(account: Account) {
  const res = await call(`/v1/accounts/${account.id}/verify`, { token: account.reader });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

describe('the LivePerson backfill', () => {
  it('imports 30 days of about 10,000 rows, day by day, into one verifiable chain', async () => {
    const { account, records } = await connected({ days: 30, rowsPerDay: 333, seed: 7 });
    expect(records).toBeGreaterThanOrEqual(9_990);
    const done = await until(account, backfilled, 180_000);
    expect(done).toMatchObject({
      connected: true,
      state: 'syncing',
      lastError: null,
      backfill: { daysDone: 31, daysTotal: 31, through: today() },
    });
    expect(done.importedEvents + skippedRows(done)).toBe(records);
    expect(await eventCount(account)).toBe(done.importedEvents);
    expect(await verified(account)).toMatchObject({ ok: true, checked: done.importedEvents });
    // One export per day, whole UTC days, asked in UTC.
    const exports = (await simRequests(account.id)).filter((r) => r.path.endsWith('/audit/export') && r.status === 200);
    const days = exports.map((r) => r.query.fromDate!).filter((day) => day < today());
    expect(new Set(days).size).toBe(30);
    expect(exports.every((r) => r.query.timezone === 'UTC' && r.query.fromDate === r.query.toDate)).toBe(true);
  }, 240_000);

  it('stores nothing twice: connecting again, syncing again and the cron re-read the same days', async () => {
    const { account, c, from } = await connected({ days: 5, rowsPerDay: 40, seed: 3 });
    const first = await until(account, backfilled);
    const stored = await eventCount(account);
    expect(stored).toBe(first.importedEvents);

    const again = await call(source(account), { method: 'PUT', token: account.admin, body: { auth: auth(c), backfillFrom: from } });
    expect(again.status, again.text).toBe(200);
    await until(account, backfilled);
    // Two requests at once: one queues the sync, the other joins it. (Sent together, because the
    // local queue may start a sync queued by an earlier request within a second, freeing its slot.)
    const before = (await status(account)).lastSyncAt;
    const syncs = await Promise.all([0, 1].map(() => call(`${source(account)}/sync`, { method: 'POST', token: account.admin })));
    expect(syncs.map((s) => s.status)).toEqual([202, 202]);
    expect(syncs.map((s) => s.json.queued).sort()).toEqual([false, true]);
    await until(account, (s) => s.lastSyncAt !== before);

    const polled = (await status(account)).lastSyncAt;
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    await until(account, (s) => s.lastSyncAt !== polled);

    expect(await eventCount(account)).toBe(stored);
    expect((await status(account)).importedEvents).toBe(stored);
    expect(await verified(account)).toMatchObject({ ok: true });
  }, 120_000);

  it("keeps two identical rows of one day as two, and finds them by LivePerson's Object ID", async () => {
    const account = await newAccount({ auditEnabledAt: new Date().toISOString() });
    const c = credentials();
    await simAccount(account.id, c);
    await simRecords(account.id, [
      userRecord(),
      userRecord(),
      userRecord({ element: 'Email', oldValue: '', newValue: 'jd@example.com' }),
      userRecord({ element: 'Password', oldValue: 'hunter2', newValue: 'correct horse' }),
      userRecord({ objectId: '99', objectName: 'Other', occurredAt: `${addDays(today(), -1)}T10:00:00Z` }),
    ]);
    const res = await call(source(account), {
      method: 'PUT',
      token: account.admin,
      body: { auth: auth(c), backfillFrom: addDays(today(), -2) },
    });
    expect(res.status, res.text).toBe(200);
    await until(account, backfilled);
    const history = await call(`/v1/accounts/${account.id}/objects/user/4711/events`, { token: account.reader });
    expect(history.status, history.text).toBe(200);
    // Older than auditEnabledAt (now): LivePerson recorded them, so they are history all the same.
    expect(history.json.events.map((e: any) => [e.element, e.oldValue, e.newValue, e.redacted, e.source]).sort()).toEqual(
      [
        ['Nickname', 'Jane', 'JD', false, 'liveperson'],
        ['Nickname', 'Jane', 'JD', false, 'liveperson'],
        ['Email', null, 'jd@example.com', false, 'liveperson'],
        // Our secret rules apply to imported values too.
        ['Password', null, null, true, 'liveperson'],
      ].sort(),
    );
    const [one] = history.json.events;
    expect(one).toMatchObject({
      objectType: 'user',
      objectId: '4711',
      objectName: 'Jane Doe',
      action: 'edit',
      occurredAt: `${addDays(today(), -1)}T09:15:00.000Z`,
      originator: { id: 'dana.levi@example.com', name: 'dana.levi@example.com' },
    });
    // One save in LivePerson is one change here.
    expect(new Set(history.json.events.map((e: any) => e.changeId)).size).toBe(1);
    const raw = await env.DB.prepare(
      'SELECT count(*) AS n FROM audit_events WHERE account_id = ? AND (old_value LIKE ? OR new_value LIKE ?)',
    )
      .bind(account.id, '%hunter2%', '%correct horse%')
      .first<{ n: number }>();
    expect(raw!.n).toBe(0);
  });

  it('counts rows of object types it does not know, per type, and imports the rest', async () => {
    const { account, records } = await connected({ days: 2, rowsPerDay: 50, seed: 5, unknownTypes: 7 });
    const done = await until(account, backfilled);
    expect((done.skipped['unknown object type: Secure Forms'] ?? 0) + (done.skipped['unknown object type: Bot Connectors'] ?? 0)).toBe(7);
    expect(done.importedEvents + skippedRows(done)).toBe(records);
  });
});

describe('LivePerson failures', () => {
  it('ends complete after a 429 and a 500 in the middle, honouring Retry-After, skipping no day', async () => {
    const account = await newAccount();
    const c = credentials();
    await simAccount(account.id, c);
    const from = addDays(today(), -4);
    const { records } = await simGenerate(account.id, { from, days: 4, rowsPerDay: 30, seed: 11 });
    const res = await call(source(account), { method: 'PUT', token: account.admin, body: { auth: auth(c), backfillFrom: from } });
    expect(res.status, res.text).toBe(200);
    await simFaults(account.id, [{ status: 429, retryAfter: 1 }, { status: 500 }], 'export');
    const done = await until(account, backfilled, 60_000);
    expect(done.importedEvents + skippedRows(done)).toBe(records);
    expect(done.lastError).toBeNull();
    const exports = (await simRequests(account.id)).filter((r) => r.path.endsWith('/audit/export'));
    const statuses = exports.map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(500);
    const after429 = exports.findIndex((r) => r.status === 429);
    expect(Date.parse(exports[after429 + 1]!.at) - Date.parse(exports[after429]!.at)).toBeGreaterThanOrEqual(900);
    // Every day of the backfill was fetched whole in the end.
    const okDays = new Set(exports.filter((r) => r.status === 200).map((r) => r.query.fromDate));
    for (let day = from; day <= today(); day = addDays(day, 1)) expect(okDays.has(day), day).toBe(true);
    expect(await verified(account)).toMatchObject({ ok: true });
  }, 90_000);

  it('refuses a wrong key with a 422 that says which and what to fix, storing nothing', async () => {
    const account = await newAccount();
    const c = credentials();
    await simAccount(account.id, c);
    const res = await call(source(account), {
      method: 'PUT',
      token: account.admin,
      body: { auth: auth({ ...c, consumerSecret: 'wrong-secret' }) },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.json.type).toBe('https://audit-trail.dev/problems/liveperson-refused');
    expect(res.json.detail).toMatch(/401/);
    expect(res.json.detail).toMatch(/app key, app secret, access token or access token secret/);
    expect(res.text).not.toContain(c.consumerKey);
    expect(await status(account)).toMatchObject({ connected: false });

    await simAccount(account.id, c, { permissions: false });
    const forbidden = await call(source(account), { method: 'PUT', token: account.admin, body: { auth: auth(c) } });
    expect(forbidden.status, forbidden.text).toBe(422);
    expect(forbidden.json.detail).toMatch(/403/);
    expect(forbidden.json.detail).toMatch(/permission/);

    const unknown = await newAccount();
    const nowhere = await call(source(unknown), { method: 'PUT', token: unknown.admin, body: { auth: auth(c) } });
    expect(nowhere.status, nowhere.text).toBe(422);
    expect(nowhere.json.detail).toMatch(/does not know account/);
  });

  it('turns a key revoked after connecting into state "error" with a lastError that says what to do', async () => {
    const { account } = await connected({ days: 1, rowsPerDay: 5 });
    await until(account, backfilled);
    await simAccount(account.id, credentials()); // LivePerson now knows another key only.
    expect((await call(`${source(account)}/sync`, { method: 'POST', token: account.admin })).status).toBe(202);
    const failed = await until(account, (s) => s.state === 'error');
    expect(failed.lastError).toMatch(/refused the API key \(401\).*connect with PUT/);
    const sync = await call(`${source(account)}/sync`, { method: 'POST', token: account.admin });
    expect(sync.status).toBe(409);
  });
});

describe('the LivePerson connection', () => {
  it("is the admin's alone, takes no host, and is validated field by field", async () => {
    const account = await newAccount();
    const c = credentials();
    expect((await call(source(account), { token: account.reader })).status).toBe(403);
    expect((await call(source(account), { method: 'PUT', token: account.writer, body: { auth: auth(c) } })).status).toBe(403);
    const host = await call(source(account), { method: 'PUT', token: account.admin, body: { auth: auth(c), baseURI: 'evil.example' } });
    expect(host.status).toBe(422);
    expect(host.json.errors).toContainEqual({ path: '/baseURI', message: 'is not a known field' });
    const bad = await call(source(account), {
      method: 'PUT',
      token: account.admin,
      body: { auth: { type: 'oauth1', consumerKey: '', consumerSecret: 'a b', token: 't' }, backfillFrom: '2026-13-01' },
    });
    expect(bad.status).toBe(422);
    expect([...new Set(bad.json.errors.map((e: { path: string }) => e.path))].sort()).toEqual(
      ['/auth/consumerKey', '/auth/consumerSecret', '/auth/tokenSecret', '/backfillFrom'].sort(),
    );
    await simAccount(account.id, c);
    const old = await call(source(account), { method: 'PUT', token: account.admin, body: { auth: auth(c), backfillFrom: '2001-01-01' } });
    expect(old.status).toBe(422);
    expect(old.json.errors[0].path).toBe('/backfillFrom');
  });

  it('keeps no credential in clear anywhere in D1, nor in any answer', async () => {
    const { account, c, res } = await connected({ days: 1, rowsPerDay: 5 });
    await until(account, backfilled);
    const secrets = Object.values(c);
    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    expect(tables.map((t) => t.name)).toContain('liveperson_sources');
    for (const { name } of tables) {
      const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      const text = JSON.stringify(results);
      for (const secret of secrets) expect(text.includes(secret), `${name} holds a credential`).toBe(false);
    }
    const answers = [res.text, (await call(source(account), { token: account.admin })).text];
    answers.push((await call(`/v1/accounts/${account.id}/events/export?format=ndjson`, { token: account.exporter })).text);
    answers.push((await call(`/v1/accounts/${account.id}/access-log`, { token: account.admin })).text);
    for (const text of answers) for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    for (const secret of secrets) expect(JSON.stringify(await status(account))).not.toContain(secret.slice(-4));
  });

  it('stops on DELETE and keeps the imported history', async () => {
    const { account } = await connected({ days: 1, rowsPerDay: 10 });
    const done = await until(account, backfilled);
    const res = await call(source(account), { method: 'DELETE', token: account.admin });
    expect(res.status).toBe(204);
    expect(await status(account)).toMatchObject({ connected: false, state: null });
    expect(await eventCount(account)).toBe(done.importedEvents);
    expect((await call(`${source(account)}/sync`, { method: 'POST', token: account.admin })).status).toBe(409);
  });

  it('needs CREDENTIALS_KEY: a 503 naming it, and /readyz lists it', async () => {
    const account = await newAccount();
    const withoutKey = { ...env, CREDENTIALS_KEY: '' } as Env;
    const ask = async (path: string, init: RequestInit = {}) => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`https://audit.test${path}`, init) as any, withoutKey, ctx);
      await waitOnExecutionContext(ctx);
      return { status: response.status, json: (await response.json()) as any };
    };
    const put = await ask(source(account), {
      method: 'PUT',
      headers: { authorization: `Bearer ${account.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ auth: auth(credentials()) }),
    });
    expect(put.status).toBe(503);
    expect(put.json.errors).toEqual([{ path: 'env.CREDENTIALS_KEY', message: 'missing' }]);
    expect((await ask('/readyz')).json.errors).toEqual([{ path: 'env.CREDENTIALS_KEY', message: 'missing' }]);
  });
});
