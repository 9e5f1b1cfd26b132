// The destinations table (one row per webhook streaming an account's audit trail) and its
// attempt log. Every change a delivery makes is guarded by the lease it holds, so a delivery
// whose lease ran out (and that another one took over) changes nothing.
import { and, desc, eq, sql } from 'drizzle-orm';
import { auditEvents, destinationDeliveries, destinations, type AuditEventRow, type DestinationRow } from '../../drizzle/schema';
import type { Action, DestinationState, ObjectType } from '../../shared/vocabulary';
import { database, d1Statement } from './db';

export type { DestinationRow };
export type DestinationDeliveryRow = typeof destinationDeliveries.$inferSelect;
export type NewDestinationDelivery = typeof destinationDeliveries.$inferInsert;

export interface DestinationFilter {
  objectType?: ObjectType;
  action?: Action;
}

/** Attempts kept per destination: the newest ones. */
export const KEPT_ATTEMPTS = 200;

export async function insertDestination(d1: D1Database, row: typeof destinations.$inferInsert): Promise<DestinationRow> {
  const [inserted] = await database(d1).insert(destinations).values(row).returning();
  return inserted!;
}

export async function listDestinations(d1: D1Database, accountId: string): Promise<DestinationRow[]> {
  return database(d1).select().from(destinations).where(eq(destinations.accountId, accountId)).orderBy(destinations.id);
}

export async function countDestinations(d1: D1Database, accountId: string): Promise<number> {
  const [row] = await database(d1)
    .select({ n: sql<number>`count(*)` })
    .from(destinations)
    .where(eq(destinations.accountId, accountId));
  return row?.n ?? 0;
}

export async function findDestination(d1: D1Database, accountId: string, id: string): Promise<DestinationRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(destinations)
    .where(and(eq(destinations.accountId, accountId), eq(destinations.id, id)));
  return row;
}

export async function findDestinationById(d1: D1Database, id: string): Promise<DestinationRow | undefined> {
  const [row] = await database(d1).select().from(destinations).where(eq(destinations.id, id));
  return row;
}

/** Deletes a destination and its attempt log; answers whether it existed. */
export async function deleteDestination(d1: D1Database, accountId: string, id: string): Promise<boolean> {
  const db = database(d1);
  const [deleted] = await d1.batch([
    d1Statement(d1, db.delete(destinations).where(and(eq(destinations.accountId, accountId), eq(destinations.id, id)))),
    d1Statement(
      d1,
      db
        .delete(destinationDeliveries)
        .where(and(eq(destinationDeliveries.destinationId, id), sql`NOT EXISTS (SELECT 1 FROM destinations WHERE id = ${id})`)),
    ),
  ]);
  return deleted!.meta.changes === 1;
}

/** Ids of the account's destinations that take deliveries (not disabled): the writer kicks them. */
export async function deliveringDestinationIds(d1: D1Database, accountId: string): Promise<string[]> {
  const rows = await database(d1)
    .select({ id: destinations.id })
    .from(destinations)
    .where(and(eq(destinations.accountId, accountId), sql`${destinations.state} != 'disabled'`));
  return rows.map((r) => r.id);
}

/** Destinations behind their chain's head that may be tried now: the cron kicks them, so a lost kick loses nothing. */
export async function destinationsBehind(d1: D1Database, now: number): Promise<string[]> {
  const { results } = await d1
    .prepare(
      `SELECT d.id FROM destinations d JOIN accounts a ON a.id = d.account_id
        WHERE d.state != 'disabled' AND d.delivered_through_seq < a.chain_seq
          AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?1)
          AND (d.lease_until IS NULL OR d.lease_until < ?1)`,
    )
    .bind(now)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Takes the destination's delivery lease unless someone holds it, it is disabled, or its next attempt is not due. */
export async function claimLease(d1: D1Database, id: string, leaseId: string, now: number, until: number): Promise<boolean> {
  const result = await d1
    .prepare(
      `UPDATE destinations SET lease_id = ?2, lease_until = ?4
        WHERE id = ?1 AND state != 'disabled'
          AND (lease_until IS NULL OR lease_until < ?3)
          AND (next_attempt_at IS NULL OR next_attempt_at <= ?3)`,
    )
    .bind(id, leaseId, now, until)
    .run();
  return result.meta.changes === 1;
}

const leased = (id: string, leaseId: string) => and(eq(destinations.id, id), eq(destinations.leaseId, leaseId));

export async function releaseLease(d1: D1Database, id: string, leaseId: string): Promise<void> {
  await database(d1).update(destinations).set({ leaseId: null, leaseUntil: null }).where(leased(id, leaseId)).run();
}

export interface AttemptInfo {
  at: number;
  status: number | null;
  error: string | null;
}

/** Events through `throughSeq` were delivered (or did not match): the cursor moves, failures are forgotten. */
export async function recordDelivered(
  d1: D1Database,
  id: string,
  leaseId: string,
  throughSeq: number,
  attempt: AttemptInfo | undefined,
): Promise<boolean> {
  const result = await database(d1)
    .update(destinations)
    .set({
      deliveredThroughSeq: sql`max(${destinations.deliveredThroughSeq}, ${throughSeq})`,
      pendingId: null,
      pendingThroughSeq: null,
      ...(attempt
        ? {
            state: 'active' as DestinationState,
            failures: 0,
            failingSince: null,
            nextAttemptAt: null,
            lastAttemptAt: attempt.at,
            lastStatus: attempt.status,
            lastError: null,
            lastDeliveredAt: attempt.at,
          }
        : {}),
    })
    .where(leased(id, leaseId))
    .run();
  return result.meta.changes === 1;
}

/** A failed attempt: the delivery stays pending (the same id and events next time), the next attempt waits.
 *  With `failuresWere`, only if the destination still has that many failures (its backoff was
 *  computed from them); answers whether it was recorded. */
export async function recordFailed(
  d1: D1Database,
  id: string,
  leaseId: string,
  failure: AttemptInfo & { pendingId: string; pendingThroughSeq: number; nextAttemptAt: number; state: DestinationState },
  failuresWere?: number,
): Promise<boolean> {
  const result = await database(d1)
    .update(destinations)
    .set({
      pendingId: failure.pendingId,
      pendingThroughSeq: failure.pendingThroughSeq,
      failures: sql`${destinations.failures} + 1`,
      failingSince: sql`coalesce(${destinations.failingSince}, ${failure.at})`,
      nextAttemptAt: failure.nextAttemptAt,
      state: failure.state,
      lastAttemptAt: failure.at,
      lastStatus: failure.status,
      lastError: failure.error,
    })
    .where(and(leased(id, leaseId), failuresWere === undefined ? undefined : eq(destinations.failures, failuresWere)))
    .run();
  return result.meta.changes === 1;
}

/** Starts delivering again (after failing or being disabled) from where the destination stopped. */
export async function resumeDestination(d1: D1Database, accountId: string, id: string): Promise<boolean> {
  const result = await database(d1)
    .update(destinations)
    .set({ state: 'active', failures: 0, failingSince: null, nextAttemptAt: null })
    .where(and(eq(destinations.accountId, accountId), eq(destinations.id, id)))
    .run();
  return result.meta.changes === 1;
}

/** A new signing secret; the one before stays valid (deliveries carry both signatures) until `previousUntil`. */
export async function rotateSecret(
  d1: D1Database,
  accountId: string,
  id: string,
  secrets: { current: string; previous: string; previousUntil: number },
): Promise<DestinationRow | undefined> {
  const [row] = await database(d1)
    .update(destinations)
    .set({ secretEnc: secrets.current, previousSecretEnc: secrets.previous, previousSecretUntil: secrets.previousUntil })
    .where(and(eq(destinations.accountId, accountId), eq(destinations.id, id)))
    .returning();
  return row;
}

/** Logs an attempt and drops the oldest beyond KEPT_ATTEMPTS. */
export async function logAttempt(d1: D1Database, attempt: NewDestinationDelivery): Promise<void> {
  const db = database(d1);
  await d1.batch([
    d1Statement(d1, db.insert(destinationDeliveries).values(attempt)),
    d1
      .prepare(
        `DELETE FROM destination_deliveries WHERE destination_id = ?1 AND id <=
           (SELECT id FROM destination_deliveries WHERE destination_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
      )
      .bind(attempt.destinationId, KEPT_ATTEMPTS),
  ]);
}

export async function listAttempts(d1: D1Database, destinationId: string, limit: number): Promise<DestinationDeliveryRow[]> {
  return database(d1)
    .select()
    .from(destinationDeliveries)
    .where(eq(destinationDeliveries.destinationId, destinationId))
    .orderBy(desc(destinationDeliveries.id))
    .limit(limit);
}

/** The account's events after `afterSeq` up to `throughSeq` that match `filter`, in seq order, at most `limit`. */
export async function matchingEventsAfter(
  d1: D1Database,
  accountId: string,
  afterSeq: number,
  throughSeq: number,
  filter: DestinationFilter,
  limit: number,
): Promise<AuditEventRow[]> {
  const e = auditEvents;
  return database(d1)
    .select()
    .from(e)
    .where(
      and(
        eq(e.accountId, accountId),
        sql`${e.seq} > ${afterSeq}`,
        sql`${e.seq} <= ${throughSeq}`,
        filter.objectType ? eq(e.objectType, filter.objectType) : undefined,
        filter.action ? eq(e.action, filter.action) : undefined,
      ),
    )
    .orderBy(e.seq)
    .limit(limit);
}
