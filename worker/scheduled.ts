// The crons: hourly, purge what is past retention, then sign every chain head that moved;
// every five minutes, queue a LivePerson sync of every connected account, and kick every
// destination that is behind its chain (the safety net under the writer's kicks).
import { checkpointHead } from './domain/checkpoint-head';
import { purgeExpired } from './domain/retention';
import type { Problem } from './http/problem';
import { requireSigningKey } from './http/settings';
import { accountsWithUnsignedHead } from './store/accounts';
import { purgeExportLinks } from './store/export-links';
import { pollAll } from './sources/liveperson/sync';
import { kickDestinations } from './destinations/kick';
import { destinationsBehind } from './store/destinations';

/** The cron of the LivePerson poll, as wrangler.jsonc spells it. */
export const LIVEPERSON_CRON = '*/5 * * * *';

export async function runLivePersonPoll(env: Env, now: number): Promise<void> {
  const { polled, resumed } = await pollAll(env, now);
  console.log(`liveperson poll: ${polled} syncs queued, ${resumed} stalled backfills resumed`);
}

export async function runDeliverySweep(env: Env, now: number): Promise<void> {
  const ids = await destinationsBehind(env.DB, now);
  await kickDestinations(env, ids);
  console.log(`deliveries: ${ids.length} destinations behind kicked`);
}

export async function runScheduled(env: Env, now: Date): Promise<void> {
  const deleted = await purgeExpired(env.DB, now.getTime());
  console.log(`retention purge: ${deleted} events deleted`);
  // Export links are dead a minute after they were made; a day's grace keeps 410 (not 404) for late retries.
  await purgeExportLinks(env.DB, now.getTime() - 86_400_000);
  let key;
  try {
    key = await requireSigningKey(env);
  } catch (error) {
    // Only the problem's words: they name the setting, never its value.
    return console.error(`checkpoints skipped: ${(error as Problem).detail ?? 'no signing key'}`);
  }
  const unsigned = await accountsWithUnsignedHead(env.DB);
  for (const id of unsigned) await checkpointHead(env.DB, key, id, now);
  console.log(`checkpoints: ${unsigned.length} signed`);
}
