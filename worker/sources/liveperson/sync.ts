// Keeping an account's history in step with LivePerson, one queue message at a time (never one
// long invocation): a backfill message imports one day and queues the next, from backfillFrom
// to the day of connecting; a poll message imports yesterday and today (UTC), queued by the
// five-minute cron for every connected account and by POST …/sync (coalesced while one waits).
// A failure LivePerson may get over (429, 5xx, a timeout, a cut-off export) retries the same
// message later, after Retry-After or a growing wait, so no day is ever skipped; a refused key
// (401/403) stops the connection in state "error" with a lastError that says what to do.
import { retentionCutoff } from '../../domain/time';
import { addDays, localDate } from '../../domain/time-zone';
import { credentialsKey, openCredentials } from '../../domain/credentials';
import { findAccount } from '../../store/accounts';
import {
  advanceBackfill,
  claimSyncSlot,
  findConnection,
  pollableConnections,
  recordDay,
  recordFailure,
  releaseSyncSlot,
  type LivePersonSourceRow,
} from '../../store/liveperson-sources';
import { LivePersonError, type LivePersonCredentials } from './client';
import { importDay } from './import-day';

export type SyncMessage =
  { kind: 'backfill'; accountId: string; generation: number; day: string } | { kind: 'poll'; accountId: string; generation: number };

/** A queued sync not started after this long is taken as lost: a new request queues another. */
export const SYNC_SLOT_MS = 10 * 60_000;
/** A backfill that made no progress nor failed for this long lost its message: the cron queues its day again. */
export const BACKFILL_STALL_MS = 15 * 60_000;
/** The longest wait between attempts at a failing day. */
const MAX_BACKOFF_SECONDS = 300;

export const queueDay = (env: Env, row: Pick<LivePersonSourceRow, 'accountId' | 'generation'>, day: string) =>
  env.LIVEPERSON_QUEUE.send({ kind: 'backfill', accountId: row.accountId, generation: row.generation, day } satisfies SyncMessage);

/** Queues a poll unless one already waits; answers whether this call queued it. */
export async function requestSync(
  env: Env,
  row: Pick<LivePersonSourceRow, 'accountId' | 'generation'>,
  now = Date.now(),
): Promise<boolean> {
  if (!(await claimSyncSlot(env.DB, row.accountId, now, now - SYNC_SLOT_MS))) return false;
  await env.LIVEPERSON_QUEUE.send({ kind: 'poll', accountId: row.accountId, generation: row.generation } satisfies SyncMessage);
  return true;
}

/** The five-minute cron: a poll for every connected account, and a nudge for a stalled backfill. */
export async function pollAll(env: Env, now: number): Promise<{ polled: number; resumed: number }> {
  let polled = 0;
  let resumed = 0;
  for (const row of await pollableConnections(env.DB)) {
    if (await requestSync(env, row, now)) polled++;
    if (row.state === 'backfilling' && row.nextDay && row.updatedAt < now - BACKFILL_STALL_MS) {
      await queueDay(env, row, row.nextDay);
      resumed++;
    }
  }
  return { polled, resumed };
}

export type Verdict = { ack: true } | { ack: false; delaySeconds: number };

/** Handles one message; answers whether it is done (ack) or must be delivered again later. */
export async function handleSyncMessage(env: Env, message: SyncMessage, attempts: number, now = Date.now()): Promise<Verdict> {
  const row = await findConnection(env.DB, message.accountId);
  // Disconnected, or connected again since: this message belongs to no connection.
  if (!row || row.generation !== message.generation) return { ack: true };
  if (message.kind === 'poll') await releaseSyncSlot(env.DB, row.accountId, row.generation);
  if (row.state === 'error') return { ack: true };
  const account = await findAccount(env.DB, row.accountId);
  if (!account) return { ack: true };

  let credentials: LivePersonCredentials;
  try {
    credentials = (await openCredentials(
      await credentialsKey(env.CREDENTIALS_KEY),
      row.accountId,
      row.credentials,
    )) as LivePersonCredentials;
  } catch {
    console.error(`liveperson ${row.accountId}: CREDENTIALS_KEY is missing or malformed; the sync waits`);
    return { ack: false, delaySeconds: MAX_BACKOFF_SECONDS };
  }
  if (!credentials) {
    await recordFailure(
      env.DB,
      row.accountId,
      row.generation,
      "The stored LivePerson API key cannot be decrypted (the deployment's CREDENTIALS_KEY changed). Connect again with PUT …/sources/liveperson.",
      now,
      'error',
    );
    return { ack: true };
  }

  const keepFrom = localDate(retentionCutoff(now, account.retentionMonths), 'UTC');
  try {
    if (message.kind === 'poll') {
      const today = localDate(now, 'UTC');
      for (const day of [addDays(today, -1), today]) {
        const done = await importDay(env, account, credentials, day, now);
        await recordDay(env.DB, row.accountId, row.generation, { ...done, now: Date.now(), keepFrom });
      }
      return { ack: true };
    }
    // Another delivery of this day (a retry that raced the cron's nudge) already moved on.
    if (row.nextDay !== message.day) return { ack: true };
    const done = await importDay(env, account, credentials, message.day, now);
    await recordDay(env.DB, row.accountId, row.generation, { ...done, now: Date.now(), keepFrom });
    const next = message.day < row.backfillTo ? addDays(message.day, 1) : null;
    if ((await advanceBackfill(env.DB, row.accountId, row.generation, message.day, next, Date.now())) && next)
      await queueDay(env, row, next);
    return { ack: true };
  } catch (error) {
    const what = message.kind === 'poll' ? 'the sync of yesterday and today' : `the import of ${message.day}`;
    if (error instanceof LivePersonError && !error.transient) {
      await recordFailure(env.DB, row.accountId, row.generation, error.advice(), Date.now(), 'error');
      return { ack: true };
    }
    const delaySeconds =
      error instanceof LivePersonError && error.failure === 'rateLimited'
        ? Math.max(1, error.retryAfterSeconds ?? 1)
        : Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.min(attempts, 9));
    const cause = error instanceof LivePersonError ? error.message : 'an internal error (logged)';
    if (!(error instanceof LivePersonError)) console.error(`liveperson ${row.accountId}: ${what} failed`, error);
    await recordFailure(env.DB, row.accountId, row.generation, `${what} failed: ${cause}; retrying in ${delaySeconds} s.`, Date.now());
    return { ack: false, delaySeconds };
  }
}
