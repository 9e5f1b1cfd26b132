// Large accounts, built fast: rows generated here and inserted straight into the local D1
// SQLite file of a persist folder while wrangler is not running (migrations applied by
// wrangler first), with indexes dropped during the insert and recreated from their own
// CREATE INDEX text. The rows form a valid hash chain, computed with the Worker's own code:
// each row is shaped by the Worker's `eventView` and hashed by its `eventHash` (SHA-256 of the
// RFC 8785 canonical JSON without `hash`). Should eventHash answer a promise (a Worker that
// hashes with WebCrypto: 87 µs an event in Node instead of 9, and a better-sqlite3 transaction
// cannot await), the same canonical JSON is hashed with node:crypto instead and a sample is
// checked against eventHash afterwards. `GET …/verify` then checks every row.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './context';
import { changeGenerator, dataModel } from './data';
import { open, type DB } from './sqlite';
import { rng } from './stats';
import type { WorkerModules } from './worker-code';
import { applyLocalMigrations, d1SqlitePath, ROOT } from './wrangler';

const DAY = 86_400_000;
export const GENESIS = '0'.repeat(64);
/** Bump when the generated data changes: a database built by another version is rebuilt. */
const BUILD_VERSION = 5;

export interface SeedSpec {
  accountId: string;
  name: string;
  events: number;
  /** occurred_at spreads over this many days before now. */
  days: number;
  seed: number;
}

export interface BuildInfo {
  version: number;
  accountId: string;
  events: number;
  changes: number;
  head: { seq: number; hash: string };
  builtAt: string;
  /** drizzle/*.sql applied to it (a reused database gets those added since). */
  migrations?: string[];
  buildSeconds: { migrations: number; generateAndInsert: number; hashing: number; indexes: number; total: number };
}

export interface SeededDatabase {
  info: BuildInfo;
  reused: boolean;
  persistTo: string;
  d1File: string;
}

/** The database of `spec` under `dir`: reused when `reuse` is set and `dir` holds one built
 *  by this version for the same account and size, built afresh otherwise. */
export async function seededDatabase(ctx: BenchContext, dir: string, spec: SeedSpec, reuse: boolean): Promise<SeededDatabase> {
  const persistTo = path.join(dir, 'persist');
  const infoFile = path.join(dir, 'build.json');
  if (reuse && existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as BuildInfo;
    if (info.version === BUILD_VERSION && info.events === spec.events && info.accountId === spec.accountId && existsSync(persistTo)) {
      ctx.log(`${spec.accountId}: reusing the database built ${info.builtAt} (${dir})`);
      if (String(info.migrations) !== String(migrationFiles())) {
        ctx.log(`${spec.accountId}: applying the migrations added since`);
        await applyLocalMigrations({ persistTo });
        info.migrations = migrationFiles();
        writeFileSync(infoFile, JSON.stringify(info, null, 2));
      }
      return { info, reused: true, persistTo, d1File: d1SqlitePath(persistTo) };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  ctx.log(`${spec.accountId}: building an account with ${spec.events.toLocaleString('en-US')} events in a local D1 file`);
  const info = await build(ctx, persistTo, spec);
  writeFileSync(infoFile, JSON.stringify(info, null, 2));
  return { info, reused: false, persistTo, d1File: d1SqlitePath(persistTo) };
}

const migrationFiles = () =>
  readdirSync(path.join(ROOT, 'drizzle'))
    .filter((f) => f.endsWith('.sql'))
    .sort();

async function build(ctx: BenchContext, persistTo: string, spec: SeedSpec): Promise<BuildInfo> {
  const started = performance.now();
  await applyLocalMigrations({ persistTo });
  const migrated = performance.now();
  const db = open(d1SqlitePath(persistTo));
  const journal = db.pragma('journal_mode', { simple: true });
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // The search index's triggers too (drizzle/0006): the index is rebuilt in one go afterwards.
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").all() as {
    name: string;
    sql: string;
  }[];
  const searchIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events_fts'").get() !== undefined;
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
  const seeded = await seedAccount(db, ctx.code, spec);
  const inserted = performance.now();
  ctx.log(
    `${spec.accountId}: ${seeded.events} rows inserted in ${((inserted - migrated) / 1000).toFixed(1)} s; creating ${indexes.length} indexes` +
      (searchIndex ? ' and the search index' : ''),
  );
  for (const index of indexes) db.exec(index.sql);
  if (searchIndex) db.exec("INSERT INTO events_fts(events_fts) VALUES('rebuild')");
  for (const trigger of triggers) db.exec(trigger.sql);
  db.pragma(`journal_mode = ${journal}`);
  db.close();
  const done = performance.now();
  return {
    version: BUILD_VERSION,
    accountId: spec.accountId,
    events: seeded.events,
    changes: seeded.changes,
    head: seeded.head,
    builtAt: new Date().toISOString(),
    migrations: migrationFiles(),
    buildSeconds: {
      migrations: (migrated - started) / 1000,
      generateAndInsert: (inserted - migrated) / 1000,
      hashing: seeded.hashMs / 1000,
      indexes: (done - inserted) / 1000,
      total: (done - started) / 1000,
    },
  };
}

const COLUMNS = [
  'id',
  'account_id',
  'seq',
  'change_id',
  'object_type',
  'object_id',
  'object_name',
  'action',
  'element',
  'value_type',
  'old_value',
  'new_value',
  'redacted',
  'occurred_at',
  'recorded_at',
  'originator_id',
  'originator_name',
  'prev_hash',
  'hash',
] as const;

/** Inserts the account and `spec.events` events (a valid chain, seq 1..N, chain head = last). */
async function seedAccount(db: DB, code: WorkerModules, spec: SeedSpec) {
  // Generate the changes first (to spread them over the period), then rows in seq order.
  const next = changeGenerator(dataModel(), 2026 + spec.seed);
  const changes: ReturnType<typeof next>[] = [];
  let count = 0;
  while (count < spec.events) {
    const change = next();
    change.elements = change.elements.slice(0, spec.events - count);
    count += change.elements.length;
    changes.push(change);
  }
  const now = Date.now();
  const r = rng(99 + spec.seed);
  const times = new Float64Array(changes.length);
  for (let i = 0; i < times.length; i++) {
    // Mostly on working days and hours.
    const day = Math.floor(r.next() * spec.days);
    const weekend = new Date(now - day * DAY).getUTCDay() % 6 === 0;
    const hour = weekend && r.next() < 0.7 ? 8 + r.int(10) : r.next() < 0.85 ? 7 + r.int(11) : r.int(24);
    times[i] = now - spec.days * DAY + day * DAY + hour * 3_600_000 + r.int(3_600_000);
  }
  times.sort();
  for (let i = 0; i < times.length; i++) if (times[i]! > now - 60_000) times[i] = now - 60_000 - (times.length - i);

  const insert = db.prepare(`INSERT INTO audit_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  const ulid = ulidLike(r);
  let seq = 0;
  let hash = GENESIS;
  let hashMs = 0;
  const samples: { view: Record<string, unknown>; hash: string }[] = [];
  db.transaction(() => {
    changes.forEach((change, c) => {
      const occurredAt = times[c]!;
      const recordedAt = occurredAt + 50 + r.int(2000);
      const changeId = `chg-${ulid(occurredAt).toLowerCase()}`;
      for (const element of code.normalizeElements(change.objectType, change.elements)) {
        const row = {
          id: `evt_${ulid(recordedAt)}`,
          accountId: spec.accountId,
          seq: ++seq,
          changeId,
          objectType: change.objectType,
          objectId: change.objectId,
          objectName: change.objectName,
          action: change.action,
          element: element.element,
          valueType: element.valueType,
          oldValue: element.oldValue,
          newValue: element.newValue,
          redacted: element.redacted,
          occurredAt,
          recordedAt,
          originatorId: change.originator.id,
          originatorName: change.originator.name,
          prevHash: hash,
          hash: '',
        };
        const t = performance.now();
        const view = code.eventView(row);
        const own = code.eventHash(view);
        if (typeof own === 'string') row.hash = own;
        else {
          own.catch(() => {});
          const { hash: _unset, ...hashed } = view;
          row.hash = createHash('sha256').update(code.canonicalJson(hashed)).digest('hex');
        }
        hashMs += performance.now() - t;
        if (seq <= 100 || seq % 10_000 === 0) samples.push({ view: code.eventView(row), hash: row.hash });
        hash = row.hash;
        insert.run(
          row.id,
          row.accountId,
          row.seq,
          row.changeId,
          row.objectType,
          row.objectId,
          row.objectName,
          row.action,
          row.element,
          row.valueType,
          row.oldValue,
          row.newValue,
          row.redacted ? 1 : 0,
          row.occurredAt,
          row.recordedAt,
          row.originatorId,
          row.originatorName,
          row.prevHash,
          row.hash,
        );
      }
    });
    db.prepare(
      'INSERT INTO accounts (id, name, timezone, retention_months, audit_enabled_at, created_at, chain_seq, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(spec.accountId, spec.name, 'Europe/Berlin', 13, now - (spec.days + 35) * DAY, now - (spec.days + 35) * DAY, seq, hash);
  })();
  // The same hashes as the Worker's own eventHash, on a sample (matters when it was async).
  for (const sample of samples) {
    const expected = await code.eventHash(sample.view);
    if (expected !== sample.hash) throw new Error(`seeded hash differs from the Worker's eventHash at seq ${sample.view.seq}`);
  }
  return { events: seq, changes: changes.length, head: { seq, hash }, hashMs };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** ULID-shaped ids (time, then randomness), sortable and unique, ~50× faster than the ulid
 *  package's crypto-random ones; uniqueness comes from a counter in the random part. */
function ulidLike(r: ReturnType<typeof rng>) {
  let counter = 0;
  const base32 = (value: number, length: number) => {
    let out = '';
    for (let i = 0; i < length; i++) {
      out = CROCKFORD[value % 32] + out;
      value = Math.floor(value / 32);
    }
    return out;
  };
  return (time: number) => base32(time, 10) + base32(r.int(2 ** 30), 6) + base32(++counter, 10);
}

/** The 1,000,000-event account of the reads benchmark, which export and verify read too. */
export const READS_SPEC = (events: number): SeedSpec => ({
  accountId: 'bench-reads',
  name: 'Benchmark account (1M events)',
  events,
  days: 365,
  seed: 0,
});
export const readsDir = (ctx: BenchContext) => path.join(ctx.dataDir, 'reads');
