// Reading history: filtered, newest first, keyset-paged on (occurred_at, seq), which the
// account, per-object and per-originator indexes serve in order. Never OFFSET.
import { and, count, desc, eq, gte, inArray, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { auditEvents, type AuditEventRow } from '../../drizzle/schema';
import type { Action, ObjectType } from '../../shared/vocabulary';
import { database } from './db';

/** Where a page ends in the keyset order (occurredAt, seq), newest first. */
export interface Position {
  occurredAt: number;
  seq: number;
}

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

export function filterConditions(filter: EventFilter): SQL[] {
  const e = auditEvents;
  const conditions: (SQL | undefined)[] = [
    eq(e.accountId, filter.accountId),
    gte(e.occurredAt, Math.max(filter.notBefore, filter.from ?? -Infinity)),
    filter.to !== undefined ? lte(e.occurredAt, filter.to) : undefined,
    filter.objectTypes ? inArray(e.objectType, filter.objectTypes) : undefined,
    filter.objectId !== undefined ? eq(e.objectId, filter.objectId) : undefined,
    filter.actions ? inArray(e.action, filter.actions) : undefined,
    filter.element !== undefined ? eq(e.element, filter.element) : undefined,
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

export async function readEventPage(
  d1: D1Database,
  filter: EventFilter,
  after: Position | undefined,
  limit: number,
): Promise<{ rows: AuditEventRow[]; next: Position | undefined }> {
  const e = auditEvents;
  const conditions = filterConditions(filter);
  if (after) conditions.push(sql`(${e.occurredAt}, ${e.seq}) < (${after.occurredAt}, ${after.seq})`);
  const rows = await database(d1)
    .select()
    .from(e)
    .where(and(...conditions))
    .orderBy(desc(e.occurredAt), desc(e.seq))
    .limit(limit + 1);
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

/** How many events match `filter`, by the same conditions (and indexes) as readEventPage.
 *  `maxSeq` pins the count to the events stored up to that point of the account's
 *  sequence; `atMost` stops counting there, so a count over a huge account reads a
 *  bounded number of index entries. */
export async function countEvents(
  d1: D1Database,
  filter: EventFilter,
  options: { maxSeq?: number; atMost?: number } = {},
): Promise<number> {
  const e = auditEvents;
  const conditions = filterConditions(filter);
  // Unary plus: a bound on seq must not steer SQLite to the (account, seq) index.
  if (options.maxSeq !== undefined) conditions.push(sql`+${e.seq} <= ${options.maxSeq}`);
  const db = database(d1);
  const matches = db
    .select({ one: sql`1` })
    .from(e)
    .where(and(...conditions));
  const counted = db.select({ n: count() }).from((options.atMost === undefined ? matches : matches.limit(options.atMost)).as('matches'));
  const [row] = await counted;
  return row?.n ?? 0;
}
