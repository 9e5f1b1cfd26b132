// A write older than the account's retention is refused: reads and exports hide what is
// past retention, so accepting it stored an event no one could ever see, and the offline
// verifier then reported it missing (issue 8, item 3).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { aChange, call, newAccount } from './support';

const month = 30 * 86_400_000;
const stored = async (accountId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM audit_events WHERE account_id = ?').bind(accountId).first<{ n: number }>())!.n;

describe('occurredAt and retention', () => {
  it('refuses a change older than the retention window with 422 naming the window', async () => {
    const account = await newAccount({ retentionMonths: 13, auditEnabledAt: '2020-01-01T00:00:00Z' });
    const old = new Date(Date.now() - 21 * month).toISOString();
    const res = await call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body: aChange({ occurredAt: old }) });
    expect(res.status, res.text).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.json.errors).toEqual([
      {
        path: '/occurredAt',
        message: expect.stringMatching(/^is older than the account's 13-month retention \(before \d{4}-\d{2}-\d{2}T[\d:.]+Z\)/),
      },
    ]);
    expect(await stored(account.id)).toBe(0);

    // Inside the window it is stored, listed and exported.
    const recent = new Date(Date.now() - 12 * month).toISOString();
    const ok = await call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body: aChange({ occurredAt: recent }) });
    expect(ok.status, ok.text).toBe(201);
    const listed = await call(`/v1/accounts/${account.id}/events`, { token: account.reader });
    expect(listed.json.events).toHaveLength(1);
  });

  it('names the change in a batch, and stores none of it', async () => {
    const account = await newAccount({ retentionMonths: 2 });
    const changes = [aChange(), aChange({ occurredAt: new Date(Date.now() - 3 * month).toISOString() }), aChange()];
    const res = await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body: { changes } });
    expect(res.status, res.text).toBe(422);
    expect(res.json.errors).toEqual([{ path: '/changes/1/occurredAt', message: expect.stringMatching(/2-month retention/) }]);
    expect(await stored(account.id)).toBe(0);
  });
});
