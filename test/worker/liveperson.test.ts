// The LivePerson connector against the simulated LivePerson (scripts/liveperson-sim) over real
// HTTP: connecting, the backfill through the queue, polls, failures, idempotency, provenance.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../worker/domain/time-zone';
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

async function connected(options: { days: number; rowsPerDay: number; seed?: number; unknownTypes?: number }) {
  const account = await newAccount();
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
