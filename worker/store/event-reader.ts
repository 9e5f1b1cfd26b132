// Reading history: filtered, newest (or oldest) first, keyset-paged on (occurred_at, seq),
// which the account, per-object, per-originator and per-element indexes serve in order.
// Never OFFSET. A search term of 3+ characters goes through the trigram index (event-search.ts)
// when it is rare enough for that to pay.
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { auditEvents, type AuditEventRow } from '../../drizzle/schema';
import type { Action, ObjectType } from '../../shared/vocabulary';
import { LIMITS } from '../domain/limits';
import type { SelectedFields } from 'drizzle-orm/sqlite-core';
import { database, type Database } from './db';
import { eventsFts, fewCandidates, fromCandidatesIfIndexed, indexMissing, searchMatch, type SearchPlan } from './event-search';

/** Where a page ends in the keyset order (occurredAt, seq). */
export interface Position {
  occurredAt: number;
  seq: number;
}

export const COUNT_BEYOND = `${LIMITS.exactCount}+` as const;

/** desc: newest first (the default); asc: oldest first. */
export type EventOrder = 'desc' | 'asc';

export interface EventFilter {
  accountId: string;
  /** Oldest instant still inside retention: older rows are never returned. */
  notBefore: number;
  objectTypes?: ObjectType[];
  objectId?: string;
  actions?: Action[];
  element?: string;
  originatorId?: string;
  q?: string;
  from?: number;
  to?: number;
}

/** The conditions of `filter`. `indexed: false` writes the account condition so that no
 *  index of audit_events can serve it (every index starts with account_id), which leaves
 *  SQLite only the trigram index to start from. */
export function filterConditions(filter: EventFilter, options: { indexed?: boolean } = {}): SQL[] {
  const e = auditEvents;
  const conditions: (SQL | undefined)[] = [
    options.indexed === false ? sql`+${e.accountId} = ${filter.accountId}` : eq(e.accountId, filter.accountId),
    gte(e.occurredAt, Math.max(filter.notBefore, filter.from ?? -Infinity)),
    filter.to !== undefined ? lte(e.occurredAt, filter.to) : undefined,
    filter.objectTypes ? inArray(e.objectType, filter.objectTypes) : undefined,
    filter.objectId !== undefined ? eq(e.objectId, filter.objectId) : undefined,
    filter.actions ? inArray(e.action, filter.actions) : undefined,
    // ASCII case folding, as SQLite's NOCASE; audit_events_element_time is declared with it.
    filter.element !== undefined ? sql`${e.element} = ${filter.element} COLLATE NOCASE` : undefined,
    filter.originatorId !== undefined ? eq(e.originatorId, filter.originatorId) : undefined,
  ];
  if (filter.q !== undefined) {
    // instr over lower(), not LIKE: D1 refuses LIKE patterns longer than 50 bytes, and q
    // may be 200 characters. Case folding is ASCII-only either way.
    const needle = filter.q.replace(/[A-Z]/g, (c) => c.toLowerCase()); // as SQLite's lower()
    const contains = (column: SQLWrapper) => sql`instr(lower(${column}), ${needle}) > 0`;
    conditions.push(
      or(
        contains(e.objectName),
        contains(e.element),
        contains(sql`coalesce(${e.oldValue}, '')`),
        contains(sql`coalesce(${e.newValue}, '')`),
        contains(e.originatorName),
      ),
    );
  }
  return conditions.filter((c): c is SQL => c !== undefined);
}

const keysetAfter = (after: Position, order: EventOrder) =>
  order === 'asc'
    ? sql`(${auditEvents.occurredAt}, ${auditEvents.seq}) > (${after.occurredAt}, ${after.seq})`
    : sql`(${auditEvents.occurredAt}, ${auditEvents.seq}) < (${after.occurredAt}, ${after.seq})`;

const keysetOrder = (order: EventOrder) =>
  order === 'asc' ? [asc(auditEvents.occurredAt), asc(auditEvents.seq)] : [desc(auditEvents.occurredAt), desc(auditEvents.seq)];

/** The rows matching `conditions`, started from the trigram index's candidates for `match`
 *  (CROSS JOIN keeps that order of the loops): for terms rare enough that reading each
 *  candidate costs less than walking the keyset index. */
function fromSearchHits(db: Database, match: string, conditions: SQL[], selection: SelectedFields) {
  const e = auditEvents;
  return db
    .select(selection)
    .from(eventsFts)
    .crossJoin(e)
    .where(and(sql`${eventsFts} MATCH ${match}`, sql`${e}.rowid = ${eventsFts.rowid}`, ...conditions));
}

/** LIMIT `rows` when `when` holds, else LIMIT 0 (which SQLite decides before reading a row).
 *  Drizzle types a limit as a number; it writes any SQL given there. */
const limitWhen = (when: SQL, rows: number) => sql`CASE WHEN ${when} THEN ${rows} ELSE 0 END` as unknown as number;

export async function readEventPage(
  d1: D1Database,
  filter: EventFilter,
  after: Position | undefined,
  limit: number,
  order: EventOrder = 'desc',
): Promise<{ rows: AuditEventRow[]; next: Position | undefined }> {
  const db = database(d1);
  const e = auditEvents;
  const conditions = (indexed: boolean) => [...filterConditions(filter, { indexed }), ...(after ? [keysetAfter(after, order)] : [])];
  const scan = (rows: number) =>
    db
      .select()
      .from(e)
      .where(and(...conditions(true)))
      .orderBy(...keysetOrder(order))
      .limit(rows);
  const match = searchMatch(filter.q);
  let rows: AuditEventRow[];
  if (match === undefined) rows = await scan(limit + 1);
  else {
    // Both plans in one round trip; each one's LIMIT says whether it runs (fewCandidates), so
    // exactly one of them reads anything.
    const few = fewCandidates(match);
    try {
      const [hits, scanned] = await db.batch([
        fromSearchHits(db, match, conditions(false), getTableColumns(e))
          .orderBy(...keysetOrder(order))
          .limit(limitWhen(few, limit + 1)),
        scan(limitWhen(sql`NOT ${few}`, limit + 1)),
      ]);
      rows = [...(hits as AuditEventRow[]), ...scanned];
    } catch (error) {
      if (!indexMissing(error)) throw error;
      rows = await scan(limit + 1);
    }
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: more && last ? { occurredAt: last.occurredAt, seq: last.seq } : undefined };
}

export async function readChangeEvents(d1: D1Database, accountId: string, changeId: string): Promise<AuditEventRow[]> {
  return database(d1)
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.changeId, changeId)))
    .orderBy(auditEvents.seq);
}

/** The `selection` of the rows `filter` (and `extra`) matches, to count and group: at most
 *  `atMost` of them when given. A search term of 3+ characters starts from the trigram
 *  index when `plan` is 'hits' (the join streams, so `atMost` bounds the work for rare and
 *  common terms alike), and scans otherwise. `newestFirst` makes the `atMost` kept the
 *  newest ones (as pages read them). Select only what is needed: columns an index holds
 *  (account, time, seq) cost no row look-up. */
export function matchingRows<Selection extends SelectedFields>(
  d1: D1Database,
  filter: EventFilter,
  selection: Selection,
  options: { plan: SearchPlan; maxSeq?: number; atMost?: number; extra?: SQL[]; newestFirst?: boolean },
) {
  const e = auditEvents;
  const match = options.plan === 'hits' ? searchMatch(filter.q) : undefined;
  const conditions = [...filterConditions(filter, { indexed: match === undefined }), ...(options.extra ?? [])];
  // Unary plus: a bound on seq must not steer SQLite to the (account, seq) index.
  if (options.maxSeq !== undefined) conditions.push(sql`+${e.seq} <= ${options.maxSeq}`);
  const scan = () =>
    database(d1)
      .select(selection)
      .from(e)
      .where(and(...conditions));
  // The same selection either way; Drizzle's types lose it through the cross join.
  let rows = (
    match !== undefined ? (fromSearchHits(database(d1), match, conditions, selection) as unknown as ReturnType<typeof scan>) : scan()
  ).$dynamic();
  if (options.newestFirst) rows = rows.orderBy(...keysetOrder('desc'));
  if (options.atMost !== undefined) rows = rows.limit(options.atMost);
  return rows;
}

/** How many events match `filter`, by the same conditions (and indexes) as readEventPage.
 *  `maxSeq` pins the count to the events stored up to that point of the account's
 *  sequence; `atMost` stops counting there, so a count over a huge account reads a
 *  bounded number of index entries. */
export async function countEvents(
  d1: D1Database,
  filter: EventFilter,
  options: { maxSeq?: number; atMost?: number } = {},
): Promise<number> {
  // Counting has no order to keep: from the index's candidates whenever there is an index.
  const [row] = await fromCandidatesIfIndexed((plan) =>
    database(d1)
      .select({ n: count() })
      .from(matchingRows(d1, filter, { one: sql`1` }, { ...options, plan }).as('matches')),
  );
  return row?.n ?? 0;
}

/** The number of matches as the API states it: exact up to LIMITS.exactCount, beyond it the
 *  string "100000+" (counting stops there). */
export async function countTotal(d1: D1Database, filter: EventFilter): Promise<Total> {
  return statedTotal(await countEvents(d1, filter, { atMost: LIMITS.exactCount + 1 }));
}

export type Total = number | typeof COUNT_BEYOND;
export const statedTotal = (counted: number): Total => (counted > LIMITS.exactCount ? COUNT_BEYOND : counted);
