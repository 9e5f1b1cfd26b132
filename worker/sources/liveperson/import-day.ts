// One day of LivePerson's audit trail into the account's chain: the export of that UTC day
// streamed and parsed, its rows mapped and grouped into changes, and the changes written
// through the account's writer (the one place an account's events are appended) in requests
// of bounded size. Idempotent by change id: a day imported again stores only what is missing,
// so a day that failed half-way is completed by its retry, never doubled.
import type { AccountSettings } from '../../store/accounts';
import { retentionCutoff } from '../../domain/time';
import type { CheckedRequest } from '../../domain/record-changes';
import { writeChanges } from '../../writer/write-changes';
import { exportStream, type LivePersonCredentials } from './client';
import { exportRows } from './export-csv';
import { DayGroups, mapRow, type ImportedChange } from './mapping';

/** Changes and events one write request carries: well inside the write path's limits. */
const REQUEST_CHANGES = 500;
const REQUEST_EVENTS = 5_000;

export interface DayImport {
  day: string;
  /** Rows LivePerson listed for the day. */
  rows: number;
  changes: number;
  /** Events stored by this import (not those stored by an earlier import of the day). */
  importedEvents: number;
  skipped: Record<string, number>;
}

export async function importDay(
  env: Env,
  account: AccountSettings,
  credentials: LivePersonCredentials,
  day: string,
  now = Date.now(),
): Promise<DayImport> {
  const body = await exportStream(env.LIVEPERSON_CSDS_URL, account.id, credentials, { fromDate: day, toDate: day });
  const cutoff = retentionCutoff(now, account.retentionMonths);
  const groups = new DayGroups();
  const skipped: Record<string, number> = {};
  let rows = 0;
  // We ask for timezone=UTC, so "Date and time" is UTC wall time.
  for await (const row of exportRows(body)) {
    rows++;
    const mapped = mapRow(row, 'UTC', cutoff);
    if (mapped.ok) groups.add(mapped);
    else skipped[mapped.reason] = (skipped[mapped.reason] ?? 0) + 1;
  }
  const changes = groups.changes(day);
  let importedEvents = 0;
  for (const batch of requests(changes)) {
    const request: CheckedRequest = {
      changes: batch.map(({ change, bodyHash }, i) => ({ change, bodyHash, path: `/${day}/${i}` })),
      unique: batch.map((_, i) => i),
      source: 'liveperson',
    };
    const { outcomes } = await writeChanges(env, account.id, request);
    for (const outcome of outcomes) if (!outcome.replayed) importedEvents += outcome.eventCount;
  }
  return { day, rows, changes: changes.length, importedEvents, skipped };
}

/** Changes in order, cut into requests of at most REQUEST_CHANGES changes and about REQUEST_EVENTS events. */
function* requests(changes: ImportedChange[]): Generator<ImportedChange[]> {
  let batch: ImportedChange[] = [];
  let events = 0;
  for (const change of changes) {
    const size = change.change.elements?.length ?? 1;
    if (batch.length && (batch.length >= REQUEST_CHANGES || events + size > REQUEST_EVENTS)) {
      yield batch;
      batch = [];
      events = 0;
    }
    batch.push(change);
    events += size;
  }
  if (batch.length) yield batch;
}
