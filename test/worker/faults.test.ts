// Faults, proven: a D1 failure in the middle of a write (injected for real, with SQLite
// triggers that abort the Worker's transaction after some of its rows were inserted) leaves
// nothing half-written, answers a problem that says nothing about internals, and the
// client's retry stores exactly once. Concurrent writers on one account (with replays of
// the same batches racing them) keep seq gap-free, store every change once, and the chain
// verifies.
//
// Every trigger is scoped to an account made for its test, so test files that run at the
// same time against the same database are not affected; each is dropped in `finally`.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, newAccount } from './support';
import { formatError } from '../../worker/http/problem';

type Account = Awaited<ReturnType<typeof newAccount>>;

const batchPath = (account: Account) => `/v1/accounts/${account.id}/changes/batch`;

/** A change with one element; `pad` characters make its stored row bigger. */
function change(account: Account, id: string, options: { objectId?: string; pad?: number } = {}) {
  return {
    changeId: id,
    objectType: 'user',
    objectId: options.objectId ?? id.replace(/\W/g, '').slice(-12),
    objectName: `Object ${id}`,
    action: 'edit',
    originator: { id: '17', name: 'Admin Amy' },
    elements: [{ element: 'Note', oldValue: null, newValue: `value of ${id} ${'·'.repeat(options.pad ?? 0)}` }],
  };
}

/** Everything of the account's history the Worker writes in a transaction. */
async function snapshot(account: Account) {
  const head = await env.DB.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?')
    .bind(account.id)
    .first<{ seq: number; hash: string }>();
  const events = await env.DB.prepare('SELECT count(*) AS n, coalesce(max(seq), 0) AS maxSeq FROM audit_events WHERE account_id = ?')
    .bind(account.id)
    .first<{ n: number; maxSeq: number }>();
  const requests = await env.DB.prepare('SELECT count(*) AS n FROM change_requests WHERE account_id = ?')
    .bind(account.id)
    .first<{ n: number }>();
  return { head, events: events!.n, maxSeq: events!.maxSeq, requests: requests!.n };
}

async function storedChangeIds(account: Account, ids: string[]) {
  const { results } = await env.DB.prepare(
    `SELECT j.value AS changeId,
            (SELECT count(*) FROM audit_events e WHERE e.account_id = ?1 AND e.change_id = j.value) AS events,
            (SELECT count(*) FROM change_requests r WHERE r.account_id = ?1 AND r.change_id = j.value) AS requests
       FROM json_each(?2) j`,
  )
    .bind(account.id, JSON.stringify(ids))
    .all<{ changeId: string; events: number; requests: number }>();
  return results;
}

async function expectVerified(account: Account, checked?: number) {
  const res = await call(`/v1/accounts/${account.id}/verify`, { token: account.reader });
  expect(res.status, res.text).toBe(200);
  expect(res.json, res.text).toMatchObject({ ok: true, firstBrokenSeq: null, complete: true });
  if (checked !== undefined) expect(res.json.checked).toBe(checked);
  const head = await env.DB.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(account.id).first();
  expect(res.json.head).toEqual(head);
}

/** The answer to a write that failed on our side: a problem, 5xx, that leaks nothing. */
function expectInternalProblem(res: Awaited<ReturnType<typeof call>>) {
  expect(res.status, res.text).toBeGreaterThanOrEqual(500);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({
    type: expect.stringMatching(/^https:\/\/audit-trail\.dev\/problems\//),
    title: expect.any(String),
    status: res.status,
    detail: expect.any(String),
  });
  expect(res.text).not.toMatch(
    /injected|RAISE|trigger|SQLITE|D1_|audit_events|change_requests|accounts|chain_seq|json_each|constraint|\.ts\b|\bat \w/i,
  );
}

let triggers = 0;
/** Creates a trigger that aborts the statement it fires in; answers its name. */
async function injectFailure(
  table: 'audit_events' | 'change_requests' | 'accounts',
  timing: 'BEFORE INSERT' | 'AFTER INSERT' | 'BEFORE UPDATE OF chain_seq',
  when: string,
  message = 'injected failure',
) {
  const name = `fault_${++triggers}_${Date.now().toString(36)}`;
  await env.DB.prepare(`CREATE TRIGGER ${name} ${timing} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, '${message}'); END`).run();
  return name;
}
const dropTrigger = (name: string) => env.DB.prepare(`DROP TRIGGER IF EXISTS ${name}`).run();

/** Seeds some history, so that a failed write has a head and rows it must not disturb. */
async function seeded() {
  const account = await newAccount();
  const seed = Array.from({ length: 10 }, (_, i) => change(account, `seed-${i}`));
  const res = await call(batchPath(account), { token: account.writer, body: { changes: seed } });
  expect(res.status, res.text).toBe(201);
  return account;
}

/**
 * The whole story of one injected fault: the write fails as a problem and stores nothing at
 * all; once the fault is gone, the client's retry of the very same request stores it
 * exactly once (201) and a second retry is a replay (200).
 */
async function failThenRetry(account: Account, path: string, body: unknown, changeIds: string[], eventsPerRetry: number, trigger: string) {
  const before = await snapshot(account);
  try {
    const failed = await call(path, { token: account.writer, body });
    expectInternalProblem(failed);
    expect(await snapshot(account), 'nothing of the failed write is stored: head, events, idempotency records').toEqual(before);
    expect((await storedChangeIds(account, changeIds)).filter((r) => r.events || r.requests)).toEqual([]);
    await expectVerified(account, before.events);

    // The same request while the fault persists fails the same way, still storing nothing.
    expectInternalProblem(await call(path, { token: account.writer, body }));
    expect(await snapshot(account)).toEqual(before);
  } finally {
    await dropTrigger(trigger);
  }

  const retried = await call(path, { token: account.writer, body });
  expect(retried.status, retried.text).toBe(201);
  const replayed = await call(path, { token: account.writer, body });
  expect(replayed.status, replayed.text).toBe(200);
  if (Array.isArray((body as { changes?: unknown[] }).changes)) {
    expect(retried.json).toMatchObject({ created: changeIds.length, replayed: 0, events: eventsPerRetry });
    expect(replayed.json).toMatchObject({ created: 0, replayed: changeIds.length, events: 0 });
  } else {
    expect(retried.json).toMatchObject({ replayed: false });
    expect(replayed.json).toMatchObject({ replayed: true });
    expect(replayed.json.events).toEqual(retried.json.events);
  }

  const after = await snapshot(account);
  expect(after.events).toBe(before.events + eventsPerRetry);
  expect(after.requests).toBe(before.requests + changeIds.length);
  expect(after.head!.seq).toBe(before.head!.seq + eventsPerRetry);
  expect(after.maxSeq).toBe(after.head!.seq);
  const perChange = eventsPerRetry / changeIds.length;
  expect(
    (await storedChangeIds(account, changeIds)).filter((r) => r.events !== perChange || r.requests !== 1),
    'each change stored exactly once',
  ).toEqual([]);
  await expectVerified(account, after.events);
}

describe('faults: a D1 failure inside a write leaves nothing half-written', () => {
  // D1's own words for a failure that passes (its table of D1_ERRORs says "Retry the operation").
  const CONNECTION_LOST = 'Network connection lost.';

  it('a write meeting a D1 failure that passes (network connection lost for half a second) is retried by the writer and stored once', async () => {
    const account = await seeded();
    const ids = Array.from({ length: 20 }, (_, i) => `blip-${i}`);
    const before = await snapshot(account);
    // SQLite's clock, in ms: the fault lasts 500 ms from now, so the first attempt meets it.
    const until = Date.now() + 500;
    const trigger = await injectFailure(
      'audit_events',
      'BEFORE INSERT',
      `NEW.account_id = '${account.id}' AND (julianday('now') - 2440587.5) * 86400000 < ${until}`,
      CONNECTION_LOST,
    );
    try {
      const res = await call(batchPath(account), { token: account.writer, body: { changes: ids.map((id) => change(account, id)) } });
      expect(res.status, res.text).toBe(201);
      expect(res.json).toMatchObject({ created: 20, replayed: 0, events: 20 });
    } finally {
      await dropTrigger(trigger);
    }
    const after = await snapshot(account);
    expect(after.events).toBe(before.events + 20);
    expect((await storedChangeIds(account, ids)).filter((r) => r.events !== 1 || r.requests !== 1)).toEqual([]);
    await expectVerified(account, after.events);
  });

  it('a D1 failure that persists is 503 unavailable with Retry-After, nothing stored; the retry once it passes stores once', async () => {
    const account = await seeded();
    const ids = Array.from({ length: 5 }, (_, i) => `outage-${i}`);
    const body = { changes: ids.map((id) => change(account, id)) };
    const trigger = await injectFailure('audit_events', 'BEFORE INSERT', `NEW.account_id = '${account.id}'`, CONNECTION_LOST);
    const failed = await call(batchPath(account), { token: account.writer, body });
    expect(failed.status, failed.text).toBe(503);
    expect(failed.json).toMatchObject({ type: 'https://audit-trail.dev/problems/unavailable', status: 503 });
    expect(failed.json.detail).toMatch(/nothing was stored/);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    await failThenRetry(account, batchPath(account), body, ids, 5, trigger);
  });

  it('a D1 failure that passes met by a read is 503 unavailable, not a 500 (formatError)', async () => {
    const res = formatError(new Error('D1_ERROR: Network connection lost.'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({ type: 'https://audit-trail.dev/problems/unavailable' });
    expect(formatError(new Error('D1_ERROR: no such table: audit_events')).status).toBe(500);
  });

  it('a batch whose events span several statements fails after 700 of its 1,000 rows were inserted: nothing is kept, the retry stores once', async () => {
    const account = await seeded();
    // ~1.5 KB a row: the Worker inserts the 1,000 rows in several INSERT statements of the
    // same D1 batch, and the fault strikes inside a later one, with 700 rows already in.
    const ids = Array.from({ length: 1000 }, (_, i) => `mid-${i}`);
    const body = { changes: ids.map((id) => change(account, id, { pad: 1500 })) };
    const before = await snapshot(account);
    const trigger = await injectFailure(
      'audit_events',
      'BEFORE INSERT',
      `NEW.account_id = '${account.id}' AND (SELECT count(*) FROM audit_events WHERE account_id = '${account.id}') >= ${before.events + 700}`,
    );
    await failThenRetry(account, batchPath(account), body, ids, 1000, trigger);
  });

  it("a batch with one change for object 'boom' (a trigger raises on its row): nothing is kept, the retry stores once", async () => {
    const account = await seeded();
    const boom = `boom-${account.id}`;
    const ids = Array.from({ length: 50 }, (_, i) => `boom-batch-${i}`);
    const body = { changes: ids.map((id, i) => change(account, id, { objectId: i === 37 ? boom : undefined })) };
    const trigger = await injectFailure('audit_events', 'BEFORE INSERT', `NEW.object_id = '${boom}'`);
    await failThenRetry(account, batchPath(account), body, ids, 50, trigger);
  });

  it('an AFTER INSERT failure on an event row: nothing is kept, the retry stores once', async () => {
    const account = await seeded();
    const ids = Array.from({ length: 20 }, (_, i) => `after-${i}`);
    const body = { changes: ids.map((id) => change(account, id)) };
    const trigger = await injectFailure('audit_events', 'AFTER INSERT', `NEW.account_id = '${account.id}' AND NEW.change_id = 'after-19'`);
    await failThenRetry(account, batchPath(account), body, ids, 20, trigger);
  });

  it('a failure on the idempotency record (change_requests insert), after the events went in: nothing is kept', async () => {
    const account = await seeded();
    const ids = Array.from({ length: 30 }, (_, i) => `req-${i}`);
    const body = { changes: ids.map((id) => change(account, id)) };
    const trigger = await injectFailure(
      'change_requests',
      'BEFORE INSERT',
      `NEW.account_id = '${account.id}' AND NEW.change_id = 'req-29'`,
    );
    await failThenRetry(account, batchPath(account), body, ids, 30, trigger);
  });

  it('a failure on the chain head update, the last statement of the transaction: nothing is kept', async () => {
    const account = await seeded();
    const ids = Array.from({ length: 30 }, (_, i) => `head-${i}`);
    const body = { changes: ids.map((id) => change(account, id)) };
    const trigger = await injectFailure('accounts', 'BEFORE UPDATE OF chain_seq', `NEW.id = '${account.id}'`);
    await failThenRetry(account, batchPath(account), body, ids, 30, trigger);
  });

  it('a single change (POST .../changes) that fails on the head update: nothing is kept, the retry stores once', async () => {
    const account = await seeded();
    const single = {
      ...change(account, 'single-1'),
      elements: [
        { element: 'A', oldValue: '1', newValue: '2' },
        { element: 'B', oldValue: '3', newValue: '4' },
        { element: 'C', oldValue: '5', newValue: '6' },
      ],
    };
    const trigger = await injectFailure('accounts', 'BEFORE UPDATE OF chain_seq', `NEW.id = '${account.id}'`);
    const before = await snapshot(account);
    await failThenRetry(account, `/v1/accounts/${account.id}/changes`, single, ['single-1'], 3, trigger);
    const rows = await env.DB.prepare('SELECT seq, element FROM audit_events WHERE account_id = ? AND change_id = ? ORDER BY seq')
      .bind(account.id, 'single-1')
      .all();
    expect(rows.results).toEqual([
      { seq: before.head!.seq + 1, element: 'A' },
      { seq: before.head!.seq + 2, element: 'B' },
      { seq: before.head!.seq + 3, element: 'C' },
    ]);
  });

  it("a failure in one account's write leaves another account's concurrent writes alone", async () => {
    const [faulty, healthy] = await Promise.all([seeded(), seeded()]);
    const trigger = await injectFailure('change_requests', 'BEFORE INSERT', `NEW.account_id = '${faulty.id}'`);
    try {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => [
          call(batchPath(faulty), { token: faulty.writer, body: { changes: [change(faulty, `f-${i}`)] } }),
          call(batchPath(healthy), { token: healthy.writer, body: { changes: [change(healthy, `h-${i}`)] } }),
        ]).flat(),
      );
      answers.forEach((res, i) => (i % 2 ? expect(res.status, res.text).toBe(201) : expectInternalProblem(res)));
    } finally {
      await dropTrigger(trigger);
    }
    expect((await snapshot(faulty)).events).toBe(10);
    expect((await snapshot(healthy)).events).toBe(20);
    await expectVerified(faulty, 10);
    await expectVerified(healthy, 20);
  });
});

describe('faults: concurrent writers on one account', () => {
  it('20 clients × 500 changes (5 batches of 100), with replays of the same batches racing them: every change stored once, seq gap-free, verify ok', async () => {
    const account = await newAccount();
    const clients = 20;
    const batchesPerClient = 5;
    const perBatch = 100;
    const writers = await Promise.all(Array.from({ length: clients + 5 }, (_, i) => account.token(['events:write'], `writer ${i}`)));
    const batches = Array.from({ length: clients }, (_, c) =>
      Array.from({ length: batchesPerClient }, (_, b) => ({
        changes: Array.from({ length: perBatch }, (_, k) => change(account, `c${c}-b${b}-k${k}`, { objectId: `${c}-${k}` })),
      })),
    );

    /** Sends a batch; a 503 (busy) is retried after its Retry-After, as the contract says. */
    const outcomes: { changeId: string; replayed: boolean }[] = [];
    const statuses = new Map<number, number>();
    let busy = 0;
    const createdBy = { owner: 0, twin: 0, early: 0, late: 0 };
    async function send(token: string, body: (typeof batches)[number][number], role: keyof typeof createdBy = 'owner') {
      for (;;) {
        const res = await call(batchPath(account), { token, body });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503) {
          busy++;
          expect(res.headers.get('retry-after'), res.text).toMatch(/^\d+$/);
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after')) * 1000));
          continue;
        }
        expect([200, 201], res.text).toContain(res.status);
        expect(res.json.changes.map((o: { changeId: string }) => o.changeId)).toEqual(body.changes.map((c) => c.changeId));
        expect(res.status).toBe(res.json.created > 0 ? 201 : 200);
        outcomes.push(...res.json.changes);
        if (res.status === 201) createdBy[role]++;
        return;
      }
    }

    const started = Date.now();
    // Replays of three kinds: the same batch sent twice at the same moment by two clients
    // (one in three batches), replayers that send the clients' last batches before their
    // owners get to them (so the replay stores them and the owner's send is the replay),
    // and replayers that resend batches after they were stored.
    const early = batches.map((own) => own.at(-1)!).reverse();
    const late = batches.map((own) => own[0]!);
    await Promise.all([
      ...batches.map(async (own, c) => {
        for (const [b, body] of own.entries()) {
          if ((c + b) % 3 === 0) await Promise.all([send(writers[c]!, body), send(writers[(c + 1) % clients]!, body, 'twin')]);
          else await send(writers[c]!, body);
        }
      }),
      ...[0, 1].map(async (r) => {
        for (let i = r; i < early.length; i += 2) await send(writers[clients + r]!, early[i]!, 'early');
      }),
      ...[2, 3, 4].map(async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 200 * r));
        for (let i = r; i < late.length; i += 3) await send(writers[clients + r]!, late[i]!, 'late');
      }),
    ]);
    const elapsed = Date.now() - started;

    const total = clients * batchesPerClient * perBatch;
    // Each changeId was created by exactly one answer; every other answer about it was a replay.
    const created = new Map<string, number>();
    for (const o of outcomes) if (!o.replayed) created.set(o.changeId, (created.get(o.changeId) ?? 0) + 1);
    expect(created.size).toBe(total);
    expect([...created.values()].every((n) => n === 1)).toBe(true);
    expect(outcomes.length).toBeGreaterThan(total);

    const stored = await env.DB.prepare(
      'SELECT count(*) AS n, count(DISTINCT change_id) AS changes, count(DISTINCT seq) AS seqs, min(seq) AS lo, max(seq) AS hi FROM audit_events WHERE account_id = ?',
    )
      .bind(account.id)
      .first();
    expect(stored).toEqual({ n: total, changes: total, seqs: total, lo: 1, hi: total });
    const requests = await env.DB.prepare('SELECT count(*) AS n, sum(event_count) AS events FROM change_requests WHERE account_id = ?')
      .bind(account.id)
      .first();
    expect(requests).toEqual({ n: total, events: total });
    // Every event links to the one before it (the chain is not forked).
    const { results: broken } = await env.DB.prepare(
      `SELECT b.change_id FROM audit_events b JOIN audit_events a ON a.account_id = b.account_id AND a.seq = b.seq - 1
        WHERE b.account_id = ? AND b.prev_hash <> a.hash LIMIT 5`,
    )
      .bind(account.id)
      .all();
    expect(broken).toEqual([]);
    await expectVerified(account, total);
    console.log(
      `concurrent writers: ${total} changes by ${clients} clients + 5 replayers in ${elapsed} ms; answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; ${busy} busy (503) retried; batches stored by ${JSON.stringify(createdBy)}`,
    );
  }, 120_000);
});
