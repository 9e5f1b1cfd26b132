// The rows of an export, page by page on a keyset, read as a snapshot so a long export
// neither gains nor loses rows to writes that land while it streams. Two orders: the one of
// GET .../events (occurredAt, seq), newest first, with the same conditions; or ascending
// seq — the chain's own order, which the offline verifier and SIEM ingestion want.
import { and, asc, desc, sql } from 'drizzle-orm';
import { auditEvents, type AuditEventRow } from '../../drizzle/schema';
import type { ExportOrder } from '../schemas/export-header';
import { readChainState, type ChainState } from '../store/chain';
import { database } from '../store/db';
import { filterConditions, type EventFilter, type Position } from '../store/event-reader';

export interface ExportSnapshot {
  filter: EventFilter;
  order: ExportOrder;
  /** The account's last seq when the export began: later events are not part of it. */
  maxSeq: number;
  /** The chain as it stood then: its head and where it starts (the purge watermark). */
  chain: ChainState;
}

/** Pins an export to the events stored so far. Every append moves the chain head in the
 *  same transaction as its events, so every seq up to the head is already readable. */
export async function exportSnapshot(d1: D1Database, filter: EventFilter, order: ExportOrder = 'occurredAt'): Promise<ExportSnapshot> {
  const chain = await readChainState(d1, filter.accountId);
  return { filter, order, maxSeq: chain.head.seq, chain };
}

// Page sizes adapt to the rows: stored values reach 65,536 characters, so a page of a
// fixed 1,000 rows could hold 130 MB of text (and D1 answers at most 50 MB a query). Small
// pages at first, then as many rows as fit PAGE_CHARS judging by the largest row seen,
// which keeps the number of queries low (D1 counts queries per invocation) for small rows.
export const PAGE_SIZES = { first: 250, min: 20, max: 5000 } as const;
const PAGE_CHARS = 4_000_000;
/** Ids, hashes, timestamps and the like, beside the variable text. */
const ROW_OVERHEAD_CHARS = 400;

export function rowChars(row: AuditEventRow): number {
  return (
    ROW_OVERHEAD_CHARS +
    (row.oldValue?.length ?? 0) +
    (row.newValue?.length ?? 0) +
    row.objectName.length +
    row.element.length +
    row.originatorName.length +
    row.changeId.length +
    row.objectId.length
  );
}

export function nextPageSize(largestRowChars: number): number {
  return Math.max(PAGE_SIZES.min, Math.min(PAGE_SIZES.max, Math.floor(PAGE_CHARS / Math.max(1, largestRowChars))));
}

/** One page after `after` (exclusive). */
export function pageQuery(
  d1: D1Database,
  snapshot: Pick<ExportSnapshot, 'filter' | 'maxSeq'> & { order?: ExportOrder },
  after: Position | undefined,
  size: number,
) {
  const e = auditEvents;
  const conditions = filterConditions(snapshot.filter);
  if (snapshot.order === 'seq') {
    // The (account, seq) index serves this order directly.
    conditions.push(sql`${e.seq} <= ${snapshot.maxSeq}`);
    if (after) conditions.push(sql`${e.seq} > ${after.seq}`);
    return database(d1)
      .select()
      .from(e)
      .where(and(...conditions))
      .orderBy(asc(e.seq))
      .limit(size);
  }
  // Unary plus: the seq bound must not steer SQLite to the (account, seq) index, which
  // would have to sort every matching row for each page.
  conditions.push(sql`+${e.seq} <= ${snapshot.maxSeq}`);
  if (after) conditions.push(sql`(${e.occurredAt}, ${e.seq}) < (${after.occurredAt}, ${after.seq})`);
  return database(d1)
    .select()
    .from(e)
    .where(and(...conditions))
    .orderBy(desc(e.occurredAt), desc(e.seq))
    .limit(size);
}

/** Pages of the snapshot's rows, at most `maxRows` in all, each read only when asked for. */
export async function* eventPages(
  d1: D1Database,
  snapshot: ExportSnapshot,
  maxRows = Number.POSITIVE_INFINITY,
): AsyncGenerator<AuditEventRow[], void, undefined> {
  let after: Position | undefined;
  let size: number = PAGE_SIZES.first;
  let largest = 0;
  let read = 0;
  while (read < maxRows) {
    const wanted = Math.min(size, maxRows - read);
    const rows = await pageQuery(d1, snapshot, after, wanted);
    if (!rows.length) return;
    read += rows.length;
    const last = rows[rows.length - 1]!;
    after = { occurredAt: last.occurredAt, seq: last.seq };
    for (const row of rows) largest = Math.max(largest, rowChars(row));
    size = nextPageSize(largest);
    yield rows;
    if (rows.length < wanted) return;
  }
}
