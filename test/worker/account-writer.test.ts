// The account's writer (a Durable Object per account) group-commits: requests that arrive
// while a batch is in flight go into the next batch together. Proven here: concurrent writers
// and replays inside one group, a D1 failure inside a group commit, the object restarting
// between two writes, a second writer racing the first (the compare-and-set guard), and
// backpressure. Calls issued in the same tick through `runInDurableObject` make the groups
// deterministic: the first call starts a batch alone, every other call queues behind it and
// they form the next group.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { WriteRefused } from '../../worker/domain/errors';
import { checkChanges, type CheckedRequest } from '../../worker/domain/record-changes';
import { domainProblem } from '../../worker/http/problem';
import { findAccount } from '../../worker/store/accounts';
import type { AccountWriter, WriteReply } from '../../worker/writer/account-writer';
import { MAX_QUEUED_CHANGES } from '../../worker/writer/queue-limits';
import { Change } from '../../worker/schemas/changes';
import { aChange, call, newAccount } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;

const writerOf = (name: string) => env.ACCOUNT_WRITER.get(env.ACCOUNT_WRITER.idFromName(name));

/** Checks raw changes the way the route does, into one request for the writer. */
async function checked(account: Account, raws: Record<string, unknown>[]): Promise<CheckedRequest> {
  const settings = (await findAccount(env.DB, account.id))!;
  return checkChanges(
    settings,
    raws.map((raw, i) => ({ change: Change.parse(raw), raw, path: raws.length > 1 ? `/changes/${i}` : '' })),
  );
}

/** Sends the requests to the account's writer in one tick: the first is a group alone, the
 *  rest form the next group. */
function inOneTick(account: Account, requests: CheckedRequest[], stub = writerOf(account.id)): Promise<WriteReply[]> {
  return runInDurableObject(stub, (instance: AccountWriter) =>
    Promise.all(requests.map((request) => instance.write(account.id, request, true))),
  );
}

async function stored(account: Account) {
  const events = await env.DB.prepare(
    'SELECT count(*) AS n, count(DISTINCT seq) AS seqs, coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM audit_events WHERE account_id = ?',
  )
    .bind(account.id)
    .first<{ n: number; seqs: number; lo: number; hi: number }>();
  const requests = await env.DB.prepare('SELECT count(*) AS n FROM change_requests WHERE account_id = ?')
    .bind(account.id)
    .first<{ n: number }>();
  const head = await env.DB.prepare('SELECT chain_seq AS seq FROM accounts WHERE id = ?').bind(account.id).first<{ seq: number }>();
  return { ...events!, requests: requests!.n, head: head!.seq };
}

async function expectVerified(account: Account, checkedEvents: number) {
  const res = await call(`/v1/accounts/${account.id}/verify`, { token: account.reader });
  expect(res.status, res.text).toBe(200);
  expect(res.json, res.text).toMatchObject({ ok: true, firstBrokenSeq: null, complete: true, checked: checkedEvents });
  const state = await stored(account);
  expect(state, 'seq gap-free 1..n and the head at n').toMatchObject({
    seqs: checkedEvents,
    lo: checkedEvents ? 1 : 0,
    hi: checkedEvents,
    head: checkedEvents,
  });
}

/** The problem a refused reply becomes once the Worker rethrows it (write-changes.ts). */
const problemOf = (reply: WriteReply | undefined) =>
  reply && !reply.ok && 'refused' in reply ? domainProblem(new WriteRefused(reply.refused)) : undefined;

const single = (account: Account, body: unknown) => call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body });

describe('group commit', () => {
  it('concurrent writers and replays inside one group: each changeId stored once, replays answered with its events, a reused changeId is 409', async () => {
    const account = await newAccount();
    const first = aChange({ changeId: 'first' });
    const changes = Array.from({ length: 12 }, (_, i) => aChange({ changeId: `w-${i}`, objectId: `u-${i}` }));
    const requests = [
      await checked(account, [first]),
      ...(await Promise.all(changes.map((c) => checked(account, [c])))),
      // The same change twice more in the group, and once with another body.
      await checked(account, [changes[3]!]),
      await checked(account, [changes[3]!]),
      await checked(account, [{ ...changes[5]!, objectName: 'Someone else' }]),
      // A batch that replays two changes of the group and adds one.
      await checked(account, [changes[7]!, aChange({ changeId: 'in-batch', objectId: 'b' }), changes[8]!]),
    ];
    const replies = await inOneTick(account, requests);

    expect(replies.slice(0, 13).map((r) => r.ok && r.outcomes)).toEqual(
      [first, ...changes].map((c) => [{ changeId: c.changeId, replayed: false, eventCount: 1 }]),
    );
    expect(replies[13]).toMatchObject({ ok: true, outcomes: [{ changeId: 'w-3', replayed: true, eventCount: 1 }] });
    expect(replies[14]).toMatchObject({ ok: true, outcomes: [{ changeId: 'w-3', replayed: true, eventCount: 1 }] });
    expect(replies[15]).toMatchObject({ ok: false, refused: { reason: 'changeId-reused' } });
    expect(problemOf(replies[15])).toMatchObject({
      status: 409,
      errors: [{ path: '/changeId', message: 'was already used for a different change' }],
    });
    expect(replies[16]).toMatchObject({
      ok: true,
      outcomes: [
        { changeId: 'w-7', replayed: true, eventCount: 1 },
        { changeId: 'in-batch', replayed: false, eventCount: 1 },
        { changeId: 'w-8', replayed: true, eventCount: 1 },
      ],
    });
    // Everything after the first request was one group: one commit, one recordedAt.
    const { results } = await env.DB.prepare(
      'SELECT change_id AS changeId, recorded_at AS recordedAt, occurred_at AS occurredAt FROM audit_events WHERE account_id = ? ORDER BY seq',
    )
      .bind(account.id)
      .all<{ changeId: string; recordedAt: number; occurredAt: number }>();
    expect(results.map((r) => r.changeId)).toEqual(['first', ...changes.map((c) => c.changeId), 'in-batch']);
    expect(new Set(results.slice(1).map((r) => r.recordedAt)).size).toBe(1);
    // Without an explicit time, a change occurred when it was committed.
    expect(results.every((r) => r.occurredAt === r.recordedAt)).toBe(true);
    expect(await stored(account)).toMatchObject({ n: 14, requests: 14 });
    await expectVerified(account, 14);

    // Through HTTP a replay answers 200 with the very events the first answer gave.
    const replay = await single(account, changes[3]);
    expect(replay.status, replay.text).toBe(200);
    const firstAnswer = replies[4]!;
    expect(firstAnswer.ok && firstAnswer.events.map((e) => e.hash)).toEqual(replay.json.events.map((e: { hash: string }) => e.hash));
  });

  it('replays of changes stored by an earlier group, in a group with new ones: the write is tried, the clash looked up once, the new ones stored', async () => {
    const account = await newAccount();
    const old = [aChange({ changeId: 'old-1', objectId: 'o1' }), aChange({ changeId: 'old-2', objectId: 'o2' })];
    expect((await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body: { changes: old } })).status).toBe(201);
    const fresh = aChange({ changeId: 'new-1', objectId: 'n1' });
    const replies = await inOneTick(account, [
      await checked(account, [aChange({ changeId: 'lead', objectId: 'l' })]),
      await checked(account, [old[0]!]),
      await checked(account, [{ ...old[1]!, objectName: 'Not the same' }]),
      await checked(account, [fresh]),
      await checked(account, [old[1]!, aChange({ changeId: 'new-2', objectId: 'n2' })]),
    ]);
    expect(replies[1]).toMatchObject({ ok: true, outcomes: [{ changeId: 'old-1', replayed: true, eventCount: 1 }], events: [] });
    expect(problemOf(replies[2])).toMatchObject({ status: 409 });
    expect(replies[3]).toMatchObject({ ok: true, outcomes: [{ changeId: 'new-1', replayed: false, eventCount: 1 }] });
    expect(replies[4]).toMatchObject({
      ok: true,
      outcomes: [
        { changeId: 'old-2', replayed: true },
        { changeId: 'new-2', replayed: false },
      ],
    });
    expect(await stored(account)).toMatchObject({ n: 5, requests: 5 });
    await expectVerified(account, 5);
  });

  it('concurrent single writes through HTTP, with concurrent replays of one changeId: stored once, seq and occurredAt agree', async () => {
    const account = await newAccount();
    const twice = aChange({ changeId: 'twice', objectId: 'twice' });
    const bodies = [...Array.from({ length: 40 }, (_, i) => aChange({ changeId: `h-${i}`, objectId: `o-${i}` })), twice, twice, twice];
    const answers = await Promise.all(bodies.map((body) => single(account, body)));
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 200)).toEqual([]);
    expect(answers.slice(0, 40).every((a) => a.status === 201)).toBe(true);
    const replays = answers.slice(40);
    expect(replays.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(replays.map((a) => JSON.stringify(a.json.events))).size).toBe(1);
    await expectVerified(account, 41);
    // Default occurredAt is the commit time: in seq order, occurredAt never goes back.
    const { results } = await env.DB.prepare('SELECT occurred_at AS at FROM audit_events WHERE account_id = ? ORDER BY seq')
      .bind(account.id)
      .all<{ at: number }>();
    expect(results.every((r, i) => i === 0 || r.at >= results[i - 1]!.at)).toBe(true);
  });
});

describe('a D1 failure inside a group commit', () => {
  it('fails exactly the requests of that group; the group before and the one after commit; a retry stores once', async () => {
    const account = await newAccount();
    const boom = `boom-${account.id}`;
    const trigger = `fault_writer_${Date.now().toString(36)}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_events WHEN NEW.object_id = '${boom}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    ).run();
    const lone = aChange({ changeId: 'lone' });
    const grouped = [
      aChange({ changeId: 'g-1', objectId: 'g1' }),
      aChange({ changeId: 'g-boom', objectId: boom }),
      aChange({ changeId: 'g-3', objectId: 'g3' }),
    ];
    let replies: WriteReply[];
    try {
      replies = await inOneTick(account, [
        await checked(account, [lone]),
        ...(await Promise.all(grouped.map((c) => checked(account, [c])))),
      ]);
      expect(replies[0]).toMatchObject({ ok: true, outcomes: [{ changeId: 'lone', replayed: false }] });
      // Each request of the failed group gets what it would have had alone: the 500 that names nothing.
      expect(replies.slice(1)).toEqual([
        { ok: false, internal: true },
        { ok: false, internal: true },
        { ok: false, internal: true },
      ]);
      expect(await stored(account)).toMatchObject({ n: 1, requests: 1, head: 1 });

      // The writer read the head again and carries on; through HTTP the bad change is a 500.
      const after = await single(account, aChange({ changeId: 'after', objectId: 'a' }));
      expect(after.status, after.text).toBe(201);
      expect(after.json.events[0].seq).toBe(2);
      const failed = await single(account, grouped[1]);
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(failed.text).not.toMatch(/injected|trigger|SQLITE|D1_/i);
    } finally {
      await env.DB.prepare(`DROP TRIGGER IF EXISTS ${trigger}`).run();
    }
    const retried = await Promise.all(grouped.map((c) => single(account, c)));
    expect(retried.map((r) => r.status)).toEqual([201, 201, 201]);
    const again = await Promise.all(grouped.map((c) => single(account, c)));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await stored(account)).toMatchObject({ n: 5, requests: 5 });
    await expectVerified(account, 5);
  });
});

describe('the writer and D1 as the source of truth', () => {
  it('the object restarting between two writes continues the chain from D1', async () => {
    const account = await newAccount();
    expect((await single(account, aChange({ objectId: 'x1' }))).status).toBe(201);
    expect((await single(account, aChange({ objectId: 'x2' }))).status).toBe(201);
    // Abort the account's object: its memory (the head) is gone; the next call gets a new instance.
    await runInDurableObject(writerOf(account.id), (_instance, state) => state.abort('restart for the test')).catch(() => {});
    const after = await single(account, aChange({ objectId: 'x3' }));
    expect(after.status, after.text).toBe(201);
    expect(after.json.events[0].seq).toBe(3);
    await expectVerified(account, 3);
  });

  it('a second writer of the same account (as when two instances overlap) never forks the chain: the lost compare-and-set retries from D1', async () => {
    const account = await newAccount();
    const intruder = writerOf(`second-writer-of-${account.id}`);
    for (let round = 0; round < 3; round++) {
      // The account's own writer holds the head in memory; the second one moves D1's head under it.
      expect((await single(account, aChange({ objectId: `own-${round}` }))).status).toBe(201);
      const other = await intruder.write(account.id, await checked(account, [aChange({ objectId: `other-${round}` })]), false);
      expect(other).toMatchObject({ ok: true });
    }
    // And both at the same time, several each.
    const both = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => single(account, aChange({ objectId: `own-c${i}` }))),
      ...Array.from({ length: 10 }, async (_, i) =>
        intruder.write(account.id, await checked(account, [aChange({ objectId: `other-c${i}` })]), false),
      ),
    ]);
    expect(both.map((r) => ('status' in r ? r.status : r.ok))).toEqual([...Array(10).fill(201), ...Array(10).fill(true)]);
    await expectVerified(account, 26);
  });
});

describe('backpressure', () => {
  it(`a queue beyond ${MAX_QUEUED_CHANGES.toLocaleString('en-US')} changes answers 503 busy with Retry-After at once, storing nothing of it`, async () => {
    const account = await newAccount();
    const batch = (b: number) =>
      checked(
        account,
        Array.from({ length: 1000 }, (_, i) => aChange({ changeId: `q${b}-${i}`, objectId: `${i}` })),
      );
    const full = MAX_QUEUED_CHANGES / 1000;
    const requests = [
      await checked(account, [aChange({ changeId: 'in-flight' })]),
      ...(await Promise.all(Array.from({ length: full + 1 }, (_, b) => batch(b)))),
    ];
    const order: number[] = [];
    const replies = await runInDurableObject(writerOf(account.id), (instance: AccountWriter) =>
      Promise.all(requests.map((request, i) => instance.write(account.id, request, false).then((reply) => (order.push(i), reply)))),
    );
    expect(replies.slice(0, full + 1).every((r) => r.ok)).toBe(true);
    expect(replies[full + 1]).toEqual({ ok: false, refused: { reason: 'busy' } });
    expect(problemOf(replies[full + 1])).toMatchObject({ status: 503, slug: 'busy', headers: { 'Retry-After': '1' } });
    // Refused before the batch in flight had even committed.
    expect(order[0]).toBe(full + 1);
    expect(await stored(account)).toMatchObject({ n: 1 + full * 1000, requests: 1 + full * 1000 });
  });

  it('the OpenAPI document names the 503 with Retry-After for both write routes', async () => {
    const doc = (await call('/openapi.json')).json;
    for (const path of ['/v1/accounts/{accountId}/changes', '/v1/accounts/{accountId}/changes/batch']) {
      const busy = doc.paths[path].post.responses['503'];
      expect(busy.description).toMatch(/queue/i);
      expect(busy.headers['Retry-After']).toBeDefined();
    }
  });
});
