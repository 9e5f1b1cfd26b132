// A D1Database look-alike over better-sqlite3, so the Worker's own store and domain code
// (worker/store/*, worker/domain/*) can run in Node against a plain SQLite file. The
// benchmarks use it to split a Worker request's time into SQL, JavaScript and the rest
// (HTTP, workerd, the local D1 transport). It records how long SQLite itself took.
import type { DB } from './sqlite';

type Param = string | number | bigint | Buffer | null;
const toParam = (value: unknown): Param => (value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : (value as Param));

export interface SqlLog {
  sql: string;
  params: Param[];
}

export class D1Adapter {
  /** Milliseconds spent inside SQLite (prepare + step), and statements run. */
  sqlMs = 0;
  statements = 0;
  /** When set, every statement run is appended here. */
  log: SqlLog[] | undefined;
  /** Time per statement text (batches: per statement inside the transaction). */
  bySql = new Map<string, { ms: number; count: number }>();

  record(sql: string, elapsed: number) {
    const entry = this.bySql.get(sql) ?? { ms: 0, count: 0 };
    entry.ms += elapsed;
    entry.count++;
    this.bySql.set(sql, entry);
  }

  constructor(readonly db: DB) {}

  prepare(sql: string) {
    return new AdapterStatement(this, sql, []);
  }

  async batch(statements: AdapterStatement[]) {
    const started = performance.now();
    const results = this.db.transaction(() => statements.map((s) => s.execute('all', true)))();
    this.sqlMs += performance.now() - started;
    return results;
  }

  async exec(sql: string) {
    this.db.exec(sql);
    return { count: 1, duration: 0 };
  }

  /** Runs `fn` (SQLite work) and counts its time. */
  timed<T>(fn: () => T): T {
    const started = performance.now();
    try {
      return fn();
    } finally {
      this.sqlMs += performance.now() - started;
    }
  }
}

export class AdapterStatement {
  constructor(
    private d1: D1Adapter,
    readonly sql: string,
    readonly params: Param[],
  ) {}

  bind(...values: unknown[]) {
    return new AdapterStatement(this.d1, this.sql, values.map(toParam));
  }

  /** better-sqlite3 binds ?NNN parameters by number only when given as an object. */
  private args(): unknown[] {
    if (!/\?\d/.test(this.sql)) return this.params;
    return [Object.fromEntries(this.params.map((value, i) => [i + 1, value]))];
  }

  /** Executes without timing (callers time it). */
  execute(mode: 'all' | 'raw' | 'first', inBatch = false): any {
    this.d1.statements++;
    this.d1.log?.push({ sql: this.sql, params: this.params });
    const started = performance.now();
    try {
      return this.step(mode, inBatch);
    } finally {
      this.d1.record(this.sql, performance.now() - started);
    }
  }

  private step(mode: 'all' | 'raw' | 'first', inBatch: boolean): any {
    const stmt = this.d1.db.prepare(this.sql);
    if (!stmt.reader) {
      const info = stmt.run(...this.args());
      return { success: true, results: [], meta: { changes: info.changes, last_row_id: Number(info.lastInsertRowid) } };
    }
    if (mode === 'raw') return stmt.raw(true).all(...this.args());
    const results = stmt.all(...this.args()) as Record<string, unknown>[];
    if (mode === 'first') return results[0] ?? null;
    return { success: true, results, meta: { changes: 0, rows_read: results.length, inBatch } };
  }

  async all() {
    return this.d1.timed(() => this.execute('all'));
  }
  async raw() {
    return this.d1.timed(() => this.execute('raw'));
  }
  async run() {
    return this.d1.timed(() => this.execute('all'));
  }
  async first(column?: string) {
    const row = await this.d1.timed(() => this.execute('first'));
    return column && row ? row[column] : row;
  }
}
