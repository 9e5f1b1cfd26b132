// The hourly cron: purge what is past retention, then sign every chain head that moved.
import type { Problem } from './http/problem';
import { requireSigningKey } from './http/settings';
import { purgeExpired } from './retention';
import { checkpointHead } from './routes/verify';
import { purgeExportLinks } from './store/export-links';

export async function runScheduled(env: Env, now: Date): Promise<void> {
  const deleted = await purgeExpired(env.DB, now.getTime());
  console.log(`retention purge: ${deleted} events deleted`);
  // Export links are dead a minute after they were made; a day's grace keeps 410 (not 404) for late retries.
  await purgeExportLinks(env.DB, now.getTime() - 86_400_000);
  try {
    await requireSigningKey(env);
  } catch (error) {
    // Only the problem's words: they name the setting, never its value.
    return console.error(`checkpoints skipped: ${(error as Problem).detail ?? 'no signing key'}`);
  }
  const { results } = await env.DB.prepare(
    `SELECT a.id FROM accounts a
      WHERE a.chain_seq > coalesce((SELECT max(c.seq) FROM checkpoints c WHERE c.account_id = a.id), 0)`,
  ).all<{ id: string }>();
  for (const { id } of results) await checkpointHead(env, id, now);
  console.log(`checkpoints: ${results.length} signed`);
}
