// Direct SQLite for the baselines: databases created from the same migration SQL files
// that `wrangler d1 migrations apply` runs, so tables and indexes are the same.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './wrangler';

export type DB = Database.Database;

/** Read once, when the run starts, like the Worker snapshot. */
let migrations: string[] | undefined;

export function migrationStatements(): string[] {
  return (migrations ??= readMigrations());
}

function readMigrations(): string[] {
  const dir = path.join(ROOT, 'drizzle');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('--> statement-breakpoint'))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A fresh database file with the migrations applied, in WAL mode like the local D1 file. */
export function createFromMigrations(file: string): DB {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const statement of migrationStatements()) db.exec(statement);
  return db;
}

export const open = (file: string, options?: Database.Options) => new Database(file, options);
