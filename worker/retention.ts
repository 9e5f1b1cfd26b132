// The scheduled purge: rows older than their account's retention are deleted, in
// bounded chunks so one run never holds the database for long.
import { retentionCutoff } from './domain/time';

const CHUNK = 5000;

export async function purgeExpired(d1: D1Database, now = Date.now()): Promise<number> {
  const { results: accounts } = await d1.prepare('SELECT id, retention_months AS months FROM accounts').all<{ id: string; months: number }>();
  let deleted = 0;
  for (const account of accounts) {
    const cutoff = retentionCutoff(now, account.months);
    for (;;) {
      const result = await d1
        .prepare(
          `DELETE FROM audit_events WHERE rowid IN (
             SELECT rowid FROM audit_events WHERE account_id = ?1 AND occurred_at < ?2 LIMIT ${CHUNK})`,
        )
        .bind(account.id, cutoff)
        .run();
      deleted += result.meta.changes;
      if (result.meta.changes < CHUNK) break;
    }
  }
  return deleted;
}
