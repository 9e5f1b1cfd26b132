// Appending to an account's history. Each append is one D1 batch (one transaction):
// the events, their idempotency records and the new chain head, all guarded by a
// compare-and-set on the head the writer holds. The account's writer is the only one, but if
// another writer moved the head anyway, nothing is written and the writer retries from D1's
// head, so `seq` stays gap-free and the hash chain never forks. Rows travel as one JSON parameter read with
// json_each(?), which keeps each statement far below D1's 100-parameter limit.
import type { AuditEventRow } from '../../drizzle/schema';

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface NewChangeRequest {
  changeId: string;
  bodyHash: string;
  eventCount: number;
}

/** Event columns in the order rows are packed into JSON arrays. */
const EVENT_COLUMNS = [
  'id',
  'seq',
  'change_id',
  'object_type',
  'object_id',
  'object_name',
  'action',
  'element',
  'value_type',
  'old_value',
  'new_value',
  'redacted',
  'occurred_at',
  'recorded_at',
  'originator_id',
  'originator_name',
  'source',
  'prev_hash',
  'hash',
] as const;

/** Keeps each JSON parameter well under D1's 2 MB value limit, even for multi-byte text. */
const MAX_CHUNK_CHARS = 500_000;

export async function readChainHead(d1: D1Database, accountId: string): Promise<ChainHead> {
  const row = await d1.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(accountId).first<ChainHead>();
  if (!row) throw new Error(`account ${accountId} vanished`);
  return row;
}

export interface StoredRequest {
  bodyHash: string;
  eventCount: number;
}

export async function findChangeRequests(d1: D1Database, accountId: string, changeIds: string[]): Promise<Map<string, StoredRequest>> {
  const found = new Map<string, StoredRequest>();
  if (!changeIds.length) return found;
  const { results } = await d1
    .prepare(
      // IN (SELECT …) makes SQLite probe the primary key once per changeId; a join on
      // json_each let it walk the account's whole idempotency table instead (quadratic).
      `SELECT change_id AS changeId, body_hash AS bodyHash, event_count AS eventCount FROM change_requests
        WHERE account_id = ?1 AND change_id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(accountId, JSON.stringify(changeIds))
    .all<{ changeId: string; bodyHash: string; eventCount: number }>();
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
  events: Omit<AuditEventRow, 'accountId'>[],
  requests: NewChangeRequest[],
  recordedAt: number,
): Promise<AppendOutcome> {
  // Seq and hash: a writer holding the head in memory must not chain onto a head that was
  // replaced at the same seq.
  const headUnchanged = 'EXISTS (SELECT 1 FROM accounts WHERE id = ?2 AND chain_seq = ?3 AND chain_hash = ?4)';
  // Read in the same transaction: a writer that lost the compare-and-set learns the head at once.
  const statements: D1PreparedStatement[] = [
    d1.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(accountId),
  ];
  const insertEvents = d1.prepare(
    `INSERT INTO audit_events (account_id, ${EVENT_COLUMNS.join(', ')})
     SELECT ?2, ${EVENT_COLUMNS.map((_, i) => `j.value ->> ${i}`).join(', ')} FROM json_each(?1) j WHERE ${headUnchanged}`,
  );
  for (const chunk of chunkRows(events.map(packEvent))) statements.push(insertEvents.bind(chunk, accountId, head.seq, head.hash));

  const insertRequests = d1.prepare(
    `INSERT INTO change_requests (account_id, change_id, body_hash, event_count, recorded_at)
     SELECT ?2, j.value ->> 0, j.value ->> 1, j.value ->> 2, ?5 FROM json_each(?1) j WHERE ${headUnchanged}`,
  );
  for (const chunk of chunkRows(requests.map((r) => JSON.stringify([r.changeId, r.bodyHash, r.eventCount]))))
    statements.push(insertRequests.bind(chunk, accountId, head.seq, head.hash, recordedAt));

  // The head moves last: its compare-and-set tells whether the whole batch applied.
  statements.push(
    d1
      .prepare('UPDATE accounts SET chain_seq = ?1, chain_hash = ?2 WHERE id = ?3 AND chain_seq = ?4 AND chain_hash = ?5')
      .bind(newHead.seq, newHead.hash, accountId, head.seq, head.hash),
  );
  const results = await d1.batch<ChainHead>(statements);
  const found = results[0]!.results[0];
  if (!found) throw new Error(`account ${accountId} vanished`);
  return { committed: results.at(-1)!.meta.changes === 1, found };
}

function packEvent(event: Omit<AuditEventRow, 'accountId'>): string {
  return JSON.stringify([
    event.id,
    event.seq,
    event.changeId,
    event.objectType,
    event.objectId,
    event.objectName,
    event.action,
    event.element,
    event.valueType,
    event.oldValue,
    event.newValue,
    event.redacted ? 1 : 0,
    event.occurredAt,
    event.recordedAt,
    event.originatorId,
    event.originatorName,
    event.source,
    event.prevHash,
    event.hash,
  ]);
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
