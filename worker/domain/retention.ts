// The scheduled purge. It deletes a prefix of each account's chain: every event up to
// the first one still inside retention. Deleting only a prefix keeps the rest of the chain
// verifiable; the purge watermark (seq and hash of the last deleted event) tells a verifier
// where the kept chain starts. An event recorded out of order (backdated) and past
// retention is never returned by any read, and is deleted once the prefix reaches it.
// The access log and the token events follow the same retention.
import { readEventHashAt } from '../store/chain';
import { firstSeqSince, listRetentionStates, purgeEvents, purgeLogsBefore } from '../store/retention';
import { retentionCutoff } from './time';

const CHUNK = 5_000;

export async function purgeExpired(d1: D1Database, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (const account of await listRetentionStates(d1)) {
    const cutoff = retentionCutoff(now, account.retentionMonths);
    const firstKept = await firstSeqSince(d1, account.id, account.purgedThroughSeq, cutoff);
    const purgeThrough = firstKept !== undefined ? firstKept - 1 : account.headSeq;
    for (let done = account.purgedThroughSeq; done < purgeThrough;) {
      const end = Math.min(done + CHUNK, purgeThrough);
      const lastHash = await readEventHashAt(d1, account.id, end);
      if (lastHash === undefined) throw new Error(`retention purge: account ${account.id} has no event ${end}; verify the chain`);
      deleted += await purgeEvents(d1, account.id, done, end, lastHash);
      done = end;
    }
    await purgeLogsBefore(d1, account.id, cutoff);
  }
  return deleted;
}
