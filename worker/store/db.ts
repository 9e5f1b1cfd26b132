import { is, SQL, type Query } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../drizzle/schema';

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
