// The chain's bookkeeping in D1: the head and purge watermark of an account, events in
// sequence order, and signed checkpoints.
import { and, asc, between, desc, eq, gt, lt } from 'drizzle-orm';
import { accounts, auditEvents, checkpoints, type AuditEventRow } from '../../drizzle/schema';
import type { Checkpoint } from '../schemas/verify';
import { database, iso } from './db';

/** A point of the chain: an event's seq and hash (seq 0 with the genesis hash before the first). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ChainState {
  /** The last event appended: what the next one links to. */
  head: ChainHead;
  /** The retention purge's watermark: the kept chain starts after it and links to its hash. */
  purgedThrough: ChainHead;
}

/** The account's chain as D1 holds it: the one reader of its head, for writers and readers alike. */
export async function readChainState(d1: D1Database, accountId: string): Promise<ChainState> {
  const [row] = await database(d1)
    .select({
      head: { seq: accounts.chainSeq, hash: accounts.chainHash },
      purgedThrough: { seq: accounts.purgedThroughSeq, hash: accounts.purgedThroughHash },
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!row) throw new Error(`account ${accountId} vanished`);
  return row;
}

/** Events with fromSeq <= seq <= toSeq in sequence order, at most `limit`. */
export async function readEventsBySeq(
  d1: D1Database,
  accountId: string,
  fromSeq: number,
  toSeq: number,
  limit: number,
): Promise<AuditEventRow[]> {
  return database(d1)
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), between(auditEvents.seq, fromSeq, toSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

export async function readEventHashAt(d1: D1Database, accountId: string, seq: number): Promise<string | undefined> {
  const [row] = await database(d1)
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.seq, seq)));
  return row?.hash;
}

/** The lowest seq stored beyond the recorded head: a row that no write of the Worker made. */
export async function firstSeqBeyondHead(d1: D1Database, accountId: string, headSeq: number): Promise<number | undefined> {
  const [row] = await database(d1)
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), gt(auditEvents.seq, headSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(1);
  return row?.seq;
}

/** Stores a signed checkpoint; one already stored at the same seq (a concurrent signer's) is kept. */
export async function insertCheckpoint(d1: D1Database, checkpoint: Checkpoint): Promise<void> {
  await database(d1)
    .insert(checkpoints)
    .values({ ...checkpoint, signedAt: Date.parse(checkpoint.signedAt) })
    .onConflictDoNothing();
}

const checkpointView = (row: typeof checkpoints.$inferSelect): Checkpoint => ({ ...row, signedAt: iso(row.signedAt) });

/** Newest first; `beforeSeq` pages backwards. */
export async function listCheckpoints(d1: D1Database, accountId: string, limit: number, beforeSeq = Number.MAX_SAFE_INTEGER) {
  const rows = await database(d1)
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.accountId, accountId), lt(checkpoints.seq, beforeSeq)))
    .orderBy(desc(checkpoints.seq))
    .limit(limit);
  return rows.map(checkpointView);
}

export async function checkpointAt(d1: D1Database, accountId: string, seq: number): Promise<Checkpoint | undefined> {
  const [row] = await database(d1)
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.accountId, accountId), eq(checkpoints.seq, seq)));
  return row ? checkpointView(row) : undefined;
}
