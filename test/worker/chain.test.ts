// The per-account sequence and hash chain: gap-free, recomputable from what the API
// returns, and never forked by concurrent writers.
import canonicalize from 'canonicalize';
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { aChange, call, newAccount } from './support';

const GENESIS = '0'.repeat(64);

async function sha256(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Recomputes the chain from API events (any order); answers the first broken seq. */
async function verify(events: any[]) {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS;
  for (const [i, event] of ordered.entries()) {
    if (event.seq !== i + 1) return { broken: event.seq, why: 'gap' };
    if (event.prevHash !== prev) return { broken: event.seq, why: 'link' };
    // As documented: without hash, and without source when it is "api".
    const { hash, source, ...rest } = event;
    const hashed = source === 'api' ? rest : { ...rest, source };
    if ((await sha256(canonicalize(hashed)!)) !== hash) return { broken: event.seq, why: 'hash' };
    prev = hash;
  }
  return { broken: null, head: prev };
}

async function allEvents(account: Awaited<ReturnType<typeof newAccount>>) {
  const out: any[] = [];
  let cursor = '';
  for (;;) {
    const res = await call(`/v1/accounts/${account.id}/events?limit=500${cursor}`, { token: account.reader });
    out.push(...res.json.events);
    if (!res.json.nextCursor) return out;
    cursor = `&cursor=${encodeURIComponent(res.json.nextCursor)}`;
  }
}

describe('hash chain', () => {
  it('links every event to the one before, recomputable from the API answer', async () => {
    const account = await newAccount();
    await call(`/v1/accounts/${account.id}/changes/batch`, {
      token: account.writer,
      body: {
        changes: Array.from({ length: 20 }, (_, i) =>
          aChange({
            elements: [
              { element: 'Name', oldValue: `a${i}`, newValue: 'Zoë "quoted" ✓' },
              { element: 'Max chats', oldValue: i, newValue: i + 1 },
            ],
          }),
        ),
      },
    });
    const events = await allEvents(account);
    expect(events).toHaveLength(40);
    const result = await verify(events);
    expect(result.broken).toBeNull();
    const head = await env.DB.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(account.id).first();
    expect(head).toEqual({ seq: 40, hash: result.head });

    // The check above can fail: an edited row is caught.
    await env.DB.prepare('UPDATE audit_events SET new_value = ? WHERE account_id = ? AND seq = 7').bind('tampered', account.id).run();
    expect(await verify(await allEvents(account))).toEqual({ broken: 7, why: 'hash' });
  });

  it('keeps seq gap-free and the chain unforked under concurrent writers', async () => {
    const account = await newAccount();
    const clients = 10;
    const perClient = 50;
    const answers = await Promise.all(
      Array.from({ length: clients }, (_, c) =>
        (async () => {
          const statuses: number[] = [];
          for (let i = 0; i < perClient; i += 25) {
            const res = await call(`/v1/accounts/${account.id}/changes/batch`, {
              token: account.writer,
              body: {
                changes: Array.from({ length: 25 }, (_, j) => aChange({ changeId: `client-${c}-${i + j}`, objectId: `${c}-${i + j}` })),
              },
            });
            statuses.push(res.status);
          }
          return statuses;
        })(),
      ),
    );
    expect(answers.flat().every((s) => s === 201)).toBe(true);
    const events = await allEvents(account);
    expect(events).toHaveLength(clients * perClient);
    expect(new Set(events.map((e) => e.changeId)).size).toBe(clients * perClient);
    expect((await verify(events)).broken).toBeNull();
  });
});
