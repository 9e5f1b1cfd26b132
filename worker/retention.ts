// The scheduled purge. It deletes a prefix of each account's chain: every event up to
// the first one still inside retention. Deleting only a prefix keeps the rest of the chain
// verifiable; the purge watermark (seq and hash of the last deleted event) tells a verifier
// where the kept chain starts. An event recorded out of order (backdated) and past
// retention is never returned by any read, and is deleted once the prefix reaches it.
// The access log and the token events follow the same retention.
import { retentionCutoff } from './domain/time';

const CHUNK = 5_000;

export async function purgeExpired(d1: D1Database, now = Date.now()): Promise<number> {
  const { results: accounts } = await d1
    .prepare('SELECT id, retention_months AS months, purged_through_seq AS purged, chain_seq AS head FROM accounts')
    .all<{ id: string; months: number; purged: number; head: number }>();
  let deleted = 0;
  for (const account of accounts) {
    const cutoff = retentionCutoff(now, account.months);
    // Walks the sequence from the oldest kept event to the first one inside retention.
    const firstKept = await d1
      .prepare('SELECT seq FROM audit_events WHERE account_id = ? AND seq > ? AND occurred_at >= ? ORDER BY seq LIMIT 1')
      .bind(account.id, account.purged, cutoff)
      .first<{ seq: number }>();
    const purgeThrough = firstKept ? firstKept.seq - 1 : account.head;
    for (let done = account.purged; done < purgeThrough; ) {
      const end = Math.min(done + CHUNK, purgeThrough);
      const last = await d1.prepare('SELECT hash FROM audit_events WHERE account_id = ? AND seq = ?').bind(account.id, end).first<{ hash: string }>();
      if (!last) throw new Error(`retention purge: account ${account.id} has no event ${end}; verify the chain`);
      const [result] = await d1.batch([
        d1.prepare('DELETE FROM audit_events WHERE account_id = ? AND seq > ? AND seq <= ?').bind(account.id, done, end),
        d1.prepare('UPDATE accounts SET purged_through_seq = ?, purged_through_hash = ? WHERE id = ? AND purged_through_seq = ?').bind(end, last.hash, account.id, done),
      ]);
      deleted += result!.meta.changes;
      done = end;
    }
    // Who read the trail is kept exactly as long as the trail itself.
    await d1.prepare('DELETE FROM access_log WHERE account_id = ? AND at < ?').bind(account.id, cutoff).run();
    // So is the record of who created and revoked tokens.
    await d1.prepare('DELETE FROM token_events WHERE account_id = ? AND at < ?').bind(account.id, cutoff).run();
  }
  return deleted;
}
