// The chain's bookkeeping in D1: the head and purge watermark of an account, events in
// sequence order, and signed checkpoints.
import type { AuditEventRow } from '../../drizzle/schema';
import type { Checkpoint } from '../domain/checkpoint-signing';

export interface ChainState {
  headSeq: number;
  headHash: string;
  purgedThroughSeq: number;
  purgedThroughHash: string;
}

export async function readChainState(d1: D1Database, accountId: string): Promise<ChainState> {
  const row = await d1
    .prepare(
      `SELECT chain_seq AS headSeq, chain_hash AS headHash, purged_through_seq AS purgedThroughSeq,
              purged_through_hash AS purgedThroughHash FROM accounts WHERE id = ?`,
    )
    .bind(accountId)
    .first<ChainState>();
  if (!row) throw new Error(`account ${accountId} vanished`);
  return row;
}

const EVENT_SELECT = `SELECT id, account_id AS accountId, seq, change_id AS changeId, object_type AS objectType,
  object_id AS objectId, object_name AS objectName, action, element, value_type AS valueType, old_value AS oldValue,
  new_value AS newValue, redacted, occurred_at AS occurredAt, recorded_at AS recordedAt, originator_id AS originatorId,
  originator_name AS originatorName, source, prev_hash AS prevHash, hash FROM audit_events`;

/** Events with fromSeq <= seq <= toSeq in sequence order, at most `limit`. */
export async function readEventsBySeq(d1: D1Database, accountId: string, fromSeq: number, toSeq: number, limit: number) {
  const { results } = await d1
    .prepare(`${EVENT_SELECT} WHERE account_id = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq LIMIT ?4`)
    .bind(accountId, fromSeq, toSeq, limit)
    .all<AuditEventRow>();
  return results;
}

export async function readEventHashAt(d1: D1Database, accountId: string, seq: number): Promise<string | undefined> {
  const row = await d1
    .prepare('SELECT hash FROM audit_events WHERE account_id = ? AND seq = ?')
    .bind(accountId, seq)
    .first<{ hash: string }>();
  return row?.hash;
}

/** The lowest seq stored beyond the recorded head: a row that no write of the Worker made. */
export async function firstSeqBeyondHead(d1: D1Database, accountId: string, headSeq: number): Promise<number | undefined> {
  const row = await d1
    .prepare('SELECT seq FROM audit_events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT 1')
    .bind(accountId, headSeq)
    .first<{ seq: number }>();
  return row?.seq;
}

export async function insertCheckpoint(d1: D1Database, checkpoint: Checkpoint): Promise<void> {
  await d1
    .prepare('INSERT OR IGNORE INTO checkpoints (account_id, seq, hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(checkpoint.accountId, checkpoint.seq, checkpoint.hash, Date.parse(checkpoint.signedAt), checkpoint.keyId, checkpoint.signature)
    .run();
}

const CHECKPOINT_SELECT = `SELECT account_id AS accountId, seq, hash, signed_at AS signedAt, key_id AS keyId, signature FROM checkpoints`;
type CheckpointRow = Omit<Checkpoint, 'signedAt'> & { signedAt: number };
const checkpointView = (row: CheckpointRow): Checkpoint => ({ ...row, signedAt: new Date(row.signedAt).toISOString() });

/** Newest first; `beforeSeq` pages backwards. */
export async function listCheckpoints(d1: D1Database, accountId: string, limit: number, beforeSeq = Number.MAX_SAFE_INTEGER) {
  const { results } = await d1
    .prepare(`${CHECKPOINT_SELECT} WHERE account_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`)
    .bind(accountId, beforeSeq, limit)
    .all<CheckpointRow>();
  return results.map(checkpointView);
}

export async function checkpointAt(d1: D1Database, accountId: string, seq: number): Promise<Checkpoint | undefined> {
  const row = await d1.prepare(`${CHECKPOINT_SELECT} WHERE account_id = ? AND seq = ?`).bind(accountId, seq).first<CheckpointRow>();
  return row ? checkpointView(row) : undefined;
}
