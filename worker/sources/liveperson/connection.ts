// Connecting an account to LivePerson and telling where the connection stands. Connecting
// checks the API key with a first signed call (a one-row export of today) before anything is
// stored, seals the key under CREDENTIALS_KEY and queues the first day of the backfill.
import type { LivePersonConnectInput } from '../../schemas/liveperson';
import { sealCredentials, type CredentialsKey } from '../../domain/credentials';
import { retentionCutoff } from '../../domain/time';
import { addDays, localDate } from '../../domain/time-zone';
import type { AccountSettings } from '../../store/accounts';
import { upsertConnection, type LivePersonSourceRow } from '../../store/liveperson-sources';
import { iso } from '../../store/db';
import { exportStream, type LivePersonCredentials } from './client';
import { exportRows } from './export-csv';
import { queueDay } from './sync';

/** How far back the backfill reaches by default (LivePerson keeps 13 months). */
export const DEFAULT_BACKFILL_MONTHS = 13;

/** The first day the backfill may start on: the oldest UTC day the account's retention still holds. */
export function earliestBackfillDay(account: AccountSettings, now: number): string {
  return localDate(retentionCutoff(now, account.retentionMonths), 'UTC');
}

export function defaultBackfillFrom(account: AccountSettings, now: number): string {
  return localDate(retentionCutoff(now, Math.min(DEFAULT_BACKFILL_MONTHS, account.retentionMonths)), 'UTC');
}

/** Checks the key against LivePerson; throws its LivePersonError (401, 403, unknown account, unavailable). */
export async function checkCredentials(env: Env, siteId: string, credentials: LivePersonCredentials, now: number): Promise<void> {
  const today = localDate(now, 'UTC');
  const body = await exportStream(env.LIVEPERSON_CSDS_URL, siteId, credentials, { fromDate: today, toDate: today, limit: 1 });
  // Read to the end: a key that may sign but whose export cannot be read is no connection either.
  for await (const _row of exportRows(body));
}

export async function connect(
  env: Env,
  key: CredentialsKey,
  account: AccountSettings,
  input: LivePersonConnectInput,
  now = Date.now(),
): Promise<LivePersonSourceRow> {
  const { type: _type, ...credentials } = input.auth;
  await checkCredentials(env, account.id, credentials, now);
  const row = await upsertConnection(env.DB, {
    accountId: account.id,
    credentials: await sealCredentials(key, account.id, credentials),
    backfillFrom: input.backfillFrom ?? defaultBackfillFrom(account, now),
    backfillTo: localDate(now, 'UTC'),
    now,
  });
  await queueDay(env, row, row.backfillFrom);
  return row;
}

const dayCount = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/** The API's view of a connection: never its credentials. */
export function statusView(row: LivePersonSourceRow | undefined) {
  if (!row) return { connected: false, state: null, backfill: null, importedEvents: 0, lastSyncAt: null, lastError: null, skipped: {} };
  const skipped: Record<string, number> = {};
  for (const perDay of Object.values(JSON.parse(row.skipped) as Record<string, Record<string, number>>))
    for (const [reason, count] of Object.entries(perDay)) skipped[reason] = (skipped[reason] ?? 0) + count;
  const through = row.nextDay === null ? row.backfillTo : row.nextDay > row.backfillFrom ? addDays(row.nextDay, -1) : null;
  return {
    connected: true,
    state: row.state,
    backfill: {
      from: row.backfillFrom,
      to: row.backfillTo,
      through,
      daysDone: row.daysDone,
      daysTotal: dayCount(row.backfillFrom, row.backfillTo),
    },
    importedEvents: row.importedEvents,
    lastSyncAt: row.lastSyncAt === null ? null : iso(row.lastSyncAt),
    lastError: row.lastError,
    skipped,
  };
}
