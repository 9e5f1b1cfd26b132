// Signing an account's chain head: on request (POST …/checkpoints) and every hour for each
// head that moved (scheduled.ts).
import type { Checkpoint } from '../schemas/verify';
import { checkpointAt, insertCheckpoint, readChainState } from '../store/chain';
import { signCheckpoint, type SigningKey } from './checkpoint-signing';

/** Signs the account's current head unless it is signed already; undefined for an empty chain. */
export async function checkpointHead(
  d1: D1Database,
  key: SigningKey,
  accountId: string,
  now = new Date(),
): Promise<{ checkpoint: Checkpoint; created: boolean } | undefined> {
  const { head } = await readChainState(d1, accountId);
  if (head.seq === 0) return undefined;
  const existing = await checkpointAt(d1, accountId, head.seq);
  if (existing) return { checkpoint: existing, created: false };
  const checkpoint = await signCheckpoint(key, { accountId, seq: head.seq, hash: head.hash }, now);
  // A concurrent signer may have won (its checkpoint is kept); answer what is stored.
  await insertCheckpoint(d1, checkpoint);
  return { checkpoint: (await checkpointAt(d1, accountId, head.seq))!, created: true };
}
