// Appending to an account's history. Each append is one D1 batch (one transaction):
// the events, their idempotency records and the new chain head, all guarded by a
// compare-and-set on the head the writer holds. The account's writer is the only one, but if
// another writer moved the head anyway, nothing is written and the writer retries from D1's
// head, so `seq` stays gap-free and the hash chain never forks. Rows travel as one JSON parameter read with
// json_each(?), which keeps each statement far below D1's 100-parameter limit.
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { accounts, auditEvents, changeRequests, type AuditEventRow } from '../../drizzle/schema';
import type { ChainHead } from './chain';
import { d1Statement, database } from './db';

export interface NewChangeRequest {
  changeId: string;
  bodyHash: string;
  eventCount: number;
}

type NewEvent = Omit<AuditEventRow, 'accountId'>;

/** The event columns a row is packed with, in the schema's order (the account is a parameter of its own). */
const { accountId: _account, ...EVENT_COLUMNS } = getTableColumns(auditEvents);
const EVENT_KEYS = Object.keys(EVENT_COLUMNS) as (keyof NewEvent)[];

/** Keeps each JSON parameter well under D1's 2 MB value limit, even for multi-byte text. */
const MAX_CHUNK_CHARS = 500_000;

export interface StoredRequest {
  bodyHash: string;
  eventCount: number;
}

export async function findChangeRequests(d1: D1Database, accountId: string, changeIds: string[]): Promise<Map<string, StoredRequest>> {
  const found = new Map<string, StoredRequest>();
  if (!changeIds.length) return found;
  const r = changeRequests;
  const results = await database(d1)
    .select({ changeId: r.changeId, bodyHash: r.bodyHash, eventCount: r.eventCount })
    .from(r)
    // IN (SELECT …) makes SQLite probe the primary key once per changeId; a join on
    // json_each let it walk the account's whole idempotency table instead (quadratic).
    .where(and(eq(r.accountId, accountId), sql`${r.changeId} IN (SELECT value FROM json_each(${JSON.stringify(changeIds)}))`));
  for (const row of results) found.set(row.changeId, row);
  return found;
}

export interface AppendOutcome {
  committed: boolean;
  /** D1's head as the batch found it: when not committed, the head to build on instead. */
  found: ChainHead;
}

/** Appends `events` (already numbered and hashed from `head`) and records `requests`.
 *  Writes nothing and answers committed: false when the head is no longer `head`; fails with
 *  D1's UNIQUE constraint error, writing nothing, when one of the changeIds is stored already
 *  (the idempotency record is the constraint: no look-up needed before a write). */
export async function appendEvents(
  d1: D1Database,
  accountId: string,
  head: ChainHead,
  newHead: ChainHead,
  events: NewEvent[],
  requests: NewChangeRequest[],
  recordedAt: number,
): Promise<AppendOutcome> {
  const db = database(d1);
  // Seq and hash: a writer holding the head in memory must not chain onto a head that was
  // replaced at the same seq.
  const isHead = and(eq(accounts.id, accountId), eq(accounts.chainSeq, head.seq), eq(accounts.chainHash, head.hash));
  const headUnchanged = sql`EXISTS (SELECT 1 FROM ${accounts} WHERE ${isHead})`;
  const r = changeRequests;
  // INSERT … SELECT from json_each, which Drizzle's insert cannot say; the columns come from the schema.
  const insertEvents = (chunk: string) =>
    sql`INSERT INTO ${auditEvents} (${columnList([auditEvents.accountId, ...EVENT_KEYS.map((key) => EVENT_COLUMNS[key])])})
        SELECT ${accountId}, ${jsonFields(EVENT_KEYS.length)} FROM json_each(${chunk}) j WHERE ${headUnchanged}`;
  const insertRequests = (chunk: string) =>
    sql`INSERT INTO ${r} (${columnList([r.accountId, r.changeId, r.bodyHash, r.eventCount, r.recordedAt])})
        SELECT ${accountId}, ${jsonFields(3)}, ${recordedAt} FROM json_each(${chunk}) j WHERE ${headUnchanged}`;
  const queries = [
    // Read in the same transaction: a writer that lost the compare-and-set learns the head at once.
    sql`SELECT ${accounts.chainSeq} AS seq, ${accounts.chainHash} AS hash FROM ${accounts} WHERE ${eq(accounts.id, accountId)}`,
    ...chunkRows(events.map(packEvent)).map(insertEvents),
    ...chunkRows(requests.map((q) => JSON.stringify([q.changeId, q.bodyHash, q.eventCount]))).map(insertRequests),
    // The head moves last: its compare-and-set tells whether the whole batch applied.
    db.update(accounts).set({ chainSeq: newHead.seq, chainHash: newHead.hash }).where(isHead),
  ];
  const results = await d1.batch<ChainHead>(queries.map((query) => d1Statement(d1, query)));
  const found = results[0]!.results[0];
  if (!found) throw new Error(`account ${accountId} vanished`);
  return { committed: results.at(-1)!.meta.changes === 1, found };
}

/** The unqualified column names, as an INSERT lists them. */
const columnList = (columns: { name: string }[]) =>
  sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );

/** j.value ->> 0, …, j.value ->> n-1: the fields of a packed row. */
const jsonFields = (n: number) => sql.raw(Array.from({ length: n }, (_, i) => `j.value ->> ${i}`).join(', '));

/** A row as a JSON array in EVENT_KEYS order, each value as the column stores it (booleans as 0 / 1). */
function packEvent(event: NewEvent): string {
  return JSON.stringify(EVENT_KEYS.map((key) => EVENT_COLUMNS[key].mapToDriverValue(event[key] as never)));
}

/** Groups packed rows into JSON arrays of bounded size. */
function chunkRows(rows: string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of rows) {
    if (current.length && size + row.length > MAX_CHUNK_CHARS) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 0;
    }
    current.push(row);
    size += row.length + 1;
  }
  if (current.length) chunks.push(`[${current.join(',')}]`);
  return chunks;
}
