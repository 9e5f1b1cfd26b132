// Destinations: webhooks streaming the audit trail, against a real receiver on loopback
// (scripts/webhook-receiver) through the real queue. Every signature is checked with the
// standardwebhooks package's own verifier.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../worker/domain/time-zone';
import worker from '../../worker/index';
import { KEPT_ATTEMPTS, logAttempt } from '../../worker/store/destinations';
import { simAccount, simGenerate } from './liveperson-sim-client';
import { call, newAccount, recordChanges } from './support';
import { behave, newHook, received, receivedUntil, type Received } from './webhook-receiver-client';

type Account = Awaited<ReturnType<typeof newAccount>>;
const base = (account: Account) => `/v1/accounts/${account.id}/destinations`;

async function createDestination(account: Account, body: Record<string, unknown>) {
  const res = await call(base(account), { token: account.admin, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; secret: string; [key: string]: unknown };
}

async function destination(account: Account, id: string) {
  const res = await call(`${base(account)}/${id}`, { token: account.admin });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** Waits until the destination's status satisfies `done` (an attempt is recorded just after the receiver answered). */
async function destinationUntil(account: Account, id: string, done: (status: any) => boolean) {
  for (let start = Date.now(); ;) {
    const status = await destination(account, id);
    if (done(status)) return status;
    if (Date.now() - start > 30_000) throw new Error(`timed out waiting; status ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the five-minute cron (the LivePerson poll and the sweep that kicks destinations behind the head). */
async function sweep() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** `count` changes of one element each, in batches of `perBatch`, one batch after the other. */
async function record(account: Account, count: number, perBatch = 50, overrides: Record<string, unknown> = {}) {
  for (let i = 0; i < count; i += perBatch)
    await recordChanges(
      account,
      Array.from({ length: Math.min(perBatch, count - i) }, (_, j) => ({ objectId: `u-${i + j}`, ...overrides })),
    );
}

/** The body of a delivery, after checking its signature with `secret`. */
function verified(secret: string, delivery: Received) {
  return new Webhook(secret).verify(delivery.body, delivery.headers) as { type: string; accountId: string; events: any[] };
}

const accepted = (r: Received[]) => r.filter((d) => d.status < 300);
const seqs = (secret: string, r: Received[]) => accepted(r).flatMap((d) => verified(secret, d).events.map((e) => e.seq as number));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('creating destinations', () => {
  it('answers the destination with its secret once, and never again', async () => {
    const account = await newAccount();
    const hook = newHook();
    const created = await createDestination(account, { url: hook.url, description: 'SIEM', filter: { objectType: 'user' } });
    expect(created).toMatchObject({ url: hook.url, description: 'SIEM', filter: { objectType: 'user' }, state: 'active', behind: 0 });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.id).toMatch(/^dst_/);

    const read = await destination(account, created.id);
    expect(read).not.toHaveProperty('secret');
    const list = await call(base(account), { token: account.admin });
    expect(list.json.items.map((d: any) => d.id)).toEqual([created.id]);
    expect(list.text).not.toContain(created.secret);

    // Sealed at rest: the secret's text is nowhere in the row.
    const row = await env.DB.prepare('SELECT * FROM destinations WHERE id = ?').bind(created.id).first();
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));

    const deleted = await call(`${base(account)}/${created.id}`, { method: 'DELETE', token: account.admin });
    expect(deleted.status).toBe(204);
    expect((await call(`${base(account)}/${created.id}`, { token: account.admin })).status).toBe(404);
  });

  it('needs account:admin, and is per account', async () => {
    const account = await newAccount();
    const other = await newAccount();
    const created = await createDestination(account, { url: newHook().url });
    expect((await call(base(account), { token: account.reader })).status).toBe(403);
    expect((await call(base(account), { token: account.writer, body: { url: newHook().url } })).status).toBe(403);
    expect((await call(`${base(other)}/${created.id}`, { token: other.admin })).status).toBe(404);
  });

  it('refuses bad bodies with problems that name the path, and stores nothing', async () => {
    const account = await newAccount();
    for (const [body, path] of [
      [{}, '/url'],
      [{ url: 'not a url' }, '/url'],
      [{ url: 'ftp://example.com/' }, '/url'],
      [{ url: 'https://user:pw@example.com/' }, '/url'],
      [{ url: newHook().url, filter: { objectType: 'spaceship' } }, '/filter/objectType'],
      [{ url: newHook().url, extra: 1 }, '/extra'],
    ] as const) {
      const res = await call(base(account), { token: account.admin, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json.errors.map((e: any) => e.path)).toContain(path);
    }
    expect((await call(base(account), { token: account.admin })).json.items).toEqual([]);
  });
});

describe('the URL guard (DESTINATIONS_ALLOW_INSECURE off, as in production)', () => {
  /** The Worker's fetch handler with the production setting. */
  async function createInProduction(account: Account, url: string) {
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`https://audit.test${base(account)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${account.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      }),
      { ...env, DESTINATIONS_ALLOW_INSECURE: 'false' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return { status: response.status, json: (await response.json()) as any };
  }

  it('refuses private, loopback and link-local targets and http://, with a 422 at /url', async () => {
    const account = await newAccount();
    for (const url of [
      'http://siem.example.com/hook',
      'https://localhost/hook',
      'https://api.localhost./hook',
      'https://127.0.0.1/',
      'https://2130706433/', // 127.0.0.1 as one number
      'https://0x7f.1/',
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[::]/',
      'https://[fe80::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[64:ff9b::10.0.0.1]/',
    ]) {
      const res = await createInProduction(account, url);
      expect(res.status, url).toBe(422);
      expect(res.json.errors, url).toEqual([{ path: '/url', message: expect.stringMatching(/^must /) }]);
    }
    expect((await call(base(account), { token: account.admin })).json.items).toEqual([]);
  });

  it('takes https:// URLs of public names and addresses', async () => {
    const account = await newAccount();
    for (const url of ['https://siem.example.com/audit', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/x'])
      expect((await createInProduction(account, url)).status, url).toBe(201);
  });
});

describe('deliveries', () => {
  it('delivers every event in seq order through a receiver that fails at first, each signature verified', async () => {
    const account = await newAccount();
    const hook = newHook();
    await behave(hook.name, { failNext: 3 });
    const dest = await createDestination(account, { url: hook.url });
    await record(account, 250);

    // The first attempt fails, then the retry after 5 s through the queue fails too.
    let r = await receivedUntil(hook.name, (all) => all.length >= 2);
    expect(r.map((d) => d.status)).toEqual([503, 503]);
    let status = await destinationUntil(account, dest.id, (s) => s.failures === 2);
    expect(status).toMatchObject({ state: 'active', failures: 2, lastStatus: 503, lastError: 'answered 503', behind: 250 });
    // The next wait is 30 s; the admin resumes rather than waiting (the third attempt fails, and is resumed again).
    expect(Date.parse(status.nextAttemptAt) - Date.parse(status.lastAttemptAt)).toBe(30_000);
    // Resuming forgets the failures: the third attempt (which fails) is the first of a new run;
    // resuming again tries the fourth at once (unless its 5-second retry got there first).
    const resume = async () =>
      expect((await call(`${base(account)}/${dest.id}/resume`, { method: 'POST', token: account.admin })).status).toBe(202);
    await resume();
    await receivedUntil(hook.name, (all) => all.length >= 3);
    await destinationUntil(account, dest.id, (s) => s.failures === 1 || s.deliveredThroughSeq > 0);
    await resume();
    r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 250);

    // Every event, exactly once among the accepted deliveries, in seq order; at most 100 per delivery.
    expect(seqs(dest.secret, r)).toEqual(range(1, 250));
    for (const d of accepted(r)) {
      const body = verified(dest.secret, d);
      expect(body.type).toBe('audit.events');
      expect(body.accountId).toBe(account.id);
      expect(body.events.length).toBeLessThanOrEqual(100);
    }
    // Every failed attempt was the same delivery (the same webhook-id) as the first accepted one.
    const firstId = accepted(r)[0]!.headers['webhook-id'];
    expect(r.slice(0, 3).map((d) => d.headers['webhook-id'])).toEqual([firstId, firstId, firstId]);
    // Each event exactly as the API returns it.
    const [first] = verified(dest.secret, accepted(r)[0]!).events;
    const listed = await call(`/v1/accounts/${account.id}/events?objectId=u-0`, { token: account.reader });
    expect(listed.json.events).toEqual([first]);

    status = await destination(account, dest.id);
    expect(status).toMatchObject({ state: 'active', failures: 0, behind: 0, deliveredThroughSeq: 250, headSeq: 250, lastStatus: 200 });

    const attempts = await call(`${base(account)}/${dest.id}/deliveries`, { token: account.admin });
    expect(attempts.status).toBe(200);
    expect(attempts.json.items.slice(-3).map((a: any) => [a.status, a.error])).toEqual(Array(3).fill([503, 'answered 503']));
    expect(attempts.json.items[0]).toMatchObject({ kind: 'events', status: 200, error: null, throughSeq: 250 });
    expect(attempts.json.items.every((a: any) => Number.isInteger(a.latencyMs) && a.latencyMs >= 0)).toBe(true);
  });

  it('keeps delivering in order while events keep coming', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    await Promise.all(Array.from({ length: 8 }, () => record(account, 60, 20)));
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 480);
    expect(seqs(dest.secret, r)).toEqual(range(1, 480));
  });

  it('a destination starts at the head: it gets what is committed after it was created', async () => {
    const account = await newAccount();
    await record(account, 5);
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    expect(dest).toMatchObject({ deliveredThroughSeq: 5, headSeq: 5, behind: 0 });
    await record(account, 3);
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 3);
    expect(seqs(dest.secret, r)).toEqual([6, 7, 8]);
  });

  it('delivers only what matches the filter, and moves past the rest', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url, filter: { objectType: 'skill', action: 'edit' } });
    await recordChanges(account, [{ objectType: 'user' }, { objectType: 'skill' }, { objectType: 'skill', action: 'delete' }]);
    await recordChanges(account, [{ objectType: 'skill' }]);
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 2);
    expect(seqs(dest.secret, r)).toEqual([2, 4]);
    expect(await destinationUntil(account, dest.id, (s) => s.behind === 0)).toMatchObject({ deliveredThroughSeq: 4, behind: 0 });
  });

  it('a 410 Gone disables the destination; resume delivers again from where it stopped', async () => {
    const account = await newAccount();
    const hook = newHook();
    await behave(hook.name, { status: 410 });
    const dest = await createDestination(account, { url: hook.url });
    await record(account, 3);
    await receivedUntil(hook.name, (all) => all.length >= 1);
    const status = await destinationUntil(account, dest.id, (s) => s.state === 'disabled');
    expect(status).toMatchObject({ state: 'disabled', lastStatus: 410, deliveredThroughSeq: 0, behind: 3 });
    // Nothing more goes out while it is disabled, not even for new events or the cron.
    await record(account, 2);
    await sweep();
    await new Promise((done) => setTimeout(done, 1000));
    expect((await received(hook.name)).length).toBe(1);

    await behave(hook.name, { status: 200 });
    const resumed = await call(`${base(account)}/${dest.id}/resume`, { method: 'POST', token: account.admin });
    expect(resumed.status, resumed.text).toBe(202);
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 5);
    expect(seqs(dest.secret, r)).toEqual(range(1, 5));
    expect((await destination(account, dest.id)).state).toBe('active');
  });

  it('the cron delivers to a destination that is behind without a kick', async () => {
    const account = await newAccount();
    await record(account, 4);
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    // As if the kicks of these events had been lost.
    await env.DB.prepare('UPDATE destinations SET delivered_through_seq = 0 WHERE id = ?').bind(dest.id).run();
    await sweep();
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 4);
    expect(seqs(dest.secret, r)).toEqual(range(1, 4));
  });
});

describe('a day of failures', () => {
  it('marks the destination failing, keeps retrying, and it catches up by itself once the receiver answers', async () => {
    const account = await newAccount();
    const hook = newHook();
    await behave(hook.name, { status: 503 });
    const dest = await createDestination(account, { url: hook.url });
    await record(account, 3);
    await destinationUntil(account, dest.id, (s) => s.failures === 1);
    // As if the failures had begun 25 hours ago and the hourly retry were due now.
    const dayAgo = Date.now() - 25 * 3600_000;
    await env.DB.prepare('UPDATE destinations SET failing_since = ?, failures = 8, next_attempt_at = NULL WHERE id = ?')
      .bind(dayAgo, dest.id)
      .run();
    await sweep();
    const failing = await destinationUntil(account, dest.id, (s) => s.failures >= 9);
    expect(failing).toMatchObject({ state: 'failing', failingSince: new Date(dayAgo).toISOString(), behind: 3 });
    // Retried hourly from now on.
    expect(Date.parse(failing.nextAttemptAt) - Date.parse(failing.lastAttemptAt)).toBe(3600_000);

    // The receiver is back; the next hourly retry (made due here) delivers, and the destination is active again.
    await behave(hook.name, { status: 200 });
    await env.DB.prepare('UPDATE destinations SET next_attempt_at = NULL WHERE id = ?').bind(dest.id).run();
    await sweep();
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= 3);
    expect(seqs(dest.secret, r)).toEqual(range(1, 3));
    expect(await destinationUntil(account, dest.id, (s) => s.state === 'active')).toMatchObject({
      failures: 0,
      failingSince: null,
      behind: 0,
    });
  });
});

describe('resume during an attempt', () => {
  it('an attempt that fails after a resume backs off as the first failure, not as one more of the old run', async () => {
    const account = await newAccount();
    const hook = newHook();
    await behave(hook.name, { status: 503 });
    const dest = await createDestination(account, { url: hook.url });
    await record(account, 2);
    await destinationUntil(account, dest.id, (s) => s.failures === 1);
    // A long failing run whose hourly retry is due, answered slowly enough to resume meanwhile.
    await env.DB.prepare('UPDATE destinations SET failing_since = ?, failures = 8, state = ?, next_attempt_at = NULL WHERE id = ?')
      .bind(Date.now() - 25 * 3600_000, 'failing', dest.id)
      .run();
    await behave(hook.name, { status: 503, delayMs: 2000 });
    const lease = () => env.DB.prepare('SELECT lease_id AS id FROM destinations WHERE id = ?').bind(dest.id).first<{ id: string | null }>();
    await sweep();
    for (let start = Date.now(); !(await lease())?.id;) {
      if (Date.now() - start > 30_000) throw new Error('no attempt started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const resumed = await call(`${base(account)}/${dest.id}/resume`, { method: 'POST', token: account.admin });
    expect(resumed.status, resumed.text).toBe(202);

    const after = await destinationUntil(account, dest.id, (s) => s.failures > 0);
    expect(after).toMatchObject({ state: 'active', failures: 1 });
    expect(Date.parse(after.failingSince)).toBe(Date.parse(after.lastAttemptAt));
    expect(Date.parse(after.nextAttemptAt) - Date.parse(after.lastAttemptAt)).toBe(5_000);
  }, 60_000);
});

describe('the attempt log', () => {
  it('keeps the newest 200 attempts of a destination', async () => {
    const account = await newAccount();
    const dest = await createDestination(account, { url: newHook().url });
    const other = await createDestination(account, { url: newHook().url });
    await logAttempt(env.DB, { destinationId: other.id, deliveryId: 'keep-me', at: 1, kind: 'test', events: 0, latencyMs: 1 });
    for (let i = 0; i < KEPT_ATTEMPTS + 5; i++)
      await logAttempt(env.DB, { destinationId: dest.id, deliveryId: `d-${i}`, at: i, kind: 'test', events: 0, status: 200, latencyMs: 1 });
    const rows = await env.DB.prepare('SELECT delivery_id FROM destination_deliveries WHERE destination_id = ? ORDER BY id')
      .bind(dest.id)
      .all<{ delivery_id: string }>();
    expect(rows.results.map((r) => r.delivery_id)).toEqual(Array.from({ length: KEPT_ATTEMPTS }, (_, i) => `d-${i + 5}`));
    const listed = await call(`${base(account)}/${dest.id}/deliveries`, { token: account.admin });
    expect(listed.json.items).toHaveLength(100);
    expect(listed.json.items[0].deliveryId).toBe(`d-${KEPT_ATTEMPTS + 4}`);
    expect((await call(`${base(account)}/${other.id}/deliveries`, { token: account.admin })).json.items).toHaveLength(1);
  });
});

describe('secrets and pings', () => {
  it('a rotated secret: both verify during the overlap', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    const rotated = await call(`${base(account)}/${dest.id}/rotate-secret`, { method: 'POST', token: account.admin });
    expect(rotated.status, rotated.text).toBe(200);
    const secret = rotated.json.secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(dest.secret);
    expect(Date.parse(rotated.json.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    await record(account, 2);
    const [delivery] = await receivedUntil(hook.name, (all) => all.length >= 1);
    expect(delivery!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verified(secret, delivery!).events.map((e) => e.seq)).toEqual([1, 2]);
    expect(verified(dest.secret, delivery!).events.map((e) => e.seq)).toEqual([1, 2]);
    expect(() => new Webhook(`whsec_${btoa('someone else entirely!!')}`).verify(delivery!.body, delivery!.headers)).toThrow();
  });

  it('POST …/test sends a signed ping and logs it', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    const res = await call(`${base(account)}/${dest.id}/test`, { method: 'POST', token: account.admin });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ delivered: true, status: 200, error: null });
    const [ping] = await received(hook.name);
    expect(new Webhook(dest.secret).verify(ping!.body, ping!.headers)).toEqual({
      type: 'audit.ping',
      accountId: account.id,
      destinationId: dest.id,
    });
    // The body never carries credentials.
    expect(ping!.body).not.toContain(dest.secret);
    expect(ping!.headers.authorization).toBeUndefined();

    await behave(hook.name, { status: 500 });
    const failed = await call(`${base(account)}/${dest.id}/test`, { method: 'POST', token: account.admin });
    expect(failed.json).toMatchObject({ delivered: false, status: 500, error: 'answered 500' });
    // A redirect is never followed: it is a failure.
    await behave(hook.name, { status: 307 });
    const redirected = await call(`${base(account)}/${dest.id}/test`, { method: 'POST', token: account.admin });
    expect(redirected.json).toMatchObject({ delivered: false, status: 307, error: 'answered 307 (a redirect, not followed)' });
    const attempts = await call(`${base(account)}/${dest.id}/deliveries`, { token: account.admin });
    expect(attempts.json.items.map((a: any) => [a.kind, a.status])).toEqual([
      ['test', 307],
      ['test', 500],
      ['test', 200],
    ]);
  });
});

describe('timeouts', () => {
  it('a receiver that does not answer within 10 s is a failed attempt', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    await behave(hook.name, { delayMs: 11_000 });
    const ping = await call(`${base(account)}/${dest.id}/test`, { method: 'POST', token: account.admin });
    expect(ping.json).toMatchObject({ delivered: false, status: null, error: 'no answer within 10 s' });
  }, 30_000);
});

describe('a secret that no longer opens', () => {
  it('is a failed attempt that says to rotate, and rotating repairs it', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    // As if CREDENTIALS_KEY had changed: the sealed secret no longer opens.
    await env.DB.prepare("UPDATE destinations SET secret_enc = 'v1.AAAAAAAAAAAAAAAA.AAAA' WHERE id = ?").bind(dest.id).run();
    const ping = await call(`${base(account)}/${dest.id}/test`, { method: 'POST', token: account.admin });
    expect(ping.json).toMatchObject({ delivered: false, status: null, error: expect.stringContaining('rotate it') });
    expect(await received(hook.name)).toEqual([]);

    const rotated = await call(`${base(account)}/${dest.id}/rotate-secret`, { method: 'POST', token: account.admin });
    expect(rotated.status, rotated.text).toBe(200);
    await record(account, 1);
    const [delivery] = await receivedUntil(hook.name, (all) => all.length >= 1);
    // Signed with the new secret only: the old one cannot sign.
    expect(delivery!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verified(rotated.json.secret, delivery!).events.map((e) => e.seq)).toEqual([1]);
  });
});

describe('imported events', () => {
  it('streams what the LivePerson import stores, like any other event', async () => {
    const account = await newAccount();
    const hook = newHook();
    const dest = await createDestination(account, { url: hook.url });
    const n = Date.now().toString(36);
    const c = { consumerKey: `k-${n}`, consumerSecret: `s-${n}-Zq9`, token: `t-${n}`, tokenSecret: `ts-${n}-Wx7` };
    await simAccount(account.id, c);
    const from = addDays(localDate(Date.now(), 'UTC'), -1);
    await simGenerate(account.id, { from, days: 1, rowsPerDay: 30, seed: 5 });
    const source = `/v1/accounts/${account.id}/sources/liveperson`;
    const res = await call(source, { method: 'PUT', token: account.admin, body: { auth: { type: 'oauth1', ...c }, backfillFrom: from } });
    expect(res.status, res.text).toBe(200);
    let imported = 0;
    for (let start = Date.now(); Date.now() - start < 50_000; await new Promise((done) => setTimeout(done, 250))) {
      const s = (await call(source, { token: account.admin })).json;
      if (s.state === 'syncing' && s.backfill.daysDone === s.backfill.daysTotal) {
        imported = s.importedEvents;
        break;
      }
    }
    expect(imported).toBeGreaterThan(0);
    const r = await receivedUntil(hook.name, (all) => seqs(dest.secret, all).length >= imported);
    expect(seqs(dest.secret, r)).toEqual(range(1, imported));
    const sources = accepted(r).flatMap((d) => verified(dest.secret, d).events.map((e) => e.source));
    expect(new Set(sources)).toEqual(new Set(['liveperson']));
  });
});
