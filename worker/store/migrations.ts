// Which of the schema's migrations the database has: wrangler (and the tests) record each
// applied migration's file name in d1_migrations.
import { sql } from 'drizzle-orm';
import journal from '../../drizzle/meta/_journal.json';
import { database } from './db';

/** The file name of the newest migration this Worker was built with. */
export const LATEST_MIGRATION = `${journal.entries.at(-1)!.tag}.sql`;

/** Whether the newest migration is applied; throws when the database does not answer. */
export async function latestMigrationApplied(d1: D1Database): Promise<boolean> {
  // d1_migrations is wrangler's table, not the schema's: named in SQL.
  const row = await database(d1).get(sql`SELECT 1 AS applied FROM d1_migrations WHERE name = ${LATEST_MIGRATION}`);
  return row !== undefined;
}
