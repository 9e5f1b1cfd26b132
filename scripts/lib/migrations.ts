// Local D1 migrations, exactly as production gets them: `wrangler d1 migrations apply`.
import { runWrangler } from './wrangler';

export interface MigrationResult {
  /** Migration files applied by this call (empty when the database was up to date). */
  applied: string[];
}

export async function applyLocalMigrations(options: { persistTo?: string } = {}): Promise<MigrationResult> {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local'];
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  const { output } = await runWrangler(args);
  // wrangler reports applied migrations as table rows: "│ 0000_init.sql │ ✅ │", and
  // redraws the table after each one, so a row can appear several times.
  const applied = [...new Set([...output.matchAll(/│\s*(\S+\.sql)\s*│\s*✅/g)].map((match) => match[1]!))];
  return { applied };
}
