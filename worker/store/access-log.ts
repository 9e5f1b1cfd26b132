// Who read the audit trail: one row per list page, history page, export and verification,
// with the token (id and the name it had then), the query as asked and the rows returned.
// Reads are logged off the critical path; an export is logged before its first byte, so no
// export can happen unlogged, and its row count is filled in when the stream ends.
import { and, eq, isNull } from 'drizzle-orm';
import { accessLog } from '../../drizzle/schema';
import type { AccessKind } from '../../shared/vocabulary';
import { database, iso, readIdLogPage } from './db';

export type AccessQuery = Record<string, unknown>;

/** Who read: the token (with the name it had then) and its account. */
export interface Reader {
  tokenId: string;
  tokenName: string;
  account: { id: string };
}

export interface AccessRecord {
  accountId: string;
  at: number;
  tokenId: string;
  tokenName: string;
  kind: AccessKind;
  query: AccessQuery;
  rows: number | null;
}

export async function insertAccess(d1: D1Database, record: AccessRecord): Promise<number> {
  const [row] = await database(d1)
    .insert(accessLog)
    .values({ ...record, query: JSON.stringify(record.query) })
    .returning({ id: accessLog.id });
  return row!.id;
}

/** Sets the row count of an entry once (an export's, when its stream has ended). */
export async function setAccessRows(d1: D1Database, id: number, rows: number): Promise<void> {
  await database(d1)
    .update(accessLog)
    .set({ rows })
    .where(and(eq(accessLog.id, id), isNull(accessLog.rows)));
}

const entry = (caller: Reader, kind: AccessKind, query: AccessQuery, rows: number | null): AccessRecord => ({
  accountId: caller.account.id,
  at: Date.now(),
  tokenId: caller.tokenId,
  tokenName: caller.tokenName,
  kind,
  query,
  rows,
});

/** Records a read that has been answered, without holding up the answer. A failed log
 *  write is logged, never turned into a failed read. */
export function logAccess(
  env: Env,
  ctx: ExecutionContext,
  caller: Reader,
  kind: AccessKind,
  query: AccessQuery,
  rows: number | null,
): void {
  ctx.waitUntil(
    insertAccess(env.DB, entry(caller, kind, query, rows)).then(
      () => undefined,
      (error) => console.error(`access log: could not record a ${kind} by ${caller.tokenId}`, error),
    ),
  );
}

/** Records an export before it streams (a failure here fails the export: none goes
 *  unlogged). Answers the function to call with the row count once the stream has ended;
 *  if it never ends (the client went away), rows stays null. */
export async function logExport(env: Env, ctx: ExecutionContext, caller: Reader, query: AccessQuery): Promise<(rows: number) => void> {
  const id = await insertAccess(env.DB, entry(caller, 'export', query, null));
  return (rows) =>
    ctx.waitUntil(
      setAccessRows(env.DB, id, rows).catch((error) => console.error(`access log: could not complete export entry ${id}`, error)),
    );
}

export interface AccessFilter {
  accountId: string;
  kind?: AccessKind;
  tokenId?: string;
}

/** One page, newest first, keyset-paged on id. */
export function readAccessPage(d1: D1Database, filter: AccessFilter, beforeId: number | undefined, limit: number) {
  const a = accessLog;
  const filters = [
    filter.kind !== undefined ? eq(a.kind, filter.kind) : undefined,
    filter.tokenId !== undefined ? eq(a.tokenId, filter.tokenId) : undefined,
  ];
  return readIdLogPage(d1, a, filter.accountId, filters, beforeId, limit);
}

export function accessEntryView(row: typeof accessLog.$inferSelect) {
  return {
    id: row.id,
    at: iso(row.at),
    token: { id: row.tokenId, name: row.tokenName },
    kind: row.kind,
    query: JSON.parse(row.query) as AccessQuery,
    rows: row.rows,
  };
}
