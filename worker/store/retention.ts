// The retention purge's reads and deletes. Only a prefix of a chain is ever deleted, each
// chunk in one batch with the watermark that says where the kept chain starts.
import { and, asc, eq, gt, gte, lt, lte } from 'drizzle-orm';
import { accessLog, accounts, auditEvents, tokenEvents } from '../../drizzle/schema';
import { database } from './db';

export interface RetentionState {
  id: string;
  retentionMonths: number;
  purgedThroughSeq: number;
  headSeq: number;
}

export async function listRetentionStates(d1: D1Database): Promise<RetentionState[]> {
  return database(d1)
    .select({
      id: accounts.id,
      retentionMonths: accounts.retentionMonths,
      purgedThroughSeq: accounts.purgedThroughSeq,
      headSeq: accounts.chainSeq,
    })
    .from(accounts);
}

/** The first kept event at or after `cutoff`, walking seq from the purge watermark. */
export async function firstSeqSince(d1: D1Database, accountId: string, afterSeq: number, cutoff: number): Promise<number | undefined> {
  const [row] = await database(d1)
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), gt(auditEvents.seq, afterSeq), gte(auditEvents.occurredAt, cutoff)))
    .orderBy(asc(auditEvents.seq))
    .limit(1);
  return row?.seq;
}

/** Deletes events fromSeq < seq <= throughSeq and moves the watermark to `throughSeq` (whose
 *  hash is `throughHash`), guarded on the watermark still being `fromSeq`. Answers rows deleted. */
export async function purgeEvents(
  d1: D1Database,
  accountId: string,
  fromSeq: number,
  throughSeq: number,
  throughHash: string,
): Promise<number> {
  const db = database(d1);
  const [deleted] = await db.batch([
    db.delete(auditEvents).where(and(eq(auditEvents.accountId, accountId), gt(auditEvents.seq, fromSeq), lte(auditEvents.seq, throughSeq))),
    db
      .update(accounts)
      .set({ purgedThroughSeq: throughSeq, purgedThroughHash: throughHash })
      .where(and(eq(accounts.id, accountId), eq(accounts.purgedThroughSeq, fromSeq))),
  ]);
  return deleted.meta.changes;
}

/** Who read the trail and who made or revoked tokens are kept exactly as long as the trail. */
export async function purgeLogsBefore(d1: D1Database, accountId: string, cutoff: number): Promise<void> {
  const db = database(d1);
  await db.batch([
    db.delete(accessLog).where(and(eq(accessLog.accountId, accountId), lt(accessLog.at, cutoff))),
    db.delete(tokenEvents).where(and(eq(tokenEvents.accountId, accountId), lt(tokenEvents.at, cutoff))),
  ]);
}
