// The liveperson_sources table: one row per connected account. Every update after a connect is
// guarded by the connection's generation, so work queued for an earlier connection (or one
// deleted since) changes nothing.
import { and, eq, ne, sql } from 'drizzle-orm';
import { livepersonSources, type LivePersonSourceRow } from '../../drizzle/schema';
import type { LivePersonState } from '../../shared/vocabulary';
import { database } from './db';

export type { LivePersonSourceRow };

export interface NewConnection {
  accountId: string;
  credentials: string;
  backfillFrom: string;
  backfillTo: string;
  now: number;
}

/** Connects (or connects again, with new credentials and a new backfill); answers the row. */
export async function upsertConnection(d1: D1Database, c: NewConnection): Promise<LivePersonSourceRow> {
  const [row] = await database(d1)
    .insert(livepersonSources)
    .values({
      accountId: c.accountId,
      credentials: c.credentials,
      state: 'backfilling',
      generation: 1,
      backfillFrom: c.backfillFrom,
      backfillTo: c.backfillTo,
      nextDay: c.backfillFrom,
      connectedAt: c.now,
      updatedAt: c.now,
    })
    .onConflictDoUpdate({
      target: livepersonSources.accountId,
      set: {
        credentials: c.credentials,
        state: 'backfilling',
        generation: sql`${livepersonSources.generation} + 1`,
        backfillFrom: c.backfillFrom,
        backfillTo: c.backfillTo,
        nextDay: c.backfillFrom,
        daysDone: 0,
        lastError: null,
        syncQueuedAt: null,
        connectedAt: c.now,
        updatedAt: c.now,
      },
    })
    .returning();
  return row!;
}

export async function findConnection(d1: D1Database, accountId: string): Promise<LivePersonSourceRow | undefined> {
  const [row] = await database(d1).select().from(livepersonSources).where(eq(livepersonSources.accountId, accountId));
  return row;
}

/** Disconnects; answers whether there was a connection. */
export async function deleteConnection(d1: D1Database, accountId: string): Promise<boolean> {
  const result = await database(d1).delete(livepersonSources).where(eq(livepersonSources.accountId, accountId)).run();
  return result.meta.changes === 1;
}

/** Connections the poll should visit: every one that is not stopped by an error. */
export async function pollableConnections(d1: D1Database): Promise<LivePersonSourceRow[]> {
  return database(d1).select().from(livepersonSources).where(ne(livepersonSources.state, 'error'));
}

const current = (accountId: string, generation: number) =>
  and(eq(livepersonSources.accountId, accountId), eq(livepersonSources.generation, generation));

export interface DayOutcome {
  day: string;
  importedEvents: number;
  skipped: Record<string, number>;
  now: number;
  /** The oldest day whose skip counts are kept: older ones are past the retention. */
  keepFrom: string;
}

/** Records a day imported by a poll or a backfill: events added, the day's skip counts
 *  (replacing what an earlier import of the day counted; days past the retention dropped),
 *  the time of the sync. */
export async function recordDay(d1: D1Database, accountId: string, generation: number, outcome: DayOutcome): Promise<boolean> {
  const result = await d1
    .prepare(
      `UPDATE liveperson_sources SET imported_events = imported_events + ?3,
         skipped = (SELECT json_group_object(key, json(value)) FROM json_each(json_set(skipped, '$."' || ?4 || '"', json(?5))) WHERE key >= ?7),
         last_sync_at = ?6, last_error = NULL, updated_at = ?6
       WHERE account_id = ?1 AND generation = ?2`,
    )
    .bind(accountId, generation, outcome.importedEvents, outcome.day, JSON.stringify(outcome.skipped), outcome.now, outcome.keepFrom)
    .run();
  return result.meta.changes === 1;
}

/** Moves the backfill past `day` if it was the day it waited for: true when it moved (the
 *  caller then queues the next day), false when another delivery of the same day got there first. */
export async function advanceBackfill(
  d1: D1Database,
  accountId: string,
  generation: number,
  day: string,
  next: string | null,
  now: number,
): Promise<boolean> {
  const result = await database(d1)
    .update(livepersonSources)
    .set({
      nextDay: next,
      daysDone: sql`${livepersonSources.daysDone} + 1`,
      state: next === null ? 'syncing' : 'backfilling',
      updatedAt: now,
    })
    .where(and(current(accountId, generation), eq(livepersonSources.nextDay, day)))
    .run();
  return result.meta.changes === 1;
}

/** Notes a failure: `state` "error" stops the connector until the admin connects again. */
export async function recordFailure(
  d1: D1Database,
  accountId: string,
  generation: number,
  lastError: string,
  now: number,
  state?: LivePersonState,
): Promise<void> {
  await database(d1)
    .update(livepersonSources)
    .set({ lastError, updatedAt: now, ...(state ? { state } : {}) })
    .where(current(accountId, generation))
    .run();
}

/** Marks a sync as queued unless one already waits (since `staleBefore`): true when the caller should queue it. */
export async function claimSyncSlot(d1: D1Database, accountId: string, now: number, staleBefore: number): Promise<boolean> {
  const result = await d1
    .prepare(
      `UPDATE liveperson_sources SET sync_queued_at = ?2
        WHERE account_id = ?1 AND state != 'error' AND (sync_queued_at IS NULL OR sync_queued_at < ?3)`,
    )
    .bind(accountId, now, staleBefore)
    .run();
  return result.meta.changes === 1;
}

/** A queued sync started: later requests queue a new one. */
export async function releaseSyncSlot(d1: D1Database, accountId: string, generation: number): Promise<void> {
  await database(d1).update(livepersonSources).set({ syncQueuedAt: null }).where(current(accountId, generation)).run();
}
