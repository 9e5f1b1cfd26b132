// Tamper evidence: rows edited, deleted or inserted directly in D1 are detected and
// located; signed checkpoints catch the newest rows being deleted together with the head.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { verifyCheckpoint } from '../../worker/domain/checkpoint-signing';
import { call, newAccount, recordChanges } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;

const seed = (account: Account, count: number, occurredAt?: (i: number) => string) =>
  recordChanges(
    account,
    Array.from({ length: count }, (_, i) => ({ objectId: String(i), ...(occurredAt ? { occurredAt: occurredAt(i) } : {}) })),
  );
const verify = async (account: Account, query = '') => {
  const res = await call(`/v1/accounts/${account.id}/verify${query}`, { token: account.reader });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const sql = (query: string, ...params: unknown[]) =>
  env.DB.prepare(query)
    .bind(...params)
    .run();

/** Time passing, in effect: the retention shrinks, so events written inside it are past it
 *  now (a write past retention is refused). Fresh tokens, since tokens cache the account. */
async function pastRetention(account: Account, months: number): Promise<Account> {
  await sql('UPDATE accounts SET retention_months = ? WHERE id = ?', months, account.id);
  return { ...account, reader: await account.token(['audit:read']), exporter: await account.token(['audit:export']) };
}

describe('GET .../verify', () => {
  it('reports an intact chain with its head', async () => {
    const account = await newAccount();
    await seed(account, 30);
    const report = await verify(account);
    const head = await env.DB.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(account.id).first();
    expect(report).toMatchObject({
      ok: true,
      checked: 30,
      fromSeq: 1,
      toSeq: 30,
      complete: true,
      firstBrokenSeq: null,
      reason: null,
      head,
    });
    expect(await verify(account, '?fromSeq=10&toSeq=20')).toMatchObject({ ok: true, checked: 11, fromSeq: 10, toSeq: 20 });
    expect((await call(`/v1/accounts/${account.id}/verify?fromSeq=-1`, { token: account.reader })).status).toBe(400);
    expect((await call(`/v1/accounts/${account.id}/verify`, { token: account.writer })).status).toBe(403);
    const log = await call(`/v1/accounts/${account.id}/access-log?kind=verify`, { token: account.admin });
    expect(log.json.entries.map((e: any) => [e.kind, e.rows, e.query])).toEqual([
      ['verify', 11, { fromSeq: 10, toSeq: 20 }],
      ['verify', 30, {}],
    ]);
  });

  it('locates an edited row', async () => {
    const account = await newAccount();
    await seed(account, 20);
    await sql('UPDATE audit_events SET new_value = ? WHERE account_id = ? AND seq = 12', 'Tier 9', account.id);
    expect(await verify(account)).toMatchObject({ ok: false, firstBrokenSeq: 12, reason: 'hash' });
  });

  it('locates an edited row whose hash was recomputed too (the next link breaks)', async () => {
    const account = await newAccount();
    await seed(account, 20);
    await sql("UPDATE audit_events SET new_value = 'Tier 9', hash = ? WHERE account_id = ? AND seq = 12", 'f'.repeat(64), account.id);
    const report = await verify(account);
    expect(report.ok).toBe(false);
    expect(report.firstBrokenSeq).toBe(12);
  });

  it('locates a deleted row', async () => {
    const account = await newAccount();
    await seed(account, 20);
    await sql('DELETE FROM audit_events WHERE account_id = ? AND seq = 5', account.id);
    expect(await verify(account)).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'missing' });
  });

  it('locates a row inserted beyond the head or in the middle', async () => {
    const account = await newAccount();
    await seed(account, 10);
    const copy = `INSERT INTO audit_events SELECT 'evt_forged' || ?, account_id, ?, change_id, object_type, object_id, object_name, action,
      element, value_type, old_value, new_value, redacted, occurred_at, recorded_at, originator_id, originator_name, prev_hash, hash,
      source FROM audit_events WHERE account_id = ? AND seq = ?`;
    await sql(copy, 'a', 11, account.id, 10);
    expect(await verify(account)).toMatchObject({ ok: false, firstBrokenSeq: 11, reason: 'extra' });
    await sql('DELETE FROM audit_events WHERE id = ?', 'evt_forgeda');
    // Shift 6..10 up by one and slip a forged event in at 6.
    for (let seq = 10; seq >= 6; seq--)
      await sql('UPDATE audit_events SET seq = seq + 1 WHERE account_id = ? AND seq = ?', account.id, seq);
    await sql(copy, 'b', 6, account.id, 5);
    const report = await verify(account);
    expect(report.ok).toBe(false);
    expect(report.firstBrokenSeq).toBe(6);
  });

  it('notices the newest rows deleted; with the head rewritten too, the checkpoint catches it', async () => {
    const account = await newAccount();
    await seed(account, 10);
    await sql('DELETE FROM audit_events WHERE account_id = ? AND seq > 8', account.id);
    expect(await verify(account)).toMatchObject({ ok: false, firstBrokenSeq: 9, reason: 'head' });

    const other = await newAccount();
    await seed(other, 10);
    const signed = await call(`/v1/accounts/${other.id}/checkpoints`, { method: 'POST', token: other.admin });
    expect(signed.status).toBe(201);
    const hash8 = await env.DB.prepare('SELECT hash FROM audit_events WHERE account_id = ? AND seq = 8')
      .bind(other.id)
      .first<{ hash: string }>();
    await sql('DELETE FROM audit_events WHERE account_id = ? AND seq > 8', other.id);
    await sql('UPDATE accounts SET chain_seq = 8, chain_hash = ? WHERE id = ?', hash8!.hash, other.id);
    expect(await verify(other)).toMatchObject({
      ok: false,
      firstBrokenSeq: 9,
      reason: 'checkpoint',
      checkpoint: { seq: 10, contained: false, signatureValid: true },
    });
  });
});

describe('checkpoints', () => {
  it('signs the head with the published Ed25519 key; the hourly cron signs heads that moved', async () => {
    const account = await newAccount();
    expect((await call(`/v1/accounts/${account.id}/checkpoints`, { method: 'POST', token: account.admin })).status).toBe(422);
    await seed(account, 3);
    const first = await call(`/v1/accounts/${account.id}/checkpoints`, { method: 'POST', token: account.admin });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ accountId: account.id, seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = await call(`/v1/accounts/${account.id}/checkpoints`, { method: 'POST', token: account.admin });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect((await call(`/v1/accounts/${account.id}/checkpoints`, { method: 'POST', token: account.reader })).status).toBe(403);

    const keys = await call('/v1/keys');
    expect(keys.json.keys).toHaveLength(1);
    expect(await verifyCheckpoint(first.json, keys.json.keys[0])).toBe(true);
    expect(await verifyCheckpoint({ ...first.json, seq: 2 }, keys.json.keys[0])).toBe(false);

    await seed(account, 2);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const list = await call(`/v1/accounts/${account.id}/checkpoints`, { token: account.reader });
    expect(list.json.checkpoints.map((c: any) => c.seq)).toEqual([5, 3]);
    expect((await verify(account)).checkpoint).toMatchObject({ seq: 5, signatureValid: true, contained: true });
    const older = await call(`/v1/accounts/${account.id}/checkpoints?beforeSeq=5`, { token: account.reader });
    expect(older.json.checkpoints.map((c: any) => c.seq)).toEqual([3]);
  });

  it('names the key by its RFC 7638 thumbprint, in hex cut to 128 bits (as docs/SECURITY.md says; ids already issued keep verifying)', async () => {
    const [key] = (await call('/v1/keys')).json.keys;
    // RFC 7638 §3: the required members, in lexicographic order, no whitespace.
    const thumbprint = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${key.x}"}`).digest('hex');
    expect(key.kid).toBe(thumbprint.slice(0, 32));
  });
});

describe('retention and the chain', () => {
  it('purges a prefix of the chain and keeps the rest verifiable', async () => {
    const written = await newAccount({ retentionMonths: 3 });
    const day = 86_400_000;
    const now = Date.now();
    // seq 1-4 old, 5 recent, 6 old again (backdated), 7-8 recent.
    const ages = [60, 50, 45, 40, 5, 70, 3, 1];
    await seed(written, ages.length, (i) => new Date(now - ages[i]! * day).toISOString());
    const account = await pastRetention(written, 1);
    await sql(
      "INSERT INTO access_log (account_id, at, token_id, token_name, kind, query, rows) VALUES (?1, ?2, 't', 'old', 'list', '{}', 1), (?1, ?3, 't', 'new', 'list', '{}', 1)",
      account.id,
      now - 40 * day,
      now - day,
    );
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const kept = await env.DB.prepare('SELECT seq FROM audit_events WHERE account_id = ? ORDER BY seq')
      .bind(account.id)
      .all<{ seq: number }>();
    expect(kept.results.map((r) => r.seq)).toEqual([5, 6, 7, 8]);
    const log = await env.DB.prepare('SELECT token_name AS name FROM access_log WHERE account_id = ?')
      .bind(account.id)
      .all<{ name: string }>();
    expect(log.results.map((r) => r.name)).toEqual(['new']);
    const report = await verify(account);
    expect(report).toMatchObject({ ok: true, purgedThroughSeq: 4, fromSeq: 5, checked: 4 });
    // The backdated old event is kept for the chain but never shown.
    const shown = await call(`/v1/accounts/${account.id}/events`, { token: account.reader });
    expect(shown.json.events.map((e: any) => e.seq)).toEqual([8, 7, 5]);
    // Deleting the oldest kept row is not mistaken for the purge.
    await sql('DELETE FROM audit_events WHERE account_id = ? AND seq = 5', account.id);
    expect(await verify(account)).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'missing' });
  });
});
