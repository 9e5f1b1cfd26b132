// Provenance: every event says where it came from, and an emitter cannot claim an import.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { aChange, call, newAccount } from './support';

describe('source of an event', () => {
  it('is "api" for what an emitter records, in the API and the NDJSON export', async () => {
    const account = await newAccount();
    const res = await call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body: aChange() });
    expect(res.status, res.text).toBe(201);
    expect(res.json.events[0].source).toBe('api');
    const page = await call(`/v1/accounts/${account.id}/events`, { token: account.reader });
    expect(page.json.events.map((e: { source: string }) => e.source)).toEqual(['api']);
    const file = await call(`/v1/accounts/${account.id}/events/export?format=ndjson`, { token: account.exporter });
    expect(JSON.parse(file.text.trim().split('\n')[1]!).source).toBe('api');
  });

  it("cannot be set by an emitter: the audited cannot pass their own writes off as LivePerson's", async () => {
    const account = await newAccount();
    for (const path of ['changes', 'changes/batch']) {
      const change = { ...aChange(), source: 'liveperson' };
      const body = path === 'changes' ? change : { changes: [change] };
      const res = await call(`/v1/accounts/${account.id}/${path}`, { token: account.writer, body });
      expect(res.status, res.text).toBe(422);
      expect(res.json.errors).toContainEqual({
        path: path === 'changes' ? '/source' : '/changes/0/source',
        message: 'is not a known field',
      });
    }
    const { results } = await env.DB.prepare('SELECT count(*) AS n FROM audit_events WHERE account_id = ?').bind(account.id).all();
    expect(results[0]!.n).toBe(0);
  });

  it('is covered by the chain: rewriting it in D1 breaks verification', async () => {
    const account = await newAccount();
    await call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body: aChange() });
    expect((await call(`/v1/accounts/${account.id}/verify`, { token: account.reader })).json.ok).toBe(true);
    await env.DB.prepare("UPDATE audit_events SET source = 'liveperson' WHERE account_id = ?").bind(account.id).run();
    expect((await call(`/v1/accounts/${account.id}/verify`, { token: account.reader })).json).toMatchObject({ ok: false, reason: 'hash' });
  });
});
