import { and, desc, eq, is, lt, SQL, type Query } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../drizzle/schema';
import { accessLog, tokenEvents } from '../../drizzle/schema';

export const database = (d1: D1Database) => drizzle(d1, { schema });
export type Database = ReturnType<typeof database>;

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A D1 statement of SQL that Drizzle built, for a batch Drizzle's own cannot run: drizzle-orm's
 *  D1 batch fails on raw SQL with parameters (as json_each's inserts need), so such a batch
 *  goes to D1 directly, every statement still written with Drizzle. */
export function d1Statement(d1: D1Database, query: SQL | { toSQL(): Query }): D1PreparedStatement {
  const { sql, params } = is(query, SQL) ? database(d1).run(query).getQuery() : query.toSQL();
  return d1.prepare(sql).bind(...params);
}

/** The account's logs keyed by an increasing id: who read the trail, who made or revoked tokens. */
type IdLog = typeof accessLog | typeof tokenEvents;

/** One page of an id-keyed log, newest first, keyset-paged on id (the (account_id, id) index
 *  serves it): the rows of `accountId` that meet `filters`, before `beforeId`. */
export async function readIdLogPage<Log extends IdLog>(
  d1: D1Database,
  log: Log,
  accountId: string,
  filters: (SQL | undefined)[],
  beforeId: number | undefined,
  limit: number,
): Promise<{ rows: Log['$inferSelect'][]; next: number | undefined }> {
  // One of two tables with the same id and account_id columns; Drizzle types a union poorly.
  const table = log as typeof accessLog;
  const rows: Log['$inferSelect'][] = await database(d1)
    .select()
    .from(table)
    .where(and(eq(table.accountId, accountId), ...filters, beforeId === undefined ? undefined : lt(table.id, beforeId)))
    .orderBy(desc(table.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, next: more ? page.at(-1)!.id : undefined };
}
