// Which of the schema's migrations the database has: wrangler (and the tests) record each
// applied migration's file name in d1_migrations.
import journal from '../../drizzle/meta/_journal.json';

/** The file name of the newest migration this Worker was built with. */
export const LATEST_MIGRATION = `${journal.entries.at(-1)!.tag}.sql`;

/** Whether the newest migration is applied; throws when the database does not answer. */
export async function latestMigrationApplied(d1: D1Database): Promise<boolean> {
  const row = await d1.prepare('SELECT 1 AS applied FROM d1_migrations WHERE name = ?').bind(LATEST_MIGRATION).first();
  return row !== null;
}
