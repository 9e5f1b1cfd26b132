// The NDJSON export proves itself: its header names where the chain starts and the head it
// was read from, and the offline verifier's core (worker/domain/export-verify.ts) passes
// exports of concurrently written and back-dated accounts, in either order (issue 8, item 1),
// and agrees with the API on what retention hides (item 3).
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../drizzle/schema';
import worker from '../../worker/index';
import { aChange, call, newAccount } from './support';
import { concurrentWriters, exportText, lines, verifyText } from './support-export';

const day = 86_400_000;

describe('the NDJSON export and the offline verifier', () => {
  it('passes an account written by 30 concurrent clients, in occurredAt and in seq order', async () => {
    const account = await newAccount();
    // An unset occurredAt is the commit time (seq and occurredAt agree), so some clients
    // back-date theirs by a few minutes, as a queued emitter would.
    await concurrentWriters(account, 30, 10, (client, i) => (client % 3 === 0 ? client + i : undefined));
    const apiReport = (await call(`/v1/accounts/${account.id}/verify`, { token: account.reader })).json;
    expect(apiReport).toMatchObject({ ok: true, checked: 300 });

    const text = await exportText(account.id, account.exporter);
    const [header, ...events] = lines(text).map((line) => JSON.parse(line));
    expect(header).toMatchObject({
      type: 'audit-trail.export',
      version: 1,
      accountId: account.id,
      order: 'occurredAt',
      filters: {},
      complete: true,
      chain: { from: { seq: 0, hash: GENESIS_HASH }, head: apiReport.head },
      signature: { keyId: expect.any(String), value: expect.any(String) },
    });
    expect(events).toHaveLength(300);
    // Lines are not seq neighbours (seq is assigned at commit, the file is ordered by
    // occurredAt): what made the old, adjacency-based verifier cry "missing".
    expect(events.some((e, i) => i > 0 && Math.abs(e.seq - events[i - 1].seq) !== 1)).toBe(true);
    const report = await verifyText(text);
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, events: 300, signature: 'valid' });

    const bySeq = await exportText(account.id, account.exporter, '&order=seq');
    expect(
      lines(bySeq)
        .slice(1)
        .map((line) => JSON.parse(line).seq),
    ).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(JSON.parse(lines(bySeq)[0]!).order).toBe('seq');
    expect((await verifyText(bySeq)).ok).toBe(true);
  }, 180_000); // 300 contended writes: slow on a loaded machine

  it('passes back-dated events, and fails the same file cut at the head, the tail or the middle', async () => {
    const account = await newAccount();
    await concurrentWriters(account, 5, 4, (client, i) => ((client + i) % 3 === 0 ? 60 * 24 * (client + 1) : undefined));
    const text = await exportText(account.id, account.exporter);
    expect((await verifyText(text)).ok).toBe(true);
    const [header, ...events] = lines(text);
    const cut = async (kept: string[]) => (await verifyText([header, ...kept].join('\n'))).ok;
    expect(await cut(events.slice(1))).toBe(false);
    expect(await cut(events.slice(0, -1))).toBe(false);
    expect(await cut([...events.slice(0, 7), ...events.slice(9)])).toBe(false);
    expect((await verifyText(events.join('\n'))).ok).toBe(false); // no header
    expect((await verifyText('')).ok).toBe(false);
  });

  it('cannot prove a filtered export whole', async () => {
    const account = await newAccount();
    await concurrentWriters(account, 2, 3);
    const text = await exportText(account.id, account.exporter, '&objectId=0-1');
    const report = await verifyText(text);
    expect(report.ok).toBe(false);
    expect(report.header).toMatchObject({ complete: false, filters: { objectId: '0-1' } });
    expect(report.findings).toEqual([
      expect.objectContaining({ reason: 'incomplete', detail: expect.stringMatching(/cannot prove this file whole/) }),
    ]);
    // Claiming the filtered file complete does not help.
    const [header, ...events] = lines(text);
    const claimed = await verifyText([JSON.stringify({ ...JSON.parse(header!), complete: true }), ...events].join('\n'));
    expect(claimed.findings).toEqual([
      expect.objectContaining({ reason: 'header', detail: expect.stringMatching(/complete contradicts filters/) }),
    ]);
  });

  it('refuses an unknown order (400 naming query.order)', async () => {
    const account = await newAccount();
    const res = await call(`/v1/accounts/${account.id}/events/export?format=ndjson&order=newest`, { token: account.exporter });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: 'query.order' })]);
  });

  it('a header altered after signing fails the signature check', async () => {
    const account = await newAccount();
    await concurrentWriters(account, 1, 3);
    const [header, ...events] = lines(await exportText(account.id, account.exporter));
    const altered = JSON.parse(header!);
    altered.chain.head = { seq: 2, hash: JSON.parse(events[1]!).hash };
    const report = await verifyText([JSON.stringify(altered), ...events.slice(1)].join('\n'));
    expect(report).toMatchObject({ ok: false, signature: 'invalid' });
  });
});

describe('retention: export and verify agree on what it hides', () => {
  it('a complete export shows past-retention events as hash-only stubs and starts at the purge watermark', async () => {
    const written = await newAccount({ retentionMonths: 3 });
    const now = Date.now();
    // seq 1-2 old, 3 recent, 4 old (back-dated), 5 recent.
    const ages = [60, 50, 5, 70, 3];
    const res = await call(`/v1/accounts/${written.id}/changes/batch`, {
      token: written.writer,
      body: { changes: ages.map((age, i) => aChange({ objectId: String(i), occurredAt: new Date(now - age * day).toISOString() })) },
    });
    expect(res.status, res.text).toBe(201);
    // Time passes, in effect: the retention shrinks so seq 1, 2 and 4 are past it. Fresh
    // tokens, since tokens cache their account.
    await env.DB.prepare('UPDATE accounts SET retention_months = 1 WHERE id = ?').bind(written.id).run();
    const reader = await written.token(['audit:read']);
    const exporter = await written.token(['audit:export']);

    const shown = async (text: string) =>
      lines(text)
        .slice(1)
        .map((line) => JSON.parse(line))
        .map((e) => (e.hidden ? `${e.seq} hidden` : e.seq));
    const before = await exportText(written.id, exporter, '&order=seq');
    expect(await shown(before)).toEqual(['1 hidden', '2 hidden', 3, '4 hidden', 5]);
    expect(JSON.parse(lines(before)[1]!)).toEqual({
      seq: 1,
      prevHash: GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hidden: 'retention',
    });
    expect(await verifyText(before)).toMatchObject({ ok: true, events: 5, hidden: 3 });
    // The default order puts the stubs (the oldest) last; it verifies the same.
    expect(await shown(await exportText(written.id, exporter))).toEqual([5, 3, '2 hidden', '1 hidden', '4 hidden']);
    expect((await verifyText(await exportText(written.id, exporter))).ok).toBe(true);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const after = await exportText(written.id, exporter, '&order=seq');
    const hash2 = JSON.parse(lines(before)[2]!).hash;
    expect(JSON.parse(lines(after)[0]!).chain.from).toEqual({ seq: 2, hash: hash2 });
    expect(await shown(after)).toEqual([3, '4 hidden', 5]);
    expect(await verifyText(after)).toMatchObject({ ok: true, events: 3, hidden: 1 });
    // The API hides the same event, and its verify agrees the chain is whole.
    const listed = await call(`/v1/accounts/${written.id}/events`, { token: reader });
    expect(listed.json.events.map((e: { seq: number }) => e.seq)).toEqual([5, 3]);
    expect((await call(`/v1/accounts/${written.id}/verify`, { token: reader })).json).toMatchObject({ ok: true, purgedThroughSeq: 2 });
    // A filtered export simply leaves hidden events out (and cannot be proven whole).
    const filtered = await exportText(written.id, exporter, '&from=2020-01-01');
    expect(await shown(filtered)).toEqual([5, 3]);
  });
});
